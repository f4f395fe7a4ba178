// The sync alarm's decision: a device that is watching and up to date does not pull every 30 s;
// anything waiting (a restarted worker, unsent changes, a failed sync, an old last sync) does.
import { expect, it } from 'vitest';
import { ALARM_SYNC_MAX_AGE_MS, alarmNeedsSync } from '../../../extension/lib/sync/background-sync';
import type { SyncStatus } from '../../../extension/lib/sync/state';

const now = Date.parse('2026-12-06T12:00:00Z');
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
const synced = (msAgo: number): SyncStatus => ({
  state: 'synced',
  message: 'Up to date',
  at: iso(msAgo),
  lastSyncedAt: iso(msAgo),
  failures: 0,
});

it('skips the full sync while watching, with nothing unsent and a recent sync', () => {
  expect(alarmNeedsSync({ watching: true, pending: 0, status: synced(40_000), now })).toBe(false);
  expect(alarmNeedsSync({ watching: true, pending: 0, status: synced(ALARM_SYNC_MAX_AGE_MS - 1), now })).toBe(
    false,
  );
});

it('syncs when the watch was not running, changes are unsent, or the last sync is old', () => {
  expect(alarmNeedsSync({ watching: false, pending: 0, status: synced(1_000), now })).toBe(true);
  expect(alarmNeedsSync({ watching: true, pending: 3, status: synced(1_000), now })).toBe(true);
  expect(alarmNeedsSync({ watching: true, pending: 0, status: synced(ALARM_SYNC_MAX_AGE_MS), now })).toBe(
    true,
  );
});

it('syncs after anything but a clean sync, and before the first one', () => {
  expect(alarmNeedsSync({ watching: true, pending: 0, status: undefined, now })).toBe(true);
  for (const state of ['pending', 'offline', 'error', 'signed-out'] as const)
    expect(alarmNeedsSync({ watching: true, pending: 0, status: { ...synced(1_000), state }, now })).toBe(
      true,
    );
  const { lastSyncedAt: _, ...never } = synced(1_000);
  expect(alarmNeedsSync({ watching: true, pending: 0, status: never, now })).toBe(true);
});
