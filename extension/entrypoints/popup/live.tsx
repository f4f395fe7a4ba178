// The popup's second chunk: Dexie, the live coverage computation, "This page" and the sync status.
// Loaded by app.tsx after the first paint (see main.tsx).
import '../../lib/zod-setup';
import { liveQuery } from 'dexie';
import type { ComponentChildren } from 'preact';
import { computeCoverage } from '../../../shared/coverage';
import { SyncStatus } from '../../components/sync-status';
import { type ClipperDb, createDb } from '../../lib/db';
import { getActiveFramework } from '../../lib/frameworks';
import { logError } from '../../lib/log-error';
import { todayIso } from '../../lib/today';
import type { LiveParts } from './app';
import { type PopupData, writeCoverageCache } from './coverage-cache';
import { ThisPage } from './this-page';

async function loadCoverage(db: ClipperDb): Promise<PopupData | null> {
  const framework = await getActiveFramework(db);
  if (!framework) return null;
  const [clips, assessments] = await Promise.all([db.clips.toArray(), db.assessments.toArray()]);
  return {
    name: framework.name,
    notice: framework.notice,
    coverage: computeCoverage({ framework, clips, assessments, today: todayIso() }),
  };
}

/** The live parts over `db`; tests pass their own slots. */
export function createLiveParts(
  db: ClipperDb = createDb(),
  slots: { thisPage?: ComponentChildren; syncStatus?: ComponentChildren } = {
    thisPage: <ThisPage />,
    syncStatus: <SyncStatus db={db} />,
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
