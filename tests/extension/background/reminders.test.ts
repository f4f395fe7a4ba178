// The background's reminders: the stored list, the opt-in badge (and its title), recomputing when
// a clip changes or the settings change, the weekly alarm and the notification that needs the
// optional permission.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  dueSummary,
  notifyDueSoon,
  REMINDERS_ALARM,
  REMINDERS_NOTIFICATION,
  recomputeDelay,
  scheduleWeekly,
  startReminders,
} from '../../../extension/lib/background/reminders';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { readDueSoon } from '../../../extension/lib/reminders/due-soon-store';
import { REMINDER_SETTINGS_KEY, setReminderSettings } from '../../../extension/lib/reminders/settings';
import { SYNC_ALARM } from '../../../extension/lib/sync/background-sync';
import { addDays, type DueSoonSnapshot, reminderSettingsFrom } from '../../../shared/reminders';
import type { Clip } from '../../../shared/schemas';

const TODAY = '2026-12-06';
let n = 0;
let db: ClipperDb;
let stop: (() => void) | undefined;
let granted = false;

function clip(
  id: number,
  reviewDue: string | undefined,
  docKey = `https://intranet.example/doc-${id}`,
): Clip {
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    url: docKey,
    docKey,
    title: `Policy ${id}`,
    selectors: [{ type: 'TextQuoteSelector', exact: 'passage' }],
    quote: 'passage',
    criteria: ['demo:DEMO-CL-01'],
    note: '',
    docMeta: { ...(reviewDue ? { reviewDue } : {}), owner: 'Sam Whitfield' },
    createdBy: { id: 'me', name: 'Me' },
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    deleted: false,
  };
}

const badge = () => fakeBrowser.action.getBadgeText({});
const until = async (check: () => Promise<boolean>, ms = 4_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeEach(() => {
  fakeBrowser.reset();
  granted = false;
  Object.assign(fakeBrowser.permissions, {
    contains: vi.fn(async () => granted),
    onAdded: { addListener: vi.fn(), removeListener: vi.fn(), hasListener: vi.fn() },
    onRemoved: { addListener: vi.fn(), removeListener: vi.fn(), hasListener: vi.fn() },
  });
  db = createDb(`reminders-${++n}`);
});
afterEach(async () => {
  stop?.();
  stop = undefined;
  db.close();
});

describe('startReminders', () => {
  test('stores the list; the badge stays empty until the user opts in, then shows the count', async () => {
    await db.clips.bulkPut([clip(1, addDays(TODAY, 30)), clip(2, addDays(TODAY, 90)), clip(3, undefined)]);
    const r = startReminders(db, () => TODAY);
    stop = r.stop;
    const first = await r.refresh();
    expect(first.items.map((i) => i.key)).toEqual([
      `doc:https://intranet.example/doc-1:${addDays(TODAY, 30)}`,
    ]);
    expect(await readDueSoon(db)).toEqual(first);
    expect(await badge()).toBe('');
    expect(await fakeBrowser.action.getTitle({})).toBe('QSI Evidence Clipper');

    await setReminderSettings({ badge: true });
    await until(async () => (await badge()) === '1');
    expect(await fakeBrowser.action.getTitle({})).toBe(
      'QSI Evidence Clipper: 1 document due for review within 60 days',
    );
    // A wider window takes in the second document.
    await setReminderSettings({ windowDays: 120 });
    await until(async () => (await badge()) === '2');
  });

  test('a clip written later is counted without being asked (the database says it changed)', async () => {
    await setReminderSettings({ badge: true });
    const r = startReminders(db, () => TODAY);
    stop = r.stop;
    await r.refresh();
    expect(await badge()).toBe('');
    await db.clips.put(clip(4, addDays(TODAY, -2)));
    await until(async () => (await badge()) === '1');
    await db.clips.update(clip(4, undefined).id, { deleted: true });
    await until(async () => (await badge()) === '');
  });

  test('the sync alarm recomputes once the date has moved on', async () => {
    await setReminderSettings({ badge: true });
    let today = TODAY;
    await db.clips.put(clip(5, addDays(TODAY, 61)));
    const r = startReminders(db, () => today);
    stop = r.stop;
    await r.refresh();
    expect(await badge()).toBe('');
    today = addDays(TODAY, 1); // day 61 is now inside the 60-day window
    await fakeBrowser.alarms.onAlarm.trigger({
      name: SYNC_ALARM,
      scheduledTime: Date.now(),
      persistAcrossSessions: false,
    });
    await until(async () => (await badge()) === '1');
  });

  test('the weekly alarm exists exactly while the notification is on', async () => {
    const r = startReminders(db, () => TODAY);
    stop = r.stop;
    await r.refresh();
    expect(await fakeBrowser.alarms.get(REMINDERS_ALARM)).toBeUndefined();
    await setReminderSettings({ weeklyNotification: true });
    await until(async () => (await fakeBrowser.alarms.get(REMINDERS_ALARM)) !== undefined);
    expect((await fakeBrowser.alarms.get(REMINDERS_ALARM))?.periodInMinutes).toBe(7 * 24 * 60);
    await setReminderSettings({ weeklyNotification: false });
    await until(async () => (await fakeBrowser.alarms.get(REMINDERS_ALARM)) === undefined);
  });
});

describe('the weekly notification', () => {
  const snapshot = (items: number): DueSoonSnapshot => ({
    today: TODAY,
    windowDays: 60,
    items: Array.from({ length: items }, (_, i) => ({
      kind: 'action' as const,
      key: `action:demo:${i}`,
      date: TODAY,
      owner: '',
      criterionId: `demo:${i}`,
      action: 'Do it',
    })),
  });
  const on = reminderSettingsFrom({ weeklyNotification: true });

  test('needs the setting, the permission and something due', async () => {
    expect(await notifyDueSoon(reminderSettingsFrom({}), snapshot(2))).toBe(false);
    expect(await notifyDueSoon(on, snapshot(2))).toBe(false); // permission not granted
    granted = true;
    expect(await notifyDueSoon(on, snapshot(0))).toBe(false);
    expect(await notifyDueSoon(on, snapshot(2))).toBe(true);
    const shown = await fakeBrowser.notifications.getAll();
    expect(Object.keys(shown)).toEqual([REMINDERS_NOTIFICATION]);
  });

  test('scheduleWeekly keeps an existing schedule', async () => {
    await scheduleWeekly(on);
    const first = await fakeBrowser.alarms.get(REMINDERS_ALARM);
    await scheduleWeekly(on);
    expect(await fakeBrowser.alarms.get(REMINDERS_ALARM)).toEqual(first);
  });
});

test('summary words and the tables that matter', () => {
  expect(dueSummary({ today: TODAY, windowDays: 60, items: [] })).toBe('Nothing due');
  // A coverage or assessment change is handled within a second; other clip writes within 30 s.
  expect(recomputeDelay('db', { 'idb://db/coverage/': 1 })).toBe(1_000);
  expect(recomputeDelay('db', { 'idb://db/assessments/criterionId': 1 })).toBe(1_000);
  expect(recomputeDelay('db', { 'idb://db/clips/': 1 })).toBe(30_000);
  expect(recomputeDelay('db', { 'idb://db/clips/': 1, 'idb://db/coverage/': 1 })).toBe(1_000);
  expect(recomputeDelay('db', { 'idb://db/meta/': 1 })).toBeUndefined();
  expect(recomputeDelay('db', { 'idb://other/coverage/': 1 })).toBeUndefined();
  expect(recomputeDelay('db', { all: 1 })).toBe(1_000);
  expect(REMINDER_SETTINGS_KEY).toBe('reminders');
});
