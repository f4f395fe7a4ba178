// Coverage of the active framework read from the per-criterion aggregates (coverage-aggregates.ts):
// a few hundred small rows whatever the number of clips, so the popup and the dashboard can keep
// it live with `liveQuery` (a clip write re-runs it only when it moved a count).
import { type Coverage, type CriterionStatus, coverageFromAggregates } from '../../../shared/coverage';
import type { ClipperDb } from '../db';
import { getActiveFramework } from '../frameworks';
import { todayIso } from '../today';

export interface ActiveCoverage {
  frameworkId: string;
  name: string;
  notice: string | undefined;
  coverage: Coverage<CriterionStatus>;
}

/** The active framework's coverage on `today`, or `null` when no framework is installed. */
export async function readActiveCoverage(db: ClipperDb, today = todayIso()): Promise<ActiveCoverage | null> {
  const [framework, aggregates, assessments] = await db.transaction(
    'r',
    [db.meta, db.frameworks, db.coverage, db.assessments],
    () => Promise.all([getActiveFramework(db), db.coverage.toArray(), db.assessments.toArray()]),
  );
  if (!framework) return null;
  return {
    frameworkId: framework.id,
    name: framework.name,
    notice: framework.notice,
    coverage: coverageFromAggregates({ framework, aggregates, assessments, today }),
  };
}
