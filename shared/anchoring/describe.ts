// Describe a passage of normalised text as W3C selectors at clip time (docs/anchoring.md): the quote with
// generous context (≥ 64 chars, extended to a sentence boundary, ≤ ~256) and its position.
import type { Selector, TextPositionSelector, TextQuoteSelector } from '../schemas';
import { canonicalize, isSpace } from './normalize';

export interface DescribeOptions {
  /** Minimum context on each side (default 64). */
  minContext?: number;
  /** Maximum context on each side (default 256). */
  maxContext?: number;
}

/** Offsets just after a sentence or paragraph end (". ", "? ", "\n", …) can start a context. */
function isSentenceStart(text: string, i: number): boolean {
  if (i <= 0) return true;
  const prev = text.charCodeAt(i - 1);
  if (prev === 10) return true;
  if (!isSpace(prev)) return false;
  const p2 = text.charCodeAt(i - 2);
  // . ! ? : ;
  return p2 === 46 || p2 === 33 || p2 === 63 || p2 === 58 || p2 === 59;
}

/** Start of the prefix: at least `min` chars back, then back to a sentence start, at most `max`. */
function prefixStart(text: string, start: number, min: number, max: number): number {
  if (start - min <= 0) return 0;
  const limit = Math.max(0, start - max);
  for (let i = start - min; i >= limit; i--) if (isSentenceStart(text, i)) return i;
  // No sentence start in reach: cut at a word boundary.
  for (let i = limit; i < start - min; i++) if (isSpace(text.charCodeAt(i))) return i + 1;
  return limit;
}

/** End of the suffix: at least `min` chars on, then on to a sentence end, at most `max`. */
function suffixEnd(text: string, end: number, min: number, max: number): number {
  if (end + min >= text.length) return text.length;
  const limit = Math.min(text.length, end + max);
  for (let i = end + min; i <= limit; i++) {
    if (i >= text.length) return text.length;
    const c = text.charCodeAt(i);
    if (c === 10) return i;
    if (isSpace(c) && isSentenceStart(text, i + 1)) return i;
  }
  for (let i = limit; i > end + min; i--) if (isSpace(text.charCodeAt(i))) return i;
  return limit;
}

/**
 * W3C selectors for `text.slice(start, end)` of a normalised text (see `normalizeText`): a
 * TextQuoteSelector (whitespace at the ends of the passage trimmed) and a TextPositionSelector.
 * @throws RangeError when the range is out of bounds or holds only whitespace.
 */
export function describeText(
  text: string,
  start: number,
  end: number,
  options: DescribeOptions = {},
): Selector[] {
  const min = options.minContext ?? 64;
  const max = Math.max(min, options.maxContext ?? 256);
  if (!(start >= 0 && end <= text.length && start < end)) throw new RangeError('describeText: bad range');
  let s = start;
  let e = end;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (s === e) throw new RangeError('describeText: the passage is only whitespace');
  const quote: TextQuoteSelector = {
    type: 'TextQuoteSelector',
    exact: text.slice(s, e),
    prefix: text.slice(prefixStart(text, s, min, max), s),
    suffix: text.slice(e, suffixEnd(text, e, min, max)),
  };
  // Whether the quote stood once on the page (compared as the locator compares: a paragraph
  // break and a space alike): a unique passage found once elsewhere later has moved.
  const canon = canonicalize(text);
  const q = canonicalize(quote.exact);
  const first = canon.indexOf(q);
  if (first >= 0 && canon.indexOf(q, first + 1) < 0) quote.unique = true;
  const position: TextPositionSelector = { type: 'TextPositionSelector', start: s, end: e };
  return [quote, position];
}
