// Word-level alignment for passages an editor reworded: a clause inserted into a sentence, a
// word swapped, a case or punctuation fix. Character distance charges an insertion its full
// length; counting the quote's words that survive in order does not. Used by locate's last
// fuzzy stage over a few regions; it proposes candidates, never accepts them. See docs/anchoring.md.

/** Tokens of a canonical text: whitespace-separated words and a case- and punctuation-free key. */
export interface WordTokens {
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly key: string[];
  readonly count: number;
}

const EDGE_PUNCT = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** The comparison key of one word: lower case, punctuation at its ends dropped. */
export function wordKey(word: string): string {
  const k = word.toLowerCase().replace(EDGE_PUNCT, '');
  return k.length > 0 ? k : word;
}

/**
 * Splits `text.slice(from, to)` (canonical: spaces only) into words with their offsets in
 * `text`; a word cut by `from` or `to` is left out (regions are tokenised on their own, so no
 * caller pays for the whole page).
 */
export function tokenize(text: string, from = 0, to = text.length): WordTokens {
  const starts: number[] = [];
  const ends: number[] = [];
  const key: string[] = [];
  const n = Math.min(text.length, Math.floor(to));
  let i = Math.max(0, Math.floor(from));
  if (i > 0 && text.charCodeAt(i - 1) !== 32) while (i < n && text.charCodeAt(i) !== 32) i++;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && text.charCodeAt(i) !== 32) i++;
    if (i === n && n < text.length && text.charCodeAt(n) !== 32) break;
    starts.push(s);
    ends.push(i);
    key.push(wordKey(text.slice(s, i)));
  }
  return { start: Int32Array.from(starts), end: Int32Array.from(ends), key, count: key.length };
}

/** Most word alignments (LCS runs) per region. */
const MAX_ALIGNMENTS = 32;

export interface WordWindow {
  /** Character offsets of the aligned passage in the text. */
  start: number;
  end: number;
  /** Dice similarity of the quote's words and the window's words (by characters), in [0, 1]. */
  sim: number;
}

/** Matched (quote index, token index) pairs of a word LCS, the alignment ending as early as it can. */
function lcsPairs(q: string[], qw: number[], key: (j: number) => string, m: number): Array<[number, number]> {
  const n = q.length;
  const dp = new Float64Array((n + 1) * (m + 1));
  for (let i = 1; i <= n; i++) {
    const qk = q[i - 1];
    const w = qw[i - 1] ?? 0;
    const row = i * (m + 1);
    for (let j = 1; j <= m; j++) {
      const k = row + j;
      const up = dp[k - m - 1] ?? 0;
      const left = dp[k - 1] ?? 0;
      dp[k] = qk === key(j - 1) ? (dp[k - m - 2] ?? 0) + w : Math.max(up, left);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const k = i * (m + 1) + j;
    if ((dp[k - 1] ?? 0) === dp[k]) j--;
    else if ((dp[k - m - 1] ?? 0) === dp[k]) i--;
    else {
      pairs.push([i - 1, j - 1]);
      i--;
      j--;
    }
  }
  return pairs.reverse();
}

/** Aligns the quote words to tokens [lo, hi): the tight span, widened over unmatched edge words. */
function alignRegion(
  q: string[],
  qw: number[],
  t: WordTokens,
  lo: number,
  hi: number,
): WordWindow | undefined {
  const m = hi - lo;
  if (m <= 0) return undefined;
  const fwd = lcsPairs(q, qw, (j) => t.key[lo + j] ?? '', m);
  if (fwd.length === 0) return undefined;
  const rq = [...q].reverse();
  const rqw = [...qw].reverse();
  const bwd = lcsPairs(rq, rqw, (j) => t.key[hi - 1 - j] ?? '', m);
  const [lqi, ltj] = fwd[fwd.length - 1] ?? [0, 0];
  const [fqiRev, ftjRev] = bwd[bwd.length - 1] ?? [0, 0];
  const firstQ = q.length - 1 - fqiRev;
  const firstT = hi - 1 - ftjRev;
  const lastT = lo + ltj;
  if (firstT > lastT) return undefined;
  const a = Math.max(lo, firstT - firstQ);
  const b = Math.min(hi - 1, lastT + (q.length - 1 - lqi));
  // Only matches inside the final span count (the two alignments may disagree at the edges).
  let matched = 0;
  for (const [qi, tj] of fwd) if (lo + tj >= a && lo + tj <= b) matched += qw[qi] ?? 0;
  let span = 0;
  for (let j = a; j <= b; j++) span += (t.end[j] ?? 0) - (t.start[j] ?? 0) + 1;
  const total = qw.reduce((x, y) => x + y, 0);
  return { start: t.start[a] ?? 0, end: t.end[b] ?? 0, sim: (2 * matched) / (total + span) };
}

/**
 * Windows of tokens [lo, hi) resembling the quote: starts where a quote-length window holds at
 * least `minShare` of its words (bag of words, slid in O(tokens)), each then aligned by word
 * LCS. Overlapping windows are one place (the best kept). Best first.
 */
export function alignWords(
  quote: string,
  t: WordTokens,
  lo: number,
  hi: number,
  minShare = 0.5,
): WordWindow[] {
  const qt = tokenize(quote);
  const q = qt.key;
  const n = q.length;
  if (n === 0 || hi - lo <= 0) return [];
  const qw = q.map((_, i) => (qt.end[i] ?? 0) - (qt.start[i] ?? 0) + 1);
  const need = new Map<string, number>();
  for (const k of q) need.set(k, (need.get(k) ?? 0) + 1);
  const have = new Map<string, number>();
  let hits = 0;
  const add = (k: string, d: number) => {
    const want = need.get(k);
    if (want === undefined) return;
    const h = have.get(k) ?? 0;
    if (d > 0 && h < want) hits++;
    if (d < 0 && h <= want) hits--;
    have.set(k, h + d);
  };
  const min = Math.max(2, Math.ceil(n * minShare));
  const hitsAt = new Int32Array(hi - lo);
  const starts: number[] = [];
  let runStart = -2;
  let runBest = -1;
  let runHits = -1;
  let last = -2;
  const step = Math.max(1, Math.floor(n / 3));
  const flush = () => {
    if (runBest < 0) return;
    starts.push(runBest);
    for (let s = runStart; s <= last; s += step) if (s !== runBest) starts.push(s);
    // The run's last start too: a look-alike at its end gets a region of its own.
    if ((last - runStart) % step !== 0 && last !== runBest) starts.push(last);
    runBest = -1;
  };
  for (let j = lo; j < hi; j++) {
    add(t.key[j] ?? '', 1);
    if (j - lo >= n) add(t.key[j - n] ?? '', -1);
    const s = j - n + 1;
    if (s < lo || hits < min) continue;
    hitsAt[s - lo] = hits;
    if (s > last + 1) {
      flush();
      runStart = s;
    }
    if (runBest < 0 || hits > runHits) {
      runBest = s;
      runHits = hits;
    }
    last = s;
  }
  flush();
  // Bounded work per region (templated text makes long runs): the best-supported starts only.
  if (starts.length > MAX_ALIGNMENTS) {
    starts.sort((x, y) => (hitsAt[y - lo] ?? 0) - (hitsAt[x - lo] ?? 0));
    starts.length = MAX_ALIGNMENTS;
  }
  const slack = Math.ceil(n * 0.3) + 2;
  const out: WordWindow[] = [];
  for (const s of starts) {
    const w = alignRegion(q, qw, t, Math.max(lo, s - slack), Math.min(hi, s + n + slack));
    if (w) out.push(w);
  }
  out.sort((x, y) => y.sim - x.sim);
  const kept: WordWindow[] = [];
  for (const w of out)
    if (!kept.some((k) => Math.min(k.end, w.end) > Math.max(k.start, w.start))) kept.push(w);
  return kept;
}
