// Keeps the `coverage` table (one row of evidence counts per criterion, shared/coverage-aggregate.ts)
// equal to a recount of the clips, in the SAME transaction as every clip write. It is a Dexie
// DBCore middleware on the clips table, so there is one place for it and no write path can miss it:
// the local-write layer, the sync appliers, anchor reports, imports and plain `db.clips.update`
// all reach IndexedDB through it. It must stay bookkeeping: it never changes a clip or refuses one.
import type {
  DBCore,
  DBCoreMutateRequest,
  DBCoreMutateResponse,
  DBCoreTable,
  Middleware,
  Transaction,
} from 'dexie';
import {
  aggregateDeltas,
  applyDelta,
  type CoverageFields,
  type CriterionAggregate,
  recountAggregates,
} from '../../../shared/coverage-aggregate';

/** The Dexie table of per-criterion counts, keyed by `criterionId`. */
export const COVERAGE_TABLE = 'coverage';
const CLIPS_TABLE = 'clips';

type Row = CoverageFields | undefined;

/** Moves the coverage rows by the change from each `before` to its `after` clip row. */
async function applyChanges(
  coverage: DBCoreTable,
  trans: DBCoreMutateRequest['trans'],
  changes: (readonly [Row, Row])[],
): Promise<void> {
  const deltas = aggregateDeltas(changes);
  if (deltas.size === 0) return;
  const ids = [...deltas.keys()];
  const rows = (await coverage.getMany({ trans, keys: ids })) as (CriterionAggregate | undefined)[];
  const puts: CriterionAggregate[] = [];
  const deletes: string[] = [];
  ids.forEach((id, i) => {
    const delta = deltas.get(id);
    if (!delta) return;
    const next = applyDelta(id, rows[i], delta);
    if (next) puts.push(next);
    else deletes.push(id);
  });
  const results = await Promise.all([
    puts.length ? coverage.mutate({ type: 'put', trans, values: puts }) : undefined,
    deletes.length ? coverage.mutate({ type: 'delete', trans, keys: deletes }) : undefined,
  ]);
  for (const r of results) if (r && r.numFailures > 0) throw Object.values(r.failures)[0];
}

/** The clip mutation `req`, followed by the coverage rows it moves. */
async function mutateClips(
  clips: DBCoreTable,
  coverage: DBCoreTable,
  req: DBCoreMutateRequest,
): Promise<DBCoreMutateResponse> {
  const { trans } = req;
  let keys: unknown[];
  let before: Row[];
  if (req.type === 'deleteRange') {
    const found = await clips.query({
      trans,
      values: true,
      query: { index: clips.schema.primaryKey, range: req.range },
    });
    before = found.result as Row[];
    keys = before.map((row) => clips.schema.primaryKey.extractKey?.(row));
  } else {
    keys =
      req.type === 'delete'
        ? req.keys
        : (req.keys ?? req.values.map((v) => clips.schema.primaryKey.extractKey?.(v)));
    before = (await clips.getMany({ trans, keys })) as Row[];
  }
  const res = await clips.mutate(req);
  const changes: (readonly [Row, Row])[] = [];
  // A bulk write may name one clip twice: each step starts from the previous step's row.
  const latest = new Map<unknown, Row>();
  before.forEach((row, i) => {
    if (res.failures[i]) return; // not written (a partial failure of a bulk write)
    const key = keys[i];
    const from = latest.has(key) ? latest.get(key) : row;
    const to = req.type === 'add' || req.type === 'put' ? (req.values[i] as Row) : undefined;
    latest.set(key, to);
    changes.push([from, to]);
  });
  await applyChanges(coverage, trans, changes);
  return res;
}

/**
 * The middleware (`db.use(coverageAggregates)`): a readwrite transaction that takes the clips
 * also takes the coverage table, and every clip mutation updates the counts inside it.
 */
export const coverageAggregates: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'CoverageAggregates',
  create(down) {
    return {
      ...down,
      transaction(stores, mode, options) {
        const widen =
          mode === 'readwrite' && stores.includes(CLIPS_TABLE) && !stores.includes(COVERAGE_TABLE);
        return down.transaction(widen ? [...stores, COVERAGE_TABLE] : stores, mode, options);
      },
      table(name) {
        const table = down.table(name);
        if (name !== CLIPS_TABLE) return table;
        return { ...table, mutate: (req) => mutateClips(table, down.table(COVERAGE_TABLE), req) };
      },
    };
  },
};

/** Fills the coverage table from every clip: the `upgrade()` that adds it (lib/db.ts). */
export async function rebuildCoverage(tx: Transaction): Promise<void> {
  const clips = (await tx.table(CLIPS_TABLE).toArray()) as CoverageFields[];
  await tx.table(COVERAGE_TABLE).clear();
  await tx.table(COVERAGE_TABLE).bulkPut(recountAggregates(clips));
}
