// Coverage: how well each criterion is evidenced, rolled up to standards and domains (README, "RAG rule").
// Pure: the same inputs always give the same answer; "today" is passed in, never read from a clock.
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

export interface CriterionCoverage {
  id: string;
  code: string;
  title: string;
  evidence: number;
  fresh: number;
  stale: number;
  rating: Rating;
  rag: Rag;
  /** Ids of the live clips tagged with this criterion. */
  clipIds: string[];
}

export interface StandardCoverage {
  id: string;
  title: string;
  rag: Rag;
  tally: Tally;
  criteria: CriterionCoverage[];
}

export interface DomainCoverage {
  id: string;
  title: string;
  rag: Rag;
  tally: Tally;
  standards: StandardCoverage[];
}

export interface Coverage {
  frameworkId: string;
  rag: Rag;
  tally: Tally;
  domains: DomainCoverage[];
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

function addCriterion(t: Tally, c: CriterionCoverage): void {
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

/** Coverage of one framework. O(clips × criteria per clip + criteria). */
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
  const ratings = new Map(assessments.map((a) => [a.criterionId, a.rating]));

  const total = emptyTally();
  const domains = framework.domains.map((d): DomainCoverage => {
    const dTally = emptyTally();
    const standards = d.standards.map((s): StandardCoverage => {
      const sTally = emptyTally();
      const criteria = s.criteria.map((c): CriterionCoverage => {
        const f = fresh.get(c.id) ?? 0;
        const st = stale.get(c.id) ?? 0;
        const rating = ratings.get(c.id) ?? 'unrated';
        const cov: CriterionCoverage = {
          id: c.id,
          code: c.code,
          title: c.title,
          evidence: f + st,
          fresh: f,
          stale: st,
          rating,
          rag: criterionRag(rating, f, st),
          clipIds: clipIds.get(c.id) ?? [],
        };
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
