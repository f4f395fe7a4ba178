// Periodic housekeeping of a running server: purge tombstones past retention, so the records
// table does not grow with every delete forever (older cursors then resync; docs/server.md, "Pull").
// Several processes may run it at once; the purge takes each team's lock, so it is safe.
import { TOMBSTONE_RETENTION_DAYS } from '../shared/protocol';
import type { AdminStore } from './store/store';

/** Purge a minute after start and then every `everyMs`; returns a stop function. */
export function scheduleMaintenance(
  store: Pick<AdminStore, 'purgeTombstones'>,
  log: (e: Record<string, unknown>) => void,
  everyMs = 6 * 3_600_000,
) {
  const run = async () => {
    try {
      const purged = await store.purgeTombstones(Date.now() - TOMBSTONE_RETENTION_DAYS * 86_400_000);
      if (purged) log({ level: 'info', msg: 'tombstones purged', purged });
    } catch (error) {
      log({
        level: 'error',
        msg: 'maintenance failed',
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  // First run a minute after start, off the start-up path (restarts stay fast).
  const first = setTimeout(run, 60_000);
  first.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
