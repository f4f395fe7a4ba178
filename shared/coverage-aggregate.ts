// Per-criterion evidence counts kept beside the clips, so coverage is read from one small row per
// criterion instead of from every clip (docs/architecture.md, "Coverage aggregates"). Pure: the
// extension applies the deltas in the transaction of every clip write; nothing here reads a clock.
// Staleness depends on today, so a row never stores "stale": it stores the not-lost clips per
// review date, and `countsAt` splits them at today. A date passing therefore rewrites nothing.
import type { Clip } from './schemas';

/** One criterion's evidence counts (a row of the extension's `coverage` table). */
export interface CriterionAggregate {
  criterionId: string;
  /** Live (not deleted) clips tagged with the criterion. */
  live: number;
  /** Of those, the clips lost on their page: stale whatever the date. */
  lost: number;
  /** Of the live clips not lost, how many have each review date (`YYYY-MM-DD`). Clips without a
   *  review date are not listed: they are `live - lost - Σ reviewDue`, and always fresh. */
  reviewDue: Record<string, number>;
}

/** The clip fields coverage depends on (a stored row may carry more). */
export type CoverageFields = Pick<Clip, 'deleted' | 'criteria' | 'docMeta' | 'anchor'>;

/** A signed change to one criterion's counts. */
interface Delta {
  live: number;
  lost: number;
  reviewDue: Map<string, number>;
}

/** What one clip adds to the counts of each of its criteria; nothing when deleted or absent. */
function contribution(clip: CoverageFields | undefined) {
  if (!clip || clip.deleted) return undefined;
  const lost = clip.anchor?.status === 'lost';
  // Same test as staleReason in coverage.ts: an empty review date is no review date.
  const due = !lost && clip.docMeta?.reviewDue ? clip.docMeta.reviewDue : undefined;
  return { criteria: new Set(clip.criteria), lost, due };
}

function add(deltas: Map<string, Delta>, clip: CoverageFields | undefined, sign: 1 | -1): void {
  const c = contribution(clip);
  if (!c) return;
  for (const id of c.criteria) {
    let d = deltas.get(id);
    if (!d) {
      d = { live: 0, lost: 0, reviewDue: new Map() };
      deltas.set(id, d);
    }
    d.live += sign;
    if (c.lost) d.lost += sign;
    if (c.due) d.reviewDue.set(c.due, (d.reviewDue.get(c.due) ?? 0) + sign);
  }
}

const isZero = (d: Delta) => d.live === 0 && d.lost === 0 && [...d.reviewDue.values()].every((n) => n === 0);

/**
 * The change to the counts made by replacing each `before` row with its `after` row (undefined:
 * absent). Criteria whose counts do not move are left out, so a note edit touches no row.
 */
export function aggregateDeltas(
  changes: Iterable<readonly [CoverageFields | undefined, CoverageFields | undefined]>,
): Map<string, Delta> {
  const deltas = new Map<string, Delta>();
  for (const [before, after] of changes) {
    add(deltas, before, -1);
    add(deltas, after, 1);
  }
  for (const [id, d] of deltas) if (isZero(d)) deltas.delete(id);
  return deltas;
}

/** `row` moved by `delta`; undefined when no live clip is left (the row is deleted). */
export function applyDelta(
  criterionId: string,
  row: CriterionAggregate | undefined,
  delta: Delta,
): CriterionAggregate | undefined {
  const reviewDue = { ...row?.reviewDue };
  for (const [date, n] of delta.reviewDue) {
    const next = (reviewDue[date] ?? 0) + n;
    if (next === 0) delete reviewDue[date];
    else reviewDue[date] = next;
  }
  const live = (row?.live ?? 0) + delta.live;
  const lost = (row?.lost ?? 0) + delta.lost;
  if (live === 0 && lost === 0 && Object.keys(reviewDue).length === 0) return undefined;
  return { criterionId, live, lost, reviewDue };
}

/** The rows counted from scratch over `clips` (the migration and the tests' reference). */
export function recountAggregates(clips: Iterable<CoverageFields>): CriterionAggregate[] {
  const deltas = aggregateDeltas([...clips].map((c) => [undefined, c] as const));
  return [...deltas]
    .flatMap(([id, d]) => applyDelta(id, undefined, d) ?? [])
    .sort((a, b) => (a.criterionId < b.criterionId ? -1 : a.criterionId > b.criterionId ? 1 : 0));
}

/**
 * Fresh and stale evidence of one criterion on `today` (`YYYY-MM-DD`): stale = lost, or past its
 * review date (the RAG rule in coverage.ts). O(review dates of the criterion).
 */
export function countsAt(
  row: CriterionAggregate | undefined,
  today: string,
): { fresh: number; stale: number } {
  if (!row) return { fresh: 0, stale: 0 };
  let stale = row.lost;
  for (const [date, n] of Object.entries(row.reviewDue)) if (date < today) stale += n;
  return { fresh: row.live - stale, stale };
}
