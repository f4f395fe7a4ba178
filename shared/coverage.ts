// Coverage: how well each criterion is evidenced, rolled up to standards and domains (README, "RAG rule").
// Pure: the same inputs always give the same answer; "today" is passed in, never read from a clock.
import { type CriterionAggregate, countsAt } from './coverage-aggregate';
import type { Assessment, Clip, Framework, Rating } from './schemas';

export type Rag = 'red' | 'amber' | 'green' | 'n/a';

export interface Tally {
  /** Criteria that count (not rated n/a). */
  applicable: number;
  red: number;
  amber: number;
  green: number;
  na: number;
  /** Applicable criteria with at least one fresh piece of evidence. */
  covered: number;
  /** Evidence links (clip × criterion) of the applicable criteria; `stale` is the stale part. */
  evidence: number;
  stale: number;
}

export type StaleReason = 'review-overdue' | 'lost';

/** A criterion's evidence counts and status. */
export interface CriterionStatus {
  id: string;
  code: string;
  title: string;
  evidence: number;
  fresh: number;
  stale: number;
  rating: Rating;
  rag: Rag;
}

/** A criterion's status with the clips behind it (computed from the clips themselves). */
export interface CriterionCoverage extends CriterionStatus {
  /** Ids of the live clips tagged with this criterion. */
  clipIds: string[];
}

export interface StandardCoverage<C extends CriterionStatus = CriterionCoverage> {
  id: string;
  title: string;
  rag: Rag;
  tally: Tally;
  criteria: C[];
}

export interface DomainCoverage<C extends CriterionStatus = CriterionCoverage> {
  id: string;
  title: string;
  rag: Rag;
  tally: Tally;
  standards: StandardCoverage<C>[];
}

/** Coverage of a framework; `Coverage<CriterionStatus>` is the counts-only form read from the
 *  per-criterion aggregates (no clip ids). */
export interface Coverage<C extends CriterionStatus = CriterionCoverage> {
  frameworkId: string;
  rag: Rag;
  tally: Tally;
  domains: DomainCoverage<C>[];
}

export interface CoverageInput {
  framework: Framework;
  clips: readonly Clip[];
  assessments: readonly Assessment[];
  /** `YYYY-MM-DD` in the user's time zone. */
  today: string;
}

/** Why a live clip no longer counts as fresh evidence, or `undefined` when it does. */
export function staleReason(clip: Clip, today: string): StaleReason | undefined {
  if (clip.anchor?.status === 'lost') return 'lost';
  if (clip.docMeta.reviewDue && clip.docMeta.reviewDue < today) return 'review-overdue';
  return undefined;
}

const order: Record<Exclude<Rag, 'n/a'>, number> = { green: 0, amber: 1, red: 2 };

/**
 * The RAG rule (also in the README):
 *
 * Criterion
 * 1. Rated `n/a` → `n/a` (excluded from every roll-up).
 * 2. Evidence status: no live clip → red; only stale clips (document past its review date, or
 *    clip lost on its page) → amber; at least one fresh clip → green.
 * 3. Unrated → the evidence status. Rated red/amber/green → the worse of the self-rating and the
 *    evidence status: a self-rating can lower the status but never raise it above the evidence
 *    (a "green" criterion whose only evidence went stale shows amber).
 *
 * Standard, domain and whole framework, over their applicable criteria
 * 4. None applicable → `n/a`; all green → green; at least half red → red; otherwise amber.
 */
export function criterionRag(rating: Rating, fresh: number, stale: number): Rag {
  if (rating === 'n/a') return 'n/a';
  const evidence: Exclude<Rag, 'n/a'> = fresh > 0 ? 'green' : stale > 0 ? 'amber' : 'red';
  if (rating === 'unrated') return evidence;
  return order[rating] >= order[evidence] ? rating : evidence;
}

export function rollupRag(t: Tally): Rag {
  if (t.applicable === 0) return 'n/a';
  if (t.green === t.applicable) return 'green';
  if (t.red * 2 >= t.applicable) return 'red';
  return 'amber';
}

const emptyTally = (): Tally => ({
  applicable: 0,
  red: 0,
  amber: 0,
  green: 0,
  na: 0,
  covered: 0,
  evidence: 0,
  stale: 0,
});

function addCriterion(t: Tally, c: CriterionStatus): void {
  if (c.rag === 'n/a') {
    // Rule 1: an n/a criterion is left out of every roll-up, its evidence counts included.
    t.na += 1;
    return;
  }
  t.evidence += c.evidence;
  t.stale += c.stale;
  t.applicable += 1;
  t[c.rag] += 1;
  if (c.fresh > 0) t.covered += 1;
}

function addTally(into: Tally, t: Tally): void {
  for (const k of Object.keys(into) as (keyof Tally)[]) into[k] += t[k];
}

/**
 * Rolls a framework up from per-criterion counts (rules 1–4 above). `extra` adds fields to each
 * criterion (the clip ids when computed from clips).
 */
function buildCoverage<C extends CriterionStatus>(
  framework: Framework,
  assessments: readonly Assessment[],
  countsOf: (criterionId: string) => { fresh: number; stale: number },
  extra: (status: CriterionStatus) => C,
): Coverage<C> {
  const ratings = new Map(assessments.map((a) => [a.criterionId, a.rating]));
  const total = emptyTally();
  const domains = framework.domains.map((d): DomainCoverage<C> => {
    const dTally = emptyTally();
    const standards = d.standards.map((s): StandardCoverage<C> => {
      const sTally = emptyTally();
      const criteria = s.criteria.map((c): C => {
        const { fresh: f, stale: st } = countsOf(c.id);
        const rating = ratings.get(c.id) ?? 'unrated';
        const cov = extra({
          id: c.id,
          code: c.code,
          title: c.title,
          evidence: f + st,
          fresh: f,
          stale: st,
          rating,
          rag: criterionRag(rating, f, st),
        });
        addCriterion(sTally, cov);
        return cov;
      });
      addTally(dTally, sTally);
      return { id: s.id, title: s.title, rag: rollupRag(sTally), tally: sTally, criteria };
    });
    addTally(total, dTally);
    return { id: d.id, title: d.title, rag: rollupRag(dTally), tally: dTally, standards };
  });
  return { frameworkId: framework.id, rag: rollupRag(total), tally: total, domains };
}

/** Coverage of one framework, with the clip ids behind each criterion. O(clips × criteria per
 *  clip + criteria): the evidence pack and tests use it; screens read the aggregates instead. */
export function computeCoverage({ framework, clips, assessments, today }: CoverageInput): Coverage {
  const fresh = new Map<string, number>();
  const stale = new Map<string, number>();
  const clipIds = new Map<string, string[]>();
  for (const clip of clips) {
    if (clip.deleted) continue;
    const isStale = staleReason(clip, today) !== undefined;
    for (const cid of new Set(clip.criteria)) {
      const bucket = isStale ? stale : fresh;
      bucket.set(cid, (bucket.get(cid) ?? 0) + 1);
      const ids = clipIds.get(cid);
      if (ids) ids.push(clip.id);
      else clipIds.set(cid, [clip.id]);
    }
  }
  return buildCoverage(
    framework,
    assessments,
    (id) => ({ fresh: fresh.get(id) ?? 0, stale: stale.get(id) ?? 0 }),
    (status) => ({ ...status, clipIds: clipIds.get(status.id) ?? [] }),
  );
}

export interface AggregateCoverageInput {
  framework: Framework;
  /** The per-criterion rows (shared/coverage-aggregate.ts), any order, any framework's. */
  aggregates: readonly CriterionAggregate[];
  assessments: readonly Assessment[];
  /** `YYYY-MM-DD` in the user's time zone. */
  today: string;
}

/** The same coverage as {@link computeCoverage}, without clip ids, from the per-criterion
 *  aggregates: O(criteria × review dates), whatever the number of clips. */
export function coverageFromAggregates({
  framework,
  aggregates,
  assessments,
  today,
}: AggregateCoverageInput): Coverage<CriterionStatus> {
  const rows = new Map(aggregates.map((r) => [r.criterionId, r]));
  return buildCoverage(
    framework,
    assessments,
    (id) => countsAt(rows.get(id), today),
    (status) => status,
  );
}
