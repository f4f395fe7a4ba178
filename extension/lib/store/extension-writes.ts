// The local-write layer as the extension itself runs it: the wall clock, random UUIDs, and a
// debounced sync request after every committed change (lib/sync/background-sync.ts).
import type { ClipperDb } from '../db';
import { requestSync } from '../sync/background-sync';
import { createLocalWrites, type LocalWrites } from './local-writes';

/** The write layer over `db`; `now` fixes the clock (tests, or one timestamp for a whole action). */
export function extensionWrites(
  db: ClipperDb,
  now: () => string = () => new Date().toISOString(),
): LocalWrites {
  return createLocalWrites({ db, now, newId: () => crypto.randomUUID(), onCommitted: requestSync });
}
