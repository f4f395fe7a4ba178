// The extension's IndexedDB (Dexie). Lives only in the extension origin: the background and
// extension pages. Content scripts never open it; they ask the background (lib/messaging.ts).
import Dexie, { type EntityTable } from 'dexie';
import type { CriterionAggregate } from '../../shared/coverage-aggregate';
import type { Assessment, Clip, Framework } from '../../shared/schemas';
import type { Submission } from '../../shared/submissions';
import { COVERAGE_TABLE, coverageAggregates, rebuildCoverage } from './store/coverage-aggregates';
import type { Conflict, MetaRow, OutboxEntry } from './store/rows';

export type ClipperDb = Dexie & {
  clips: EntityTable<Clip, 'id'>;
  frameworks: EntityTable<Framework, 'id'>;
  assessments: EntityTable<Assessment, 'criterionId'>;
  outbox: EntityTable<OutboxEntry, 'mutationId'>;
  meta: EntityTable<MetaRow, 'key'>;
  /** Sync conflicts awaiting the user's decision (lib/store/rows.ts). */
  conflicts: EntityTable<Conflict, 'key'>;
  /** Evidence counts per criterion, kept by lib/store/coverage-aggregates.ts: never write it. */
  coverage: EntityTable<CriterionAggregate, 'criterionId'>;
  /** Submissions frozen by the team's admins: read-only copies pulled from the server. */
  submissions: EntityTable<Submission, 'id'>;
};

/** The IndexedDB database name. */
export const DB_NAME = 'qsi-evidence-clipper';

export function createDb(name = DB_NAME): ClipperDb {
  const db = new Dexie(name) as ClipperDb;
  db.version(1).stores({
    clips: 'id, docKey, updatedAt, createdAt, *criteria',
    frameworks: 'id',
    assessments: 'criterionId',
    outbox: 'mutationId',
    meta: 'key',
  });
  // v2 (additive): sync conflicts shown in the dashboard.
  db.version(2).stores({ conflicts: 'key, kind' });
  // v3: per-criterion coverage counts, built here from the clips already stored and from then on
  // kept in the transaction of every clip write (docs/architecture.md, "Coverage aggregates").
  db.version(3)
    .stores({ [COVERAGE_TABLE]: 'criterionId' })
    .upgrade(rebuildCoverage);
  // v4 (additive): the team's submissions (frozen evidence sets), filled by pulls.
  db.version(4).stores({ submissions: 'id, frozenAt' });
  db.use(coverageAggregates);
  return db;
}
