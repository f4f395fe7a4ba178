// The real-revision corpus (tests/corpus/real/): versions of public guidance documents from their
// git histories, passages clipped from an older version and where each one is in the newer,
// judged by word-level LCS (scripts/build-real-corpus.ts), not by the engine under test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Ground truth of one passage in the newer version:
 * - `exact`: the quote occurs verbatim exactly once (short quotes also need their surroundings);
 * - `exact-repeated`: verbatim copies exist, and only one has the passage's surroundings;
 * - `edited`: no verbatim copy; one window holds ≥ 80 % of its words in order, with a Dice
 *   similarity (inserted words counted too) ≥ 0.8, at least 15 points ahead of any other window
 *   and no look-alike with clearly better surroundings (≥ 6 words: a changed word in a 3–5-word
 *   quote is another passage, so those are `ambiguous`); `sim` is that Dice similarity;
 *   a window whose standalone numbers differ from the passage's is `ambiguous` (a changed
 *   number changes what the evidence says; lost or found are both right, as in tests/corpus);
 * - `gone`: no window holds half of its words;
 * - `ambiguous`: anything else; an anchor must then land on one of `alts` (windows ≥ 50 %).
 */
export type Truth =
  | { kind: 'exact' | 'exact-repeated'; at: [number, number] }
  | { kind: 'edited'; at: [number, number]; sim: number }
  | { kind: 'gone' }
  | { kind: 'ambiguous'; alts: Array<[number, number]> };

export interface RealPassage {
  pair: number;
  kind: 'sentence' | 'fragment' | 'short' | 'span';
  /** Offsets in the older version's text. */
  range: [number, number];
  truth: Truth;
}

export interface RealCorpus {
  files: Array<{ repo: string; path: string; commits: string[]; texts: string[] }>;
  pairs: Array<{ file: number; before: number; after: number }>;
  passages: RealPassage[];
}

export function loadRealCorpus(): RealCorpus {
  const file = join(import.meta.dirname, 'real', 'corpus.json.gz');
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as RealCorpus;
}

/** True when a found range is the expected one (overlaps most of it, spills little). */
export function rangeMatches(at: [number, number], start: number, end: number): boolean {
  const [xs, xe] = at;
  const len = xe - xs;
  const overlap = Math.min(end, xe) - Math.max(start, xs);
  const slack = Math.max(3, Math.ceil(len * 0.2));
  return overlap >= len * 0.5 && start >= xs - slack && end <= xe + slack;
}
