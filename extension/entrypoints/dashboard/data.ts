// Everything the dashboard shows, read from Dexie in one live query: frameworks, the active one,
// clips, assessments and the coverage of the active framework (from the per-criterion aggregates,
// read in the same transaction as the clips, so the two always agree).
import { type Coverage, type CriterionStatus, coverageFromAggregates } from '../../../shared/coverage';
import type { CriterionAggregate } from '../../../shared/coverage-aggregate';
import { type Assessment, type Clip, type Framework, frameworkSchema } from '../../../shared/schemas';
import type { ClipperDb } from '../../lib/db';
import { readManagedView } from '../../lib/managed/managed-view';
import { META_KEYS } from '../../lib/store/rows';
import { todayIso } from '../../lib/today';

/** Where a criterion sits, for filters, labels and links. */
export interface CriterionInfo {
  id: string;
  code: string;
  title: string;
  guidance?: string;
  frameworkId: string;
  frameworkName: string;
  domainId: string;
  domainTitle: string;
  standardId: string;
  standardTitle: string;
}

export interface DashboardData {
  frameworks: Framework[];
  active: Framework | undefined;
  activeId: string | undefined;
  clips: Clip[];
  assessments: Assessment[];
  coverage: Coverage<CriterionStatus> | undefined;
  /** Evidence counts per criterion (any framework's), for coverage without reading clips. */
  aggregates: CriterionAggregate[];
  criteria: Map<string, CriterionInfo>;
  today: string;
  /** Ids of clips with an unresolved sync conflict (shown as such in the library). */
  conflicted: ReadonlySet<string>;
  /** The organisation's default framework, once it is here: choosing another is locked. */
  managedFrameworkId: string | undefined;
}

export function criterionIndex(frameworks: readonly Framework[]): Map<string, CriterionInfo> {
  const map = new Map<string, CriterionInfo>();
  for (const f of frameworks) {
    for (const d of f.domains) {
      for (const s of d.standards) {
        for (const c of s.criteria) {
          map.set(c.id, {
            id: c.id,
            code: c.code,
            title: c.title,
            ...(c.guidance ? { guidance: c.guidance } : {}),
            frameworkId: f.id,
            frameworkName: f.name,
            domainId: d.id,
            domainTitle: d.title,
            standardId: s.id,
            standardTitle: s.title,
          });
        }
      }
    }
  }
  return map;
}

export async function loadDashboard(db: ClipperDb): Promise<DashboardData> {
  const [rawFrameworks, activeRow, clips, assessments, clipConflicts, aggregates, managed] =
    await db.transaction(
      'r',
      [db.frameworks, db.meta, db.clips, db.assessments, db.conflicts, db.coverage],
      () =>
        Promise.all([
          db.frameworks.toArray(),
          db.meta.get(META_KEYS.activeFramework),
          db.clips.toArray(),
          db.assessments.toArray(),
          db.conflicts.where('kind').equals('clip').toArray(),
          db.coverage.toArray(),
          readManagedView(db),
        ]),
    );
  const frameworks = rawFrameworks
    .map((f) => frameworkSchema.safeParse(f))
    .flatMap((r) => (r.success ? [r.data] : []))
    .sort((a, b) => a.name.localeCompare(b.name));
  const wanted = typeof activeRow?.value === 'string' ? activeRow.value : undefined;
  const active = frameworks.find((f) => f.id === wanted) ?? frameworks[0];
  const today = todayIso();
  return {
    frameworks,
    active,
    activeId: active?.id,
    clips,
    assessments,
    coverage: active
      ? coverageFromAggregates({ framework: active, aggregates, assessments, today })
      : undefined,
    aggregates,
    criteria: criterionIndex(frameworks),
    today,
    conflicted: new Set(clipConflicts.map((c) => c.id)),
    managedFrameworkId: frameworks.find((f) => f.id === managed.defaultFramework?.id)?.id,
  };
}
