// The popup's second chunk: Dexie, the live coverage (from the per-criterion aggregates, not from
// every clip), "This page", "Due soon" and the sync status.
// Loaded by app.tsx after the first paint (see main.tsx).
import '../../lib/zod-setup';
import { liveQuery } from 'dexie';
import type { ComponentChildren } from 'preact';
import { SyncStatus } from '../../components/sync-status';
import { type ClipperDb, createDb } from '../../lib/db';
import { logError } from '../../lib/log-error';
import { readActiveCoverage } from '../../lib/store/read-coverage';
import type { LiveParts } from './app';
import { type PopupData, writeCoverageCache } from './coverage-cache';
import { DueSoon } from './due-soon';
import { ThisPage } from './this-page';

async function loadCoverage(db: ClipperDb): Promise<PopupData | null> {
  const active = await readActiveCoverage(db);
  return active && { name: active.name, notice: active.notice, coverage: active.coverage };
}

/** The live parts over `db`; tests pass their own slots. */
export function createLiveParts(
  db: ClipperDb = createDb(),
  slots: { thisPage?: ComponentChildren; syncStatus?: ComponentChildren; dueSoon?: ComponentChildren } = {
    thisPage: <ThisPage />,
    syncStatus: <SyncStatus db={db} />,
    dueSoon: <DueSoon db={db} />,
  },
): LiveParts {
  return {
    ...slots,
    watchCoverage(onData) {
      const sub = liveQuery(() => loadCoverage(db)).subscribe({
        next: (data) => {
          onData(data);
          if (data) {
            try {
              writeCoverageCache(data);
            } catch (error) {
              logError(error);
            }
          }
        },
        error: logError,
      });
      return () => sub.unsubscribe();
    },
  };
}
