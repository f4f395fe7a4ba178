// Re-find a described passage in (possibly edited) normalised text. Stages (docs/anchoring.md):
// position → exact quote (near the old position, then anywhere; copies told apart by context,
// then distance) → fuzzy between its unchanged context → fuzzy near the old position → fuzzy
// over the whole text → word by word (reworded passages). Every candidate is verified against
// the quote and calibrated thresholds; anything short of them is `lost`, with the best rejected
// places as suggestions — never a highlight on the wrong text.
import search from 'approx-string-match';
import type { Selector, TextPositionSelector, TextQuoteSelector } from '../schemas';
import { buildGramIndex, GRAM, type GramIndex } from './gram-index';
import { canonicalize, collapseText } from './normalize';
import { alignWords, tokenize, wordKey } from './word-align';

export type LocateStatus = 'exact' | 'relocated' | 'lost';
export type AnchorStage =
  | 'position'
  | 'quote'
  | 'fuzzy-context'
  | 'fuzzy-window'
  | 'fuzzy-text'
  | 'fuzzy-words'
  | 'none';

export interface LocateResult {
  status: LocateStatus;
  start?: number;
  end?: number;
  /** Combined confidence in [0, 1] of the accepted (or best rejected) candidate. */
  score: number;
  /** Which stage decided (diagnostics). */
  stage?: AnchorStage;
  /** Quote similarity of the accepted candidate, 1 = unchanged. */
  quoteSimilarity?: number;
  /**
   * For a `lost` clip: the best places below the acceptance thresholds (at most
   * `LocateOptions.suggestions`, best first), for the user to confirm ("Is it this passage?").
   * Never accepted, never to be painted before the user confirms one.
   */
  suggestions?: Suggestion[];
}

/** A place that might be the lost passage, for the user to judge (see `diffQuote`). */
export interface Suggestion {
  start: number;
  end: number;
  /** Combined score of the candidate (below what acceptance needs). */
  score: number;
  /** Quote similarity, 1 = the very words. */
  quoteSimilarity: number;
}

/**
 * Acceptance thresholds, calibrated on three corpora (docs/anchoring.md, "Calibration"): the
 * real revisions in tests/corpus/real, the synthetic pages of tests/corpus/policy-corpus.ts and
 * the templated pages of tests/corpus/templated-corpus.ts. False anchors stay 0 on the first two;
 * changing a threshold needs a run of tests/shared/anchoring/{real-corpus,corpus,templated}.test.ts.
 */
export const THRESHOLDS = {
  /** Quotes shorter than this need an exact occurrence plus matching context. */
  shortQuote: 20,
  /** Context similarity each side needs for a short quote. */
  shortContext: 0.75,
  /** Mean context a quote that occurs more than once (boilerplate) needs. */
  repeatedContext: 0.6,
  /** A short quote may rest on one side of context matching this well over ≥ `sideMinChars`. */
  oneSide: 0.95,
  sideMinChars: 40,
  /** Minimum quote similarity of a fuzzy candidate. */
  fuzzyQuote: 0.8,
  /** Minimum combined score of a fuzzy candidate. */
  fuzzyScore: 0.8,
  /** Minimum mean context similarity of a fuzzy candidate. */
  fuzzyContext: 0.5,
  /** Best candidate must beat the runner-up (a different place) by this much. */
  margin: 0.08,
  /** An edited form nearer the old position outranks a verbatim copy with context up to this much better. */
  rivalContext: 0.3,
  /** Verbatim copies closer than this (context less distance penalty) cannot be told apart. */
  tie: 0.02,
  /** Weight of the characters right next to a verbatim copy agreeing exactly (see `nearestAgreement`). */
  nearBonus: 0.1,
  /** Penalty per 1 000 characters between a verbatim copy and the old position… */
  distancePenalty: 0.05,
  /** …and its cap (a passage moved far with its context beats a near copy without). */
  maxDistancePenalty: 0.1,
  /** Context similarity each side for `exact` (below it: `relocated`). */
  exactStatusContext: 0.9,
  /** Most exact occurrences scored by context; beyond it only near-context matches are. */
  maxCandidates: 24,
  /** A verbatim quote this long that occurs once is found wherever it moved, context or not. */
  uniqueQuote: 40,
  /** Mean context a unique verbatim quote between `shortQuote` and `uniqueQuote` needs… */
  uniqueContext: 0.4,
  /** …or one side of context this similar (any unique verbatim quote, short ones included). */
  uniqueOneSide: 0.5,
  /** Word stage: minimum word similarity (Dice over the quote's words, case and punctuation aside). */
  wordQuote: 0.75,
  /** Word stage: mean context similarity, unless only case and punctuation changed (see `wordStage`). */
  wordContext: 0.5,
  /** Word stage: a look-alike this similar elsewhere stops a same-words passage standing without context. */
  aloneRival: 0.8,
  /** Word stage: minimum word similarity of a passage between both sides of its unchanged context. */
  bracketQuote: 0.65,
  /** Word stage: a long passage (characters) this similar may stand without context too, if no look-alike exists. */
  aloneQuote: 0.85,
  aloneLength: 40,
  /** Word stage: minimum combined score. */
  wordScore: 0.7,
  /** Longest quote (in words) the word stage aligns. */
  wordMaxWords: 400,
} as const;

export interface LocateOptions {
  /** Half-width of the first fuzzy window around the old position (default 8 000 chars). */
  window?: number;
  /** Skip the whole-text fuzzy stage (e.g. on the main thread; retry in the background). */
  windowOnly?: boolean;
  /** Most suggestions returned with a `lost` result (default 3; 0: none). */
  suggestions?: number;
}

/** Floors for a suggestion: it must share most of the quote's words and some of its context. */
const SUGGEST_QUOTE = 0.5;
const SUGGEST_SCORE = 0.4;

/** The best distinct rejected candidates, best first. */
function suggestionsFrom(pool: Candidate[], max: number): Suggestion[] {
  const sorted = [...pool]
    .filter((c) => c.quote >= SUGGEST_QUOTE && c.score >= SUGGEST_SCORE)
    .sort((a, b) => b.score - a.score);
  const out: Suggestion[] = [];
  for (const c of sorted) {
    if (out.length >= max) break;
    if (out.some((o) => Math.min(o.end, c.end) > Math.max(o.start, c.start))) continue;
    out.push({ start: c.start, end: c.end, score: c.score, quoteSimilarity: c.quote });
  }
  return out;
}

/** A text prepared once for many `locateText` calls (canonical form, lazy seed index). */
export interface PreparedText {
  readonly text: string;
  readonly canon: string;
  grams(): GramIndex;
}

/** Prepares `text` (normalised, see `normalizeText`) for locating many clips in it. */
export function prepareText(text: string): PreparedText {
  const canon = canonicalize(text);
  let index: GramIndex | undefined;
  return {
    text,
    canon,
    grams() {
      index ??= buildGramIndex(canon);
      return index;
    },
  };
}

let lastPrepared: PreparedText | undefined;
function prepared(text: string | PreparedText): PreparedText {
  if (typeof text !== 'string') return text;
  if (lastPrepared?.text !== text) lastPrepared = prepareText(text);
  return lastPrepared;
}

interface Candidate {
  start: number;
  end: number;
  quote: number;
  prefix: number;
  suffix: number;
  score: number;
}

interface Query {
  T: string;
  q: string;
  prefix: string | undefined;
  suffix: string | undefined;
  /** The quote stood once on the page when the clip was made (`TextQuoteSelector.unique`). */
  unique: boolean;
  /** Verbatim occurrences the exact stage judged and did not take (the fuzzy stages may not either). */
  refused?: number[];
}

/** The candidate is mostly one of the verbatim occurrences the exact stage refused. */
const refusedCopy = (query: Query, c: Candidate) =>
  (query.refused ?? []).some(
    (i) => Math.min(c.end, i + query.q.length) - Math.max(c.start, i) > (c.end - c.start) / 2,
  );

/**
 * Context similarity of a verbatim occurrence (the exact-quote stage): adjacent, or found a
 * little further out when text was inserted between the quote and its old context.
 */
function displacedSimilarity(T: string, at: number, ctx: string | undefined, before: boolean): number {
  const adjacent = sideSimilarity(T, at, ctx, before);
  if (adjacent >= DISPLACED || ctx === undefined) return adjacent;
  // Text inserted between the quote and its old context (a new paragraph right before a clip):
  // the context's nearest 24 characters verbatim a little further out still vouch for this
  // place, a little less than adjacent context would.
  const c = ctx.trim();
  if (c.length < 24) return adjacent;
  if (before) {
    const tail = c.slice(-24);
    const from = Math.max(0, at - DISPLACED_REACH - tail.length);
    const i = T.slice(from, at).lastIndexOf(tail);
    if (i < 0) return adjacent;
    return Math.max(adjacent, DISPLACED * sideSimilarity(T, from + i + tail.length, ctx, true));
  }
  const head = c.slice(0, 24);
  const i = T.slice(at, at + DISPLACED_REACH + head.length).indexOf(head);
  if (i < 0) return adjacent;
  return Math.max(adjacent, DISPLACED * sideSimilarity(T, at + i, ctx, false));
}

/** Weight of context found displaced by inserted text, and how far out it is looked for. */
const DISPLACED = 0.85;
const DISPLACED_REACH = 600;

/**
 * Similarity of a context string to the text beside a candidate, in [0, 1]: the share of its
 * characters in words that survive in order (word-level LCS) — rewording costs what it changes,
 * and it is cheap enough to score hundreds of candidates.
 */
function sideSimilarity(T: string, at: number, ctx: string | undefined, before: boolean): number {
  if (ctx === undefined) return 0.7; // no information: neutral
  const c = ctx.trim();
  let edge = at;
  if (before) while (edge > 0 && T.charCodeAt(edge - 1) === 32) edge--;
  else while (edge < T.length && T.charCodeAt(edge) === 32) edge++;
  const avail = before ? edge : T.length - edge;
  if (c.length === 0) return avail === 0 ? 1 : 0.5; // was at the document edge
  if (avail === 0) return 0;
  const p = before ? c.slice(Math.max(0, c.length - avail)) : c.slice(0, avail);
  if (before ? T.startsWith(p, edge - p.length) : T.startsWith(p, edge)) return 1;
  const slack = Math.ceil(p.length * 0.25) + 2;
  const w = before
    ? T.slice(Math.max(0, edge - p.length - slack), edge)
    : T.slice(edge, Math.min(T.length, edge + p.length + slack));
  const a = p.split(' ');
  const b = w.split(' ');
  // Near the quote first: for a prefix, compare the words from the quote outwards.
  if (before) {
    a.reverse();
    b.reverse();
  }
  return Math.min(1, wordLcsChars(a, b) / (p.length + 1));
}

/** Characters (with one joining space each) of the longest common word subsequence. */
function wordLcsChars(a: string[], b: string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const wa = a[i - 1] ?? '';
    for (let j = 1; j <= b.length; j++) {
      cur[j] = wa === b[j - 1] ? (prev[j - 1] ?? 0) + wa.length + 1 : Math.max(prev[j] ?? 0, cur[j - 1] ?? 0);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

function evaluate(query: Query, start: number, end: number, errors: number): Candidate {
  const quote = 1 - errors / query.q.length;
  const prefix = sideSimilarity(query.T, start, query.prefix, true);
  const suffix = sideSimilarity(query.T, end, query.suffix, false);
  return { start, end, quote, prefix, suffix, score: (50 * quote + 20 * prefix + 20 * suffix) / 90 };
}

/** A verbatim occurrence, its context also looked for past inserted text. */
function evaluateExact(query: Query, start: number): Candidate {
  const end = start + query.q.length;
  const prefix = displacedSimilarity(query.T, start, query.prefix, true);
  const suffix = displacedSimilarity(query.T, end, query.suffix, false);
  return { start, end, quote: 1, prefix, suffix, score: (50 + 20 * prefix + 20 * suffix) / 90 };
}

const contextOf = (c: Candidate) => (c.prefix + c.suffix) / 2;

/** The 12 characters next to the quote on one side are unchanged. */
function nearContextHolds(query: Query, start: number, end: number): boolean {
  const n = 12;
  const p = query.prefix?.trimEnd() ?? '';
  const s = query.suffix?.trimStart() ?? '';
  let a = start;
  while (a > 0 && query.T.charCodeAt(a - 1) === 32) a--;
  let b = end;
  while (b < query.T.length && query.T.charCodeAt(b) === 32) b++;
  const pn = p.slice(-n);
  const sn = s.slice(0, n);
  return (
    (pn.length > 0 && query.T.startsWith(pn, a - pn.length)) || (sn.length > 0 && query.T.startsWith(sn, b))
  );
}

/** One side of context (long enough to mean something) still matches almost exactly. */
function oneSideHolds(query: Query, c: Candidate): boolean {
  const long = (s: string | undefined) => (s?.trim().length ?? 0) >= THRESHOLDS.sideMinChars;
  return (
    (c.prefix >= THRESHOLDS.oneSide && long(query.prefix)) ||
    (c.suffix >= THRESHOLDS.oneSide && long(query.suffix))
  );
}

function result(query: Query, c: Candidate, stage: AnchorStage): LocateResult {
  // `exact` only for the very words clipped: a case, punctuation or word change is `relocated`.
  const exact =
    c.quote === 1 &&
    query.T.slice(c.start, c.end) === query.q &&
    c.prefix >= THRESHOLDS.exactStatusContext &&
    c.suffix >= THRESHOLDS.exactStatusContext;
  // A changed passage ends where its last word does: punctuation left hanging after the aligned
  // end (the quote's "." became ":") belongs to it. A verbatim occurrence keeps its range.
  let end = c.end;
  if (query.T.slice(c.start, c.end) !== query.q)
    while (end < query.T.length && end - c.end < 3 && PUNCT.test(query.T.charAt(end))) end++;
  return {
    status: exact ? 'exact' : 'relocated',
    start: c.start,
    end,
    score: c.score,
    stage,
    quoteSimilarity: c.quote,
  };
}

const PUNCT = /[.,;:!?)\]”’"']/;

function allOccurrences(T: string, q: string, cap: number): number[] {
  const out: number[] = [];
  for (let i = T.indexOf(q); i >= 0 && out.length < cap; i = T.indexOf(q, i + 1)) out.push(i);
  return out;
}

/** The `cap` occurrences nearest the hint within `w`; if none, the first anywhere (or none). */
function occurrencesNear(
  T: string,
  s: string,
  hint: number | undefined,
  w: number,
  cap: number,
  anywhere = true,
): number[] {
  if (hint === undefined) return allOccurrences(T, s, cap);
  // Search a slice: an unbounded indexOf past the last hit would scan to the end of the text.
  const lo = Math.max(0, hint - w);
  const out = allOccurrences(T.slice(lo, hint + w + s.length), s, 1000).map((i) => i + lo);
  if (out.length === 0) return anywhere ? allOccurrences(T, s, cap) : [];
  return out.sort((x, y) => Math.abs(x - hint) - Math.abs(y - hint)).slice(0, cap);
}

/** The best candidate and the best one at a different place (overlap < half the quote). */
function rank(
  cands: Candidate[],
  key: (c: Candidate) => number,
): [Candidate | undefined, Candidate | undefined] {
  let best: Candidate | undefined;
  for (const c of cands) if (!best || key(c) > key(best)) best = c;
  let second: Candidate | undefined;
  if (best) {
    const b = best;
    const half = (b.end - b.start) / 2;
    for (const c of cands) {
      const overlap = Math.min(c.end, b.end) - Math.max(c.start, b.start);
      if (overlap < half && (!second || key(c) > key(second))) second = c;
    }
  }
  return [best, second];
}

function fuzzyIn(query: Query, from: number, to: number, maxErrors: number): Candidate[] {
  const a = Math.max(0, from);
  const b = Math.min(query.T.length, to);
  if (b - a < query.q.length - maxErrors) return [];
  const out: Candidate[] = [];
  let lastEnd = -1;
  for (const m of search(query.T.slice(a, b), query.q, maxErrors)) {
    if (m.start + a < lastEnd) continue; // overlapping report of the same place
    // Alignments that begin or end on a space are shifted onto the words (same passage).
    let s = a + m.start;
    let e = a + m.end;
    if (query.T.charCodeAt(s) === 32 && query.q.charCodeAt(0) !== 32) s++;
    if (query.T.charCodeAt(e - 1) === 32 && query.q.charCodeAt(query.q.length - 1) !== 32) e--;
    out.push(evaluate(query, s, e, m.errors));
    lastEnd = a + m.end;
  }
  return out;
}

/** Standalone numbers ("12", "3,500", "2.5"), not digits inside names such as "18F" or "FY19". */
const digitRuns = (s: string) => s.match(/(?<![\p{L}\d])\d+(?:[.,]\d+)*(?![\p{L}\d])/gu)?.join(' ') ?? '';

/**
 * The passage was cut out of its old place: its stored prefix and suffix now meet (with a gap
 * far shorter than the quote) somewhere other than around this candidate. A look-alike elsewhere
 * (boilerplate, a templated sentence) must then not stand in for it.
 */
function cutOut(query: Query, c: Candidate, hint: number | undefined, w: number): boolean {
  if (c.prefix >= THRESHOLDS.exactStatusContext && c.suffix >= THRESHOLDS.exactStatusContext) return false;
  const { T, q } = query;
  const pt = (query.prefix ?? '').trimEnd().slice(-24);
  const st = (query.suffix ?? '').trimStart().slice(0, 24);
  if (pt.length < 12 || st.length < 12) return false;
  const maxGap = Math.floor(q.length * 0.5);
  for (const a of occurrencesNear(T, pt, hint, w, 16)) {
    const from = a + pt.length;
    if (from >= c.start - 1 && from <= c.end) continue; // that is this candidate's own context
    if (T.slice(from, from + maxGap + st.length).includes(st)) return true;
  }
  return false;
}

/**
 * The clip's old neighbourhood is still there near its old position — the first words of its
 * suffix or the last of its prefix, verbatim — but no longer next to this candidate: the passage
 * was removed from there, and a copy far away with none of its context is another instance
 * (boilerplate repeated on the page), not the passage moved.
 */
function orphaned(query: Query, c: Candidate, hint: number | undefined, w: number): boolean {
  if (hint === undefined) return false;
  const { T } = query;
  const pt = (query.prefix ?? '').trimEnd().slice(-24);
  const st = (query.suffix ?? '').trimStart().slice(0, 24);
  const near = (i: number) => Math.abs(i - hint) <= w;
  // Within reach of the candidate, that context is its own, pushed away by inserted text.
  const reach = Math.max(2 * query.q.length, DISPLACED_REACH);
  const far = (i: number) => i < c.start - reach - 24 || i > c.end + reach;
  if (pt.length >= 16 && occurrencesNear(T, pt, hint, w, 4, false).some((i) => near(i) && far(i)))
    return true;
  if (st.length >= 16 && occurrencesNear(T, st, hint, w, 4, false).some((i) => near(i) && far(i)))
    return true;
  return false;
}

function acceptFuzzy(
  query: Query,
  cands: Candidate[],
  hint: number | undefined,
  w: number,
): Candidate | undefined {
  const [best, second] = rank(cands, (c) => c.score);
  if (!best) return undefined;
  if (best.quote < THRESHOLDS.fuzzyQuote || best.score < THRESHOLDS.fuzzyScore) return undefined;
  if (contextOf(best) < THRESHOLDS.fuzzyContext) return undefined;
  if (second && best.score - second.score < THRESHOLDS.margin) return undefined;
  // Evidence is about what the text says: a changed number (version, date, retention period,
  // dose) is different text, not a small edit.
  if (digitRuns(query.T.slice(best.start, best.end)) !== digitRuns(query.q)) return undefined;
  if (cutOut(query, best, hint, w) || refusedCopy(query, best) || nearerTwin(query, best, hint))
    return undefined;
  return best;
}

/**
 * The changed text found here also stands verbatim nearer the old position (a repeated
 * paragraph carrying the same edit): only context would pick this one, and the clip's own place
 * is likelier the nearer copy — neither is taken (the clip is lost, with suggestions).
 */
function nearerTwin(query: Query, c: Candidate, hint: number | undefined): boolean {
  if (hint === undefined) return false;
  const found = query.T.slice(c.start, c.end);
  const d = Math.abs(c.start - hint);
  // Only the stretch nearer the old position than this candidate is searched (usually short).
  const lo = Math.max(0, hint - d + 1);
  const i = query.T.slice(lo, hint + d - 1 + found.length).indexOf(found);
  return i >= 0 && lo + i !== c.start;
}

/**
 * Candidates right after unchanged prefix text or right before unchanged suffix text: the
 * nearest 32 context characters are looked up exactly, and Myers runs only on the gap.
 */
function contextProbe(query: Query, maxErrors: number, hint: number | undefined, w: number): Candidate[] {
  const { T, q } = query;
  const n = 32;
  const pt = (query.prefix ?? '').trimEnd().slice(-n);
  const st = (query.suffix ?? '').trimStart().slice(0, n);
  const out: Candidate[] = [];
  const span = q.length + maxErrors + 2;
  const ph = pt.length >= 16 ? occurrencesNear(T, pt, hint, w, 2) : [];
  const sh = st.length >= 16 ? occurrencesNear(T, st, hint, w, 2) : [];
  // Both sides found with a gap the size of the quote: that gap is the one place to look.
  for (const a of ph) {
    for (const b of sh) {
      const gap = b - (a + pt.length);
      if (gap >= q.length - maxErrors - 2 && gap <= span) {
        const c = fuzzyIn(query, a + pt.length, b, maxErrors);
        if (c.length > 0) return c;
      }
    }
  }
  for (const h of ph) out.push(...fuzzyIn(query, h + pt.length, h + pt.length + span, maxErrors));
  for (const h of sh) out.push(...fuzzyIn(query, h - span, h, maxErrors));
  return dedupe(out);
}

/** The same place found twice counts once. */
function dedupe(cands: Candidate[]): Candidate[] {
  return cands.filter((c, i) => cands.findIndex((d) => d.start === c.start && d.end === c.end) === i);
}

/** Regions of the text that share 8-gram seeds with the quote, best-supported first. */
function seedRegions(p: PreparedText, q: string, maxErrors: number): Array<[number, number]> {
  const seeds = Math.floor(q.length / GRAM);
  if (seeds < 2) return [];
  const stride = Math.max(GRAM, Math.floor(q.length / 48));
  const diags: number[] = [];
  let used = 0;
  for (let o = 0; o + GRAM <= q.length; o += stride) {
    const hits = p.grams().find(q.slice(o, o + GRAM), 64);
    if (!hits) continue;
    used++;
    for (const h of hits) diags.push(h - o);
  }
  if (used === 0 || diags.length === 0) return [];
  diags.sort((x, y) => x - y);
  const clusters: Array<{ lo: number; hi: number; votes: number }> = [];
  for (const d of diags) {
    const last = clusters[clusters.length - 1];
    if (last && d - last.hi <= maxErrors + GRAM) {
      last.hi = d;
      last.votes++;
    } else clusters.push({ lo: d, hi: d, votes: 1 });
  }
  const need = Math.max(2, Math.ceil(used * 0.2));
  return clusters
    .filter((c) => c.votes >= need)
    .sort((x, y) => y.votes - x.votes)
    .slice(0, 6)
    .map((c) => [c.lo - maxErrors - GRAM, c.hi + q.length + maxErrors + GRAM]);
}

const strongContext = (c: Candidate) =>
  c.prefix >= THRESHOLDS.exactStatusContext && c.suffix >= THRESHOLDS.exactStatusContext;

/** A fuzzy candidate that could be the passage edited in place: similar quote, context intact. */
const plausible = (c: Candidate) =>
  c.quote >= THRESHOLDS.fuzzyQuote &&
  c.score >= THRESHOLDS.fuzzyScore &&
  contextOf(c) >= THRESHOLDS.fuzzyContext;

/**
 * The best plausible fuzzy candidate at another place than `exact` (and all of them, so that
 * `acceptFuzzy` can apply its margin): between the unchanged context first, else near the old
 * position (fuzzy stages 3–4 run early).
 */
function contextRival(
  query: Query,
  exact: Candidate,
  k: number,
  hint: number | undefined,
  w: number,
): { c: Candidate; all: Candidate[]; stage: AnchorStage } | undefined {
  const elsewhere = (c: Candidate) =>
    plausible(c) &&
    Math.min(c.end, exact.end) - Math.max(c.start, exact.start) < (exact.end - exact.start) / 2;
  const probed = contextProbe(query, k, hint, w).filter(elsewhere);
  const [p] = rank(probed, (c) => c.score);
  if (p) return { c: p, all: probed, stage: 'fuzzy-context' };
  if (hint === undefined) return undefined;
  const near = fuzzyIn(query, hint - w, hint + query.q.length + w, k).filter(elsewhere);
  const [n] = rank(near, (c) => c.score);
  return n && { c: n, all: near, stage: 'fuzzy-window' };
}

/**
 * The occurrence to take among verbatim ones: ranked by context less a small penalty for the
 * distance from the old position (`distancePenalty` per 1 000 characters, at most
 * `maxDistancePenalty`), so that among copies with about the same context the one where the
 * clip was wins, while a passage moved far with its context intact still beats a near copy with
 * poor context. None when the two best are within `tie` (no way to tell them apart).
 */
function pickByContext(query: Query, cands: Candidate[], hint: number | undefined): Candidate | undefined {
  const key = (c: Candidate) =>
    contextOf(c) +
    THRESHOLDS.nearBonus * nearestAgreement(query, c) -
    (hint === undefined
      ? 0
      : Math.min(
          THRESHOLDS.maxDistancePenalty,
          (THRESHOLDS.distancePenalty * Math.abs(c.start - hint)) / 1000,
        ));
  const [best, second] = rank(cands, key);
  if (!best) return undefined;
  if (second && key(best) - key(second) < THRESHOLDS.tie) return undefined;
  return best;
}

/**
 * How much of the context right next to the candidate is unchanged, character for character, in
 * [0, 1] (up to 48 characters each side): word-level context similarity weighs every word alike,
 * but between copies of a template the few words next to the quote (a section heading) are what
 * tell them apart.
 */
function nearestAgreement(query: Query, c: Candidate): number {
  const { T } = query;
  const n = 48;
  const p = (query.prefix ?? '').replace(/\s+$/, '');
  const s = (query.suffix ?? '').replace(/^\s+/, '');
  let a = c.start;
  while (a > 0 && T.charCodeAt(a - 1) === 32) a--;
  let b = c.end;
  while (b < T.length && T.charCodeAt(b) === 32) b++;
  let i = 0;
  while (
    i < n &&
    i < p.length &&
    a - 1 - i >= 0 &&
    T.charCodeAt(a - 1 - i) === p.charCodeAt(p.length - 1 - i)
  )
    i++;
  let j = 0;
  while (j < n && j < s.length && b + j < T.length && T.charCodeAt(b + j) === s.charCodeAt(j)) j++;
  const side = (k: number, len: number) => (len === 0 ? 0.5 : k / Math.min(n, len));
  return (side(i, p.length) + side(j, s.length)) / 2;
}

/**
 * A plausible edited form of the passage nearer its old position than `exact` (the original
 * place, reworded, while a verbatim copy sits elsewhere), with context about as good: between
 * the unchanged context (characters) or word-aligned near the old position.
 */
function nearerRival(
  query: Query,
  exact: Candidate,
  k: number,
  hint: number | undefined,
  w: number,
): Candidate | undefined {
  if (hint === undefined) return undefined;
  const dExact = Math.abs(exact.start - hint);
  const nearExact = nearestAgreement(query, exact);
  const ok = (c: Candidate) =>
    c.quote < 1 &&
    !query.T.slice(c.start, c.end).includes(query.q) && // another verbatim copy, not an edited form
    // Nearer the old position, or with clearly more of the clip's adjacent context unchanged.
    (Math.abs(c.start - hint) < dExact || nearestAgreement(query, c) >= nearExact + 0.4) &&
    Math.min(c.end, exact.end) <= Math.max(c.start, exact.start) &&
    c.quote >= THRESHOLDS.wordQuote &&
    contextOf(c) >= THRESHOLDS.wordContext &&
    contextOf(c) >= contextOf(exact) - THRESHOLDS.rivalContext &&
    Math.max(c.prefix, c.suffix) >= THRESHOLDS.exactStatusContext;
  // A rival keeps one side of its context: the old prefix's last or the old suffix's first 24
  // characters must occur between the old position and the copy, other than around the copy
  // itself. Most clips stop here, before any alignment.
  const { T, q } = query;
  const reach = dExact + q.length;
  const pt = (query.prefix ?? '').trimEnd().slice(-24);
  const st = (query.suffix ?? '').trimStart().slice(0, 24);
  const ownPrefix = (i: number) => Math.abs(i + pt.length - exact.start) <= 3;
  const ownSuffix = (i: number) => Math.abs(i - exact.end) <= 3;
  const ptHits =
    pt.length >= 12 ? occurrencesNear(T, pt, hint, reach, 3, false).filter((i) => !ownPrefix(i)) : [];
  const stHits =
    st.length >= 12 ? occurrencesNear(T, st, hint, reach, 3, false).filter((i) => !ownSuffix(i)) : [];
  if (ptHits.length === 0 && stHits.length === 0) return undefined;
  const probed = contextProbe(query, k, hint, w).filter(ok);
  const [c] = rank(probed, (x) => x.score);
  if (c) return c;
  if (q.length < THRESHOLDS.shortQuote) return undefined;
  // Word level: right after those prefix ends, right before those suffix starts.
  const words: Candidate[] = [];
  const span = 2 * q.length + 40;
  const regions: Array<[number, number]> = [
    ...ptHits.map((i): [number, number] => [i + pt.length, i + pt.length + span]),
    ...stHits.map((i): [number, number] => [i - span, i]),
  ];
  for (const [lo, hi] of regions) {
    const t = tokenize(T, lo, hi);
    for (const m of alignWords(q, t, 0, t.count, 0.6)) {
      const prefix = sideSimilarity(T, m.start, query.prefix, true);
      const suffix = sideSimilarity(T, m.end, query.suffix, false);
      words.push({
        start: m.start,
        end: m.end,
        quote: m.sim,
        prefix,
        suffix,
        score: (50 * m.sim + 20 * prefix + 20 * suffix) / 90,
      });
    }
  }
  const [d] = rank(words.filter(ok), (x) => x.score);
  return d;
}

/** How many characters of the clip's context nearest the quote a verbatim copy must show (see `copyVouched`). */
const EDGE = 40;

/** The stored context's characters nearest the quote (at most `EDGE`), or '' when too short to mean anything. */
function edgeOf(ctx: string | undefined, before: boolean): string {
  const c = (ctx ?? '').trim();
  if (c.length < 12) return '';
  return before ? c.slice(-EDGE) : c.slice(0, EDGE);
}

/**
 * The clip's context nearest the quote (EDGE characters each side) stands right next to this
 * occurrence on both sides. On a templated page, a section inserted before the clip can put
 * another section's copy at the old offset with context agreeing at 0.9 (all but its heading's
 * number): the position alone must not take it.
 */
function edgesAdjacent(query: Query, c: Candidate): boolean {
  const { T } = query;
  const p = edgeOf(query.prefix, true);
  const s = edgeOf(query.suffix, false);
  let a = c.start;
  while (a > 0 && T.charCodeAt(a - 1) === 32) a--;
  let b = c.end;
  while (b < T.length && T.charCodeAt(b) === 32) b++;
  return (p.length === 0 || T.startsWith(p, a - p.length)) && (s.length === 0 || T.startsWith(s, b));
}

/**
 * The clip's context nearest the quote on one side is next to this verbatim occurrence, character
 * for character — adjacent, or a little further out past inserted text, with no other copy of
 * the quote in between (that would be another copy's context). `undefined`: no stored context.
 */
function sideVouched(query: Query, c: Candidate, before: boolean): boolean | undefined {
  const { T, q } = query;
  const e = edgeOf(before ? query.prefix : query.suffix, before);
  if (e.length === 0) return undefined;
  // Between the copy and context found further out: neither another copy of the quote nor the
  // other side's context (the whole neighbourhood of another instance, its quote edited).
  const other = edgeOf(before ? query.suffix : query.prefix, !before);
  const clean = (gap: string) => !gap.includes(q) && (other.length === 0 || !gap.includes(other));
  if (before) {
    let a = c.start;
    while (a > 0 && T.charCodeAt(a - 1) === 32) a--;
    if (T.startsWith(e, a - e.length)) return true;
    const from = Math.max(0, c.start - DISPLACED_REACH - e.length);
    const i = T.slice(from, c.start).lastIndexOf(e);
    return i >= 0 && clean(T.slice(from + i + e.length, c.start));
  }
  let b = c.end;
  while (b < T.length && T.charCodeAt(b) === 32) b++;
  if (T.startsWith(e, b)) return true;
  const i = T.slice(c.end, c.end + DISPLACED_REACH + e.length).indexOf(e);
  return i >= 0 && clean(T.slice(c.end, c.end + i));
}

/**
 * A verbatim copy of a quote that occurs more than once (templated text) is the clip only if its
 * nearest context says so: both sides' nearest characters next to it, or one side while the
 * other side's nearest characters survive nowhere else on the page — a side no other copy shows,
 * or, shared with other copies, near the old position and clearly the better and nearer. Between
 * copies of a template, word-level context agrees almost everywhere (the boilerplate around
 * the quote); what tells the copies apart is the heading or sentence right next to it. When
 * that is next to another place (the clip's own place, edited or behind deleted sections), or
 * is shared by other copies, the copy is a guess: a lost clip offers suggestions, a wrong anchor
 * is a defect (docs/anchoring.md, "Stages").
 */
function copyVouched(
  query: Query,
  c: Candidate,
  others: Candidate[],
  hint: number | undefined,
  w: number,
): boolean {
  const p = sideVouched(query, c, true);
  const s = sideVouched(query, c, false);
  if (p !== false && s !== false) return true;
  if (p === false && s === false) return false;
  const before = p !== false; // the side that holds
  const lostEdge = edgeOf(before ? query.suffix : query.prefix, !before);
  if (query.T.includes(lostEdge)) return false;
  const sharing = others.filter(
    (o) => (o.start !== c.start || o.end !== c.end) && sideVouched(query, o, before) === true,
  );
  if (sharing.length === 0) return true;
  // Copies sharing the side that holds (a paragraph repeated elsewhere): the clip's own place is
  // the one near its old position whose other side was edited, not replaced — its words still
  // agree clearly better there than next to any sharing copy.
  if (hint === undefined || Math.abs(c.start - hint) > w) return false;
  const lostSide = (x: Candidate) =>
    sideSimilarity(query.T, before ? x.end : x.start, before ? query.suffix : query.prefix, !before);
  const mine = lostSide(c);
  const d = Math.abs(c.start - hint);
  // …or, as well there as here (the whole paragraph repeated), the copy is far further away.
  return sharing.every((o) => {
    const od = Math.abs(o.start - hint);
    return od > d && (lostSide(o) <= mine - COPY_MARGIN || (lostSide(o) <= mine && od >= 2 * d + COPY_FAR));
  });
}

/** A copy this much (plus twice the nearer one's distance) further from the old position loses a tie. */
const COPY_FAR = 2000;

/** How much better the edited side's words must agree at the clip's own place than at a sharing copy. */
const COPY_MARGIN = 0.3;

function pick<K extends Selector['type']>(
  selectors: Selector[],
  type: K,
): Extract<Selector, { type: K }> | undefined {
  return selectors.find((s): s is Extract<Selector, { type: K }> => s.type === type);
}

/**
 * Finds the passage described by `selectors` in `text` (normalised, as `describeText` saw it).
 * `exact`: the quote is there unchanged with its context; `relocated`: found moved or slightly
 * changed (the user may confirm); `lost`: not found with enough confidence. Never throws.
 * Pass a {@link PreparedText} when locating many clips in one text.
 */
export function locateText(
  text: string | PreparedText,
  selectors: Selector[],
  options: LocateOptions = {},
): LocateResult {
  const p = prepared(text);
  const quoteSel: TextQuoteSelector | undefined = pick(selectors, 'TextQuoteSelector');
  const pos: TextPositionSelector | undefined = pick(selectors, 'TextPositionSelector');
  const lost: LocateResult = { status: 'lost', score: 0, stage: 'none' };
  if (!quoteSel) return lost; // nothing to verify a position against
  const q = canonicalize(collapseText(quoteSel.exact)).trim();
  if (q.length === 0) return lost;
  const query: Query = {
    T: p.canon,
    q,
    prefix: quoteSel.prefix === undefined ? undefined : canonicalize(collapseText(quoteSel.prefix)),
    suffix: quoteSel.suffix === undefined ? undefined : canonicalize(collapseText(quoteSel.suffix)),
    unique: quoteSel.unique === true,
  };
  const T = p.canon;
  const short = q.length < THRESHOLDS.shortQuote;
  // Rejected candidates, for the suggestions of a lost result.
  const pool: Candidate[] = [];
  const maxSuggestions = options.suggestions ?? 3;
  const giveUp = (stage: AnchorStage): LocateResult => {
    const score = pool.reduce((m, c) => Math.max(m, c.score), 0);
    const suggestions = maxSuggestions > 0 ? suggestionsFrom(pool, maxSuggestions) : [];
    return suggestions.length > 0 ? { ...lost, score, stage, suggestions } : { ...lost, score, stage };
  };
  const hint = pos ? pos.start : undefined;
  // Fuzzy error budget: candidates below the quote-similarity floor are rejected anyway, so
  // never search for them.
  const k = Math.min(256, Math.floor(q.length * (1 - THRESHOLDS.fuzzyQuote)));

  // 1. Position, verified against quote and context.
  if (hint !== undefined && T.startsWith(q, hint)) {
    const c = evaluate(query, hint, hint + q.length, 0);
    if (
      c.prefix >= THRESHOLDS.exactStatusContext &&
      c.suffix >= THRESHOLDS.exactStatusContext &&
      edgesAdjacent(query, c)
    ) {
      return result(query, c, 'position');
    }
  }

  // 2. Exact quote. Occurrences are ranked by context; those within `tie` of the best are told
  //    apart by distance from the old position (templated pages: a copy elsewhere may carry the
  //    very context the clip had, while its own place, shifted by edits, still holds it).
  const w = options.window ?? 8000;
  if (hint !== undefined) {
    const near = occurrencesNear(T, q, hint, w, 4, false);
    const cands = near.map((i) => evaluateExact(query, i));
    const best = pickByContext(query, cands, hint);
    // Copies nearby (templated text): an edited form of the passage may be nearer than this one.
    // (Copies further away are judged by the stage below when this one is not taken.)
    const copies = near.length > 1;
    if (
      best &&
      strongContext(best) &&
      (!copies || copyVouched(query, best, cands, hint, w)) &&
      (near.length === 1 || !nearerRival(query, best, k, hint, w))
    )
      return result(query, best, 'quote');
  }
  let occ = allOccurrences(T, q, 20_000);
  if (occ.length > THRESHOLDS.maxCandidates) {
    // Very common quote: only places whose nearest context still matches are worth scoring;
    // if that leaves too many, no context can single one out.
    occ = occ.filter((i) => nearContextHolds(query, i, i + q.length));
    if (occ.length > THRESHOLDS.maxCandidates) return { ...lost, stage: 'quote' };
  }
  if (occ.length > 0) {
    const cands = occ.map((i) => evaluateExact(query, i));
    const best = pickByContext(query, cands, hint);
    if (best) {
      const ctx = contextOf(best);
      const oneSide = Math.max(best.prefix, best.suffix);
      const ok = short
        ? (best.prefix >= THRESHOLDS.shortContext && best.suffix >= THRESHOLDS.shortContext) ||
          (oneSideHolds(query, best) && cands.filter((c) => oneSideHolds(query, c)).length === 1) ||
          (occ.length === 1 && oneSide >= THRESHOLDS.uniqueOneSide)
        : occ.length > 1
          ? ctx >= THRESHOLDS.repeatedContext && copyVouched(query, best, cands, hint, w)
          : q.length >= THRESHOLDS.uniqueQuote ||
            ctx >= THRESHOLDS.uniqueContext ||
            oneSide >= THRESHOLDS.uniqueOneSide;
      // Weak: nothing next to the occurrence vouches for it (context found further out aside).
      const adj = evaluate(query, best.start, best.end, 0);
      const weak =
        !short &&
        occ.length === 1 &&
        contextOf(adj) < THRESHOLDS.uniqueContext &&
        Math.max(adj.prefix, adj.suffix) < THRESHOLDS.uniqueOneSide;
      // A long quote that stood once then and stands once now is the passage, moved: its old
      // neighbourhood left behind, or closed up where it was cut, says nothing (no other
      // instance of it existed to be found instead).
      const moved = query.unique && occ.length === 1 && q.length >= THRESHOLDS.uniqueQuote;
      const orphan = weak && !moved && orphaned(query, best, hint, w);
      if (ok && (moved || !cutOut(query, best, hint, w)) && !orphan) {
        // The passage edited in place, nearer its old position, outranks a verbatim copy.
        const nearer = occ.length > 1 ? nearerRival(query, best, k, hint, w) : undefined;
        if (nearer) {
          const fine = acceptFuzzy(query, [nearer], hint, w) ?? undefined;
          if (fine) return result(query, fine, 'fuzzy-context');
          pool.push(best, nearer);
          return giveUp('quote');
        }
        if (short || strongContext(best)) return result(query, best, 'quote');
        // Weak context: the passage may have been edited in place while its old words survive
        // elsewhere (templated filler). The exact copy must beat the context-anchored rival.
        const rival = contextRival(query, best, k, hint, w);
        if (!rival) return result(query, best, 'quote');
        if (best.score - rival.c.score >= THRESHOLDS.margin) return result(query, best, 'quote');
        if (rival.c.score - best.score >= THRESHOLDS.margin && acceptFuzzy(query, rival.all, hint, w)) {
          return result(query, rival.c, rival.stage);
        }
        pool.push(best, ...rival.all);
        return giveUp('quote');
      }
    }
    pool.push(...cands);
    query.refused = occ;
  }
  if (short) return giveUp('none');

  // 3. Fuzzy between the unchanged context (cheap: two indexOf and a tight Myers run).
  const probed = acceptFuzzy(query, contextProbe(query, k, hint, w), hint, w);
  if (probed) return result(query, probed, 'fuzzy-context');
  // 4. Fuzzy near the old position.
  if (hint !== undefined) {
    const cands = fuzzyIn(query, hint - w, hint + q.length + w, k);
    const ok = acceptFuzzy(query, cands, hint, w);
    if (ok) return result(query, ok, 'fuzzy-window');
    pool.push(...cands);
  }
  if (!options.windowOnly) {
    // 5. Fuzzy over the whole text, seeded by shared 8-grams, each region verified by Myers.
    const cands: Candidate[] = [];
    for (const [a, b] of seedRegions(p, q, k)) cands.push(...fuzzyIn(query, a, b, k));
    const ok = acceptFuzzy(query, cands, hint, w);
    if (ok) return result(query, ok, 'fuzzy-text');
    pool.push(...cands);
  }
  // 6. Word by word.
  const words = wordStage(p, query, hint, w, options.windowOnly ?? false, pool);
  if (words) return result(query, words, 'fuzzy-words');
  const clear = clearWinner(query, pool, hint, w);
  return clear ? result(query, clear, 'fuzzy-words') : giveUp('fuzzy-words');
}

/**
 * The last chance before `lost`: the best candidate of all stages, when it stands clearly alone —
 * nearly the same text (similarity ≥ 0.9), a fair score with its context, and a margin of 0.5
 * over every candidate at another place (no other place looks like it at all) — and its edit does not change what the evidence says:
 * the same standalone numbers, no negation or modal verb added or removed. The usual guards
 * (cut out, a refused verbatim copy, a nearer twin) apply. Calibrated on the real corpus
 * (docs/anchoring.md, "Calibration").
 */
function clearWinner(
  query: Query,
  pool: Candidate[],
  hint: number | undefined,
  w: number,
): Candidate | undefined {
  if (query.q.length < THRESHOLDS.shortQuote) return undefined;
  const [best] = rank(pool, (c) => c.score);
  if (!best || best.quote < CLEAR_QUOTE || best.score < CLEAR_SCORE) return undefined;
  const overlaps = (c: Candidate) => Math.min(c.end, best.end) > Math.max(c.start, best.start);
  const second = pool.reduce((m, c) => (overlaps(c) ? m : Math.max(m, c.score)), 0);
  if (best.score - second < CLEAR_MARGIN) return undefined;
  const found = query.T.slice(best.start, best.end);
  if (digitRuns(found) !== digitRuns(query.q)) return undefined;
  if (changedWords(query.q, found).some((x) => NEGATIONS.test(x) || MODALS.test(x))) return undefined;
  // Only words cut off at an edge of the quote: the candidate is part of the quote, not the
  // quote edited (a fragment that ran into the next sentence matches its own first half anywhere).
  const qw = wordsOf(query.q);
  const fw = wordsOf(found);
  if (fw.length < qw.length && (qw.startsWith(fw) || qw.endsWith(fw))) return undefined;
  if (cutOut(query, best, hint, w) || refusedCopy(query, best) || nearerTwin(query, best, hint))
    return undefined;
  // A character alignment may stop inside the edited word ("Logos" → "cons" of "Icons"): the
  // passage is whole words, as the quote was.
  const { T } = query;
  const inWord = (i: number) => /[\p{L}\p{N}]/u.test(T.charAt(i));
  let start = best.start;
  let end = best.end;
  if (/^[\p{L}\p{N}]/u.test(query.q)) while (start > 0 && inWord(start - 1) && inWord(start)) start--;
  if (/[\p{L}\p{N}]$/u.test(query.q)) while (end < T.length && inWord(end) && inWord(end - 1)) end++;
  return start === best.start && end === best.end ? best : { ...best, start, end };
}

const CLEAR_QUOTE = 0.9;
const CLEAR_SCORE = 0.5;
const CLEAR_MARGIN = 0.5;
/** Words whose change turns a duty into a permission or the reverse. */
const MODALS = /^(must|may|might|shall|should|can|could|will|would|need|needs|required|optional|mandatory)$/;

/** The comparison keys of the words in one text and not the other (each way), as multisets. */
function changedWords(a: string, b: string): string[] {
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const x of s.split(' ')) {
      const k = wordKey(x);
      if (k.length > 0) m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const out: string[] = [];
  for (const [k, n] of ca) if ((cb.get(k) ?? 0) < n) out.push(k);
  for (const [k, n] of cb) if ((ca.get(k) ?? 0) < n) out.push(k);
  return out;
}

/** Character regions worth aligning word by word: after the prefix, before the suffix, near the old place, seeds. */
function wordRegions(
  p: PreparedText,
  query: Query,
  hint: number | undefined,
  w: number,
  windowOnly: boolean,
): Array<[number, number]> {
  const { T, q } = query;
  const span = 2 * q.length + 40;
  const out: Array<[number, number]> = [];
  for (const n of [32, 12]) {
    const pt = (query.prefix ?? '').trimEnd().slice(-n);
    const st = (query.suffix ?? '').trimStart().slice(0, n);
    if (pt.length >= 12)
      for (const a of occurrencesNear(T, pt, hint, w, 2)) out.push([a + pt.length, a + pt.length + span]);
    if (st.length >= 12) for (const b of occurrencesNear(T, st, hint, w, 2)) out.push([b - span, b]);
  }
  // Word alignment costs more per character than Myers: a quarter of the fuzzy window around
  // the old position (moves further away are found through the context probes and seeds).
  if (hint !== undefined) out.push([hint - Math.floor(w / 4), hint + q.length + Math.floor(w / 4)]);
  if (!windowOnly) out.push(...seedRegions(p, q, Math.floor(q.length * 0.3)));
  out.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a0, b0] of out) {
    const a = Math.max(0, a0);
    const b = Math.min(T.length, b0);
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else if (b > a) merged.push([a, b]);
  }
  return merged;
}

/** Small words whose swap ("that" → "who", "the" added) leaves a sentence's subject matter as it was. */
const FUNCTION_WORDS = new Set(
  'a an the that who whom which whose this these those it its is are was were be been being to of in on at for by with from into and or but as so if than then there their they them we us our you your he she his her i me my also just only any all some each'.split(
    ' ',
  ),
);
const NEGATIONS = /^(not|no|never|none|nor|neither|without|unless|cannot)$|n['’]t$/;

/**
 * The words changed between `a` and `b` are only insertions, only deletions, or swaps of small
 * words — never a negation, and never a content word swapped for another ("ultrasound" → "CT":
 * another sentence of the same template, not the passage edited).
 */
function slightEdit(a: string, b: string): boolean {
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const w of s.split(' ')) {
      const k = wordKey(w);
      if (k.length > 0) m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const removed: string[] = [];
  const added: string[] = [];
  for (const [k, n] of ca) if ((cb.get(k) ?? 0) < n) removed.push(k);
  for (const [k, n] of cb) if ((ca.get(k) ?? 0) < n) added.push(k);
  // A word and its plural or possessive ("job" → "jobs") are the same word here.
  const stem = (w: string) => w.replace(/(['’]s|s)$/, '');
  for (let i = removed.length - 1; i >= 0; i--) {
    const j = added.findIndex((x) => stem(x) === stem(removed[i] ?? ''));
    if (j >= 0) {
      added.splice(j, 1);
      removed.splice(i, 1);
    }
  }
  const changed = [...removed, ...added];
  if (changed.some((w) => NEGATIONS.test(w))) return false;
  return removed.length === 0 || added.length === 0 || changed.every((w) => FUNCTION_WORDS.has(w));
}

/** The comparison keys of a text's words, joined: equal when only case and punctuation differ. */
const wordsOf = (s: string) =>
  s
    .split(' ')
    .filter((w) => w.length > 0)
    .map(wordKey)
    .join(' ');

/**
 * 6. Word stage: the passage reworded (a clause inserted, words swapped, case or punctuation
 * changed) — candidates aligned word by word in the regions above, accepted by quote
 * similarity, context, margin over the runner-up (verbatim copies included) and numbers.
 */
function wordStage(
  p: PreparedText,
  query: Query,
  hint: number | undefined,
  w: number,
  windowOnly: boolean,
  pool: Candidate[],
): Candidate | undefined {
  const { q } = query;
  if (q.length < THRESHOLDS.shortQuote) return undefined;
  const qWords = q.split(' ').length;
  if (qWords > THRESHOLDS.wordMaxWords) return undefined;
  const cands: Candidate[] = [];
  for (const [a, b] of wordRegions(p, query, hint, w, windowOnly)) {
    const t = tokenize(query.T, a, b);
    for (const m of alignWords(q, t, 0, t.count)) {
      const prefix = sideSimilarity(query.T, m.start, query.prefix, true);
      const suffix = sideSimilarity(query.T, m.end, query.suffix, false);
      const score = (50 * m.sim + 20 * prefix + 20 * suffix) / 90;
      cands.push({ start: m.start, end: m.end, quote: m.sim, prefix, suffix, score });
    }
  }
  pool.push(...cands);
  const [best, second] = rank(dedupe(cands), (c) => c.score);
  if (!best) return undefined;
  // A side with no stored context (the clip began or ended the page) is no evidence here.
  const hasP = (query.prefix?.trim().length ?? 0) > 0;
  const hasS = (query.suffix?.trim().length ?? 0) > 0;
  // Edited in place: both sides of its context unchanged right next to it, so the words between
  // them are the passage even when more of them changed (a clause inserted, a name replaced).
  const bracketed = hasP && hasS && strongContext(best);
  if (best.quote < (bracketed ? THRESHOLDS.bracketQuote : THRESHOLDS.wordQuote)) return undefined;
  const ctx = hasP && !hasS ? best.prefix : hasS && !hasP ? best.suffix : contextOf(best);
  // Moved with new surroundings: the very words (case, punctuation and spacing aside) or a slight
  // edit of them, long enough and with no other look-alike, may stand without context — like a
  // unique verbatim quote.
  const sameWords = wordsOf(query.T.slice(best.start, best.end)) === wordsOf(q);
  const alone =
    ((sameWords && q.length >= THRESHOLDS.uniqueQuote) ||
      (best.quote >= THRESHOLDS.aloneQuote &&
        q.length >= THRESHOLDS.aloneLength &&
        slightEdit(q, query.T.slice(best.start, best.end)))) &&
    !cands.some(
      (c) =>
        c !== best &&
        Math.min(c.end, best.end) - Math.max(c.start, best.start) < (best.end - best.start) / 2 &&
        c.quote >= THRESHOLDS.aloneRival,
    );
  if (!alone && (ctx < THRESHOLDS.wordContext || best.score < THRESHOLDS.wordScore)) return undefined;
  if (alone && ctx < THRESHOLDS.uniqueContext && orphaned(query, best, hint, w)) return undefined;
  if (second && best.score - second.score < THRESHOLDS.margin) return undefined;
  const found = query.T.slice(best.start, best.end);
  // As in acceptFuzzy: a changed number is different evidence, offered only as a suggestion.
  if (digitRuns(found) !== digitRuns(q)) return undefined;
  if (cutOut(query, best, hint, w) || refusedCopy(query, best) || nearerTwin(query, best, hint))
    return undefined;
  return best;
}
