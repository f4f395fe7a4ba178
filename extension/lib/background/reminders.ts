// Background side of the reminders: keeps the stored "due soon" list, the toolbar badge (opt-in)
// and the weekly notification (opt-in, optional permission) up to date. It recomputes when clips
// or assessments change (in this context or in an extension page), when the settings change, at
// start-up, and on the sync alarm when the date has moved on (or every 15 minutes). It never asks
// for a permission.
import Dexie from 'dexie';
import browser from 'webextension-polyfill';
import { badgeText, type DueSoonSnapshot, type ReminderSettings } from '../../../shared/reminders';
import type { ClipperDb } from '../db';
import { logError } from '../log-error';
import { computeDueSoon, readDueSoon, storeDueSoon } from '../reminders/due-soon-store';
import { getReminderSettings, NOTIFICATIONS_PERMISSION, watchReminderSettings } from '../reminders/settings';
import { SYNC_ALARM } from '../sync/background-sync';
import { todayIso } from '../today';

/** The weekly notification's alarm (the alarms permission the sync already has). */
export const REMINDERS_ALARM = 'qsi-reminders-weekly';
const WEEK_MINUTES = 7 * 24 * 60;
/** The one notification we show (a new one replaces it). */
export const REMINDERS_NOTIFICATION = 'qsi-due-soon';
/** A change that can add or remove an item (an assessment, or a clip write that moved a coverage
 *  count: tagging, deleting, a review date, a clip lost): recompute once the burst settles. */
const SOON_MS = 1_000;
/** Any other clip write (a note, an anchor report, a title or owner edit) can only change how an
 *  item reads: recompute at most this often, so a busy library is not re-read on every write. */
const LATER_MS = 30_000;
/** Recompute on the sync alarm at least this often, whatever was heard. */
const SWEEP_MS = 15 * 60_000;
/** Tables whose changes change the list, and how soon. */
const WATCHED_TABLES = { assessments: SOON_MS, coverage: SOON_MS, clips: LATER_MS } as const;

/** The toolbar button's API: `action` in MV3, `browserAction` in the Firefox MV2 build. */
const toolbar = () => browser.action ?? browser.browserAction;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A one-line summary of the list, e.g. "2 documents due for review and 1 action due". */
export function dueSummary(snapshot: DueSoonSnapshot): string {
  const docs = snapshot.items.filter((i) => i.kind === 'document').length;
  const actions = snapshot.items.length - docs;
  const parts = [
    docs > 0 ? `${plural(docs, 'document', 'documents')} due for review` : '',
    actions > 0 ? `${plural(actions, 'assessment action', 'assessment actions')} due` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' and ') : 'Nothing due';
}

/** Sets the badge (empty when off or nothing is due) and a title that says the same in words. */
export async function showBadge(settings: ReminderSettings, snapshot: DueSoonSnapshot): Promise<void> {
  const action = toolbar();
  const count = snapshot.items.length;
  const text = settings.badge ? badgeText(count) : '';
  await action.setBadgeText({ text });
  if (text) await action.setBadgeBackgroundColor({ color: '#9a3412' });
  await action.setTitle({
    title:
      settings.badge && count > 0
        ? `QSI Evidence Clipper: ${dueSummary(snapshot)} within ${snapshot.windowDays} days`
        : 'QSI Evidence Clipper',
  });
}

/** Creates the weekly alarm when the notification is on (first one a minute after it is turned on),
 *  clears it when off. An existing alarm keeps its schedule. */
export async function scheduleWeekly(settings: ReminderSettings): Promise<void> {
  if (!settings.weeklyNotification) {
    await browser.alarms.clear(REMINDERS_ALARM);
    return;
  }
  if (await browser.alarms.get(REMINDERS_ALARM)) return;
  await browser.alarms.create(REMINDERS_ALARM, { delayInMinutes: 1, periodInMinutes: WEEK_MINUTES });
}

/** Shows the weekly notification when it is on, permitted and something is due. @returns whether it did. */
export async function notifyDueSoon(settings: ReminderSettings, snapshot: DueSoonSnapshot): Promise<boolean> {
  if (!settings.weeklyNotification || snapshot.items.length === 0) return false;
  if (!(await browser.permissions.contains(NOTIFICATIONS_PERMISSION)) || !browser.notifications) return false;
  await browser.notifications.create(REMINDERS_NOTIFICATION, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/reminder-icon.png'),
    title: 'Evidence due for review',
    message: `${dueSummary(snapshot)} within ${snapshot.windowDays} days. Open the dashboard's "Due soon" list to see them.`,
  });
  return true;
}

const openDueSoon = (id: string) => {
  if (id !== REMINDERS_NOTIFICATION) return;
  void browser.tabs
    .create({ url: `${browser.runtime.getURL('/dashboard.html')}#/due-soon` })
    .then(() => browser.notifications?.clear(id))
    .catch(logError);
};

/** Listens for notification clicks once the API exists (it appears when the permission is granted). */
function listenToNotificationClicks(): void {
  const events = browser.notifications?.onClicked;
  if (events && !events.hasListener(openDueSoon)) events.addListener(openDueSoon);
}

/**
 * How soon a Dexie change notification calls for a recompute (ms), or `undefined` when it touches
 * none of `db`'s watched tables.
 */
export function recomputeDelay(dbName: string, parts: Record<string, unknown>): number | undefined {
  let delay: number | undefined;
  for (const part of Object.keys(parts)) {
    const table = Object.entries(WATCHED_TABLES).find(([t]) => part.startsWith(`idb://${dbName}/${t}/`));
    const ms = part === 'all' ? SOON_MS : table?.[1];
    if (ms !== undefined) delay = Math.min(delay ?? ms, ms);
  }
  return delay;
}

/**
 * Starts the reminders for `db`. `today` is the user's date (a test fixes it).
 * @returns refresh (recompute now) and stop.
 */
export function startReminders(
  db: ClipperDb,
  today: () => string = () => todayIso(),
): { refresh: () => Promise<DueSoonSnapshot>; stop: () => void } {
  let computedFor: string | undefined;
  let computedAt = 0;
  let running: Promise<DueSoonSnapshot> | undefined;
  let again = false;
  const run = async (): Promise<DueSoonSnapshot> => {
    const settings = await getReminderSettings();
    const day = today();
    const snapshot = await computeDueSoon(db, day, settings.windowDays);
    computedFor = day;
    computedAt = Date.now();
    await storeDueSoon(db, snapshot);
    await showBadge(settings, snapshot);
    await scheduleWeekly(settings);
    return snapshot;
  };
  // One computation at a time; a request during one runs once more after it.
  const refresh = (): Promise<DueSoonSnapshot> => {
    if (running) {
      again = true;
      return running;
    }
    running = run().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void refresh().catch(logError);
      }
    });
    return running;
  };
  // One pending recompute: a SOON change restarts a SOON timer (debounce) and brings a LATER one
  // forward; a LATER change never postpones a pending one (so it is a throttle).
  let timer: { handle: ReturnType<typeof setTimeout>; delay: number } | undefined;
  const schedule = (delay: number) => {
    if (timer && (delay > timer.delay || delay === LATER_MS)) return;
    if (timer) clearTimeout(timer.handle);
    timer = {
      delay,
      handle: setTimeout(() => {
        timer = undefined;
        void refresh().catch(logError);
      }, delay),
    };
  };

  const onMutated = (parts: Record<string, unknown>) => {
    const delay = recomputeDelay(db.name, parts);
    if (delay !== undefined) schedule(delay);
  };
  Dexie.on('storagemutated', onMutated);
  const unwatchSettings = watchReminderSettings(() => void refresh().catch(logError));
  const onAlarm = (alarm: { name: string }) => {
    // The sync alarm: a new day changes every count; and a slow sweep catches a change whose
    // notice was missed (a page's write while this worker was being stopped).
    const due = computedFor !== today() || Date.now() - computedAt > SWEEP_MS;
    if (alarm.name === SYNC_ALARM && due) void refresh().catch(logError);
    if (alarm.name === REMINDERS_ALARM) {
      const notify = async () => {
        const settings = await getReminderSettings();
        const snapshot = (await readDueSoon(db)) ?? (await refresh());
        await notifyDueSoon(settings, snapshot.today === today() ? snapshot : await refresh());
      };
      void notify().catch(logError);
    }
  };
  browser.alarms.onAlarm.addListener(onAlarm);
  listenToNotificationClicks();
  const onPermissionsAdded = () => listenToNotificationClicks();
  browser.permissions.onAdded.addListener(onPermissionsAdded);
  void refresh().catch(logError);

  return {
    refresh,
    stop() {
      if (timer) clearTimeout(timer.handle);
      Dexie.on('storagemutated').unsubscribe(onMutated);
      unwatchSettings();
      browser.alarms.onAlarm.removeListener(onAlarm);
      browser.permissions.onAdded.removeListener(onPermissionsAdded);
    },
  };
}
