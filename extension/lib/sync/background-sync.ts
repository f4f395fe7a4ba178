// Background wiring of the sync engine: a 30-second alarm, a debounced sync after local edits
// (requestSync, callable from the background and from extension pages),
// the online event, the long-poll watch loop (watch.ts) while joined, and the one-time
// storage-persistence request. Quota errors are reported, never swallowed.
import browser from 'webextension-polyfill';
import type { ClipperDb } from '../db';
import { logError } from '../log-error';
import { browserCredentials } from './browser-credentials';
import { createSyncEngine, type SyncEngine } from './engine';
import {
  readMeta,
  readStatus,
  type StoragePersist,
  SYNC_META,
  type SyncStatus,
  storagePersistSchema,
} from './state';
import { watchChanges } from './watch';

export const SYNC_ALARM = 'qsi-sync';
/** Alarm period: Chrome's minimum (30 s), so a worker stopped while idle restarts the watch within 30 s. */
export const SYNC_ALARM_MINUTES = 0.5;
/** Extension pages (dashboard, popup) ask the background to sync through this channel. */
export const SYNC_CHANNEL = 'qsi-sync';
const DEBOUNCE_MS = 500;
/** The longest an idle device that is watching goes without a full sync (the alarm's safety net). */
export const ALARM_SYNC_MAX_AGE_MS = 5 * 60_000;

/**
 * Whether the alarm runs a full sync (push, pull). While the watch loop runs, a teammate's change
 * already brings one and a local edit schedules its own, so the alarm — whose 30-second beat is
 * there to keep the worker from being stopped — syncs only when something is waiting: the watch
 * was not running (the worker was restarted), changes are unsent, the last sync did not end
 * 'synced', or it is older than ALARM_SYNC_MAX_AGE_MS. An idle team of thousands of devices then
 * costs the server its waits, not a pull per device every 30 s.
 */
export function alarmNeedsSync(o: {
  watching: boolean;
  pending: number;
  status: SyncStatus | undefined;
  now: number;
}): boolean {
  if (!o.watching || o.pending > 0) return true;
  const { status } = o;
  if (status?.state !== 'synced' || status.lastSyncedAt === undefined) return true;
  return o.now - Date.parse(status.lastSyncedAt) >= ALARM_SYNC_MAX_AGE_MS;
}

let scheduler: ((force?: boolean) => void) | undefined;

/**
 * Asks for a sync soon (debounced ~500 ms). Call after every local edit has committed. In the
 * background it schedules directly; in an extension page it posts to the background.
 */
export function requestSync(): void {
  if (scheduler) {
    scheduler();
    return;
  }
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(SYNC_CHANNEL);
  channel.postMessage({ type: 'requestSync' });
  channel.close();
}

/** Requests persistent storage once per install and records the answer (shown in settings). */
export async function requestPersistence(db: ClipperDb, now = () => new Date()): Promise<StoragePersist> {
  const known = await readMeta(db, SYNC_META.storage, storagePersistSchema);
  if (known?.granted) return known;
  let result: StoragePersist;
  try {
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (!storage?.persist) result = { granted: false, at: now().toISOString(), error: 'not supported' };
    else {
      const granted = (await storage.persisted?.()) || (await storage.persist());
      result = { granted, at: now().toISOString() };
    }
  } catch (error) {
    result = {
      granted: false,
      at: now().toISOString(),
      error: error instanceof Error ? error.message : String(error),
    };
  }
  await db.meta.put({ key: SYNC_META.storage, value: result });
  return result;
}

/** What the background's message handlers call (each schedules a sync when it changed something). */
export interface SyncControls {
  join: SyncEngine['join'];
  leave: SyncEngine['leave'];
  publishFramework: SyncEngine['publishFramework'];
  createSubmission: SyncEngine['createSubmission'];
  deleteSubmission: SyncEngine['deleteSubmission'];
  clipHistory: SyncEngine['clipHistory'];
  logHead: SyncEngine['logHead'];
  /** "Sync now" button: ignores the backoff. */
  syncNow: () => ReturnType<SyncEngine['syncNow']>;
  keepMine: SyncEngine['keepMine'];
  keepTheirs: SyncEngine['keepTheirs'];
  resolveWith: SyncEngine['resolveWith'];
}

/**
 * Starts background sync for `db`: alarm every 30 s, debounced sync after edits, sync when the
 * browser comes online, and a long-poll watch that syncs as soon as a teammate changes something. @returns the controls for the message handlers (join form, sync now,
 * conflict buttons), the engine itself, and stop().
 */
export function startBackgroundSync(
  db: ClipperDb,
  /** `afterSync`: called after each scheduled sync (the managed policy's default framework may have arrived). */
  opts: { afterSync?: () => void } = {},
): {
  controls: SyncControls;
  engine: SyncEngine;
  stop: () => void;
} {
  const deps = {
    db,
    fetch: (url: string, init: RequestInit) => fetch(url, init),
    now: Date.now,
    random: Math.random,
    credentials: browserCredentials(db),
  };
  const engine = createSyncEngine(deps);
  // One watch loop at a time; it ends by itself on leave/revoke/incompatible and is restarted
  // after a join, by the alarm and when the browser comes online (which also cuts its backoff).
  let watcher: AbortController | undefined;
  const stopWatch = () => {
    watcher?.abort();
    watcher = undefined;
  };
  const startWatch = (restart: boolean) => {
    if (watcher && !restart) return;
    stopWatch();
    const ac = new AbortController();
    watcher = ac;
    void watchChanges({ ...deps, syncNow: engine.syncNow }, ac.signal)
      .catch(logError)
      .finally(() => {
        if (watcher === ac) watcher = undefined;
      });
  };
  const run = (force: boolean) => {
    // Unexpected errors (a full disk among them) are already in the status; log them too.
    void engine
      .syncNow({ force })
      .then(() => opts.afterSync?.())
      .catch(logError);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let forceNext = false;
  scheduler = (force = false) => {
    forceNext ||= force;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const f = forceNext;
      forceNext = false;
      run(f);
    }, DEBOUNCE_MS);
  };

  void browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_ALARM_MINUTES });
  const onAlarm = (alarm: { name: string }) => {
    if (alarm.name !== SYNC_ALARM) return;
    const watching = watcher !== undefined;
    startWatch(false);
    void Promise.all([db.outbox.count(), readStatus(db)])
      .then(([pending, status]) => {
        if (alarmNeedsSync({ watching, pending, status, now: deps.now() })) run(false);
      })
      .catch(logError);
  };
  browser.alarms.onAlarm.addListener(onAlarm);

  const onOnline = () => {
    scheduler?.(true);
    startWatch(true);
  };
  globalThis.addEventListener?.('online', onOnline);

  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(SYNC_CHANNEL);
  if (channel)
    channel.onmessage = (e: MessageEvent) => {
      if ((e.data as { type?: unknown } | null)?.type === 'requestSync') scheduler?.();
    };

  void requestPersistence(db).catch(logError);
  run(false);
  startWatch(false);

  const thenSync =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      const result = await fn(...args);
      scheduler?.(true);
      return result;
    };
  const controls: SyncControls = {
    join: async (...args) => {
      const result = await thenSync(engine.join)(...args);
      if (result.ok) startWatch(true);
      return result;
    },
    leave: async (...args) => {
      stopWatch();
      const result = await engine.leave(...args);
      if (!result.ok) startWatch(false);
      return result;
    },
    publishFramework: thenSync(engine.publishFramework),
    createSubmission: thenSync(engine.createSubmission),
    deleteSubmission: thenSync(engine.deleteSubmission),
    clipHistory: engine.clipHistory,
    logHead: engine.logHead,
    syncNow: () => engine.syncNow({ force: true }),
    keepMine: thenSync(engine.keepMine),
    keepTheirs: thenSync(engine.keepTheirs),
    resolveWith: thenSync(engine.resolveWith),
  };

  return {
    controls,
    engine,
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      stopWatch();
      scheduler = undefined;
      browser.alarms.onAlarm.removeListener(onAlarm);
      globalThis.removeEventListener?.('online', onOnline);
      channel?.close();
      void browser.alarms.clear(SYNC_ALARM);
    },
  };
}
