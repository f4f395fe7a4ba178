// Text-fragment links (`#:~:text=`) so that anyone, with or without the extension, lands on the
// clipped passage. Pure string work; follows https://wicg.github.io/scroll-to-text-fragment/.
// It must not claim more than the quote: prefix/suffix only disambiguate, they are never matched as the target.

/** Quotes longer than this (in characters) are linked as `textStart,textEnd`. */
export const MAX_EXACT_FRAGMENT = 80;
/** Words kept at each end of a long quote, and of the prefix/suffix context. */
const EDGE_WORDS = 4;
const CONTEXT_WORDS = 3;

/**
 * Percent-encodes one text-directive term. Besides what `encodeURIComponent` escapes, the spec's
 * syntax characters `-`, `,` and `&` must be escaped inside a term.
 */
export function encodeFragmentTerm(term: string): string {
  return encodeURIComponent(term).replace(/-/g, '%2D');
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const words = (s: string) => collapse(s).split(' ').filter(Boolean);

/** The part of a context string nearest the quote that sits in the same block (text after the last line break). */
function nearPrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  const line = prefix.split(/\n/).pop() ?? '';
  return words(line).slice(-CONTEXT_WORDS).join(' ');
}
function nearSuffix(suffix: string | undefined): string {
  if (!suffix) return '';
  const line = suffix.split(/\n/)[0] ?? '';
  return words(line).slice(0, CONTEXT_WORDS).join(' ');
}

export interface TextDirectiveParts {
  prefix?: string;
  textStart: string;
  textEnd?: string;
  suffix?: string;
}

/**
 * Splits a quote into the parts of a text directive:
 * 1. a short single-block quote is matched exactly (`textStart` only);
 * 2. a long quote, or one crossing a block boundary (line break), becomes `textStart,textEnd`
 *    made of the first and last few words (each must sit within one block);
 * 3. the nearest words of the prefix/suffix context (same block only) are added to disambiguate.
 */
export function textDirectiveParts(quote: string, prefix?: string, suffix?: string): TextDirectiveParts {
  const lines = quote
    .split(/\n/)
    .map(collapse)
    .filter((l) => l.length > 0);
  const first = lines[0] ?? collapse(quote);
  const last = lines[lines.length - 1] ?? first;
  const parts: TextDirectiveParts = { textStart: first };
  if (lines.length <= 1 && first.length <= MAX_EXACT_FRAGMENT) {
    parts.textStart = first;
  } else {
    const startWords = words(first);
    const endWords = words(last);
    if (lines.length <= 1 && startWords.length <= EDGE_WORDS * 2) {
      parts.textStart = first; // a long run of few words (e.g. a URL): keep it whole
    } else {
      parts.textStart = startWords.slice(0, EDGE_WORDS).join(' ');
      parts.textEnd = endWords.slice(-EDGE_WORDS).join(' ');
    }
  }
  const p = nearPrefix(prefix);
  const s = nearSuffix(suffix);
  if (p) parts.prefix = p;
  if (s) parts.suffix = s;
  return parts;
}

/** `text=` directive value (without `#:~:`), terms percent-encoded. */
export function textDirective(parts: TextDirectiveParts): string {
  const terms: string[] = [];
  if (parts.prefix) terms.push(`${encodeFragmentTerm(parts.prefix)}-`);
  terms.push(encodeFragmentTerm(parts.textStart));
  if (parts.textEnd) terms.push(encodeFragmentTerm(parts.textEnd));
  if (parts.suffix) terms.push(`-${encodeFragmentTerm(parts.suffix)}`);
  return `text=${terms.join(',')}`;
}

/**
 * The clip's URL with a text fragment for the quote appended. Any existing fragment directive is
 * replaced; an ordinary `#fragment` is kept (the directive follows it, as the spec allows).
 * Returns the URL unchanged when it is not http(s) or the quote is blank.
 */
export function textFragmentUrl(url: string, quote: string, prefix?: string, suffix?: string): string {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return url;
  if (!collapse(quote)) return url;
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const oldHash = hashAt === -1 ? '' : url.slice(hashAt + 1);
  const keptHash = oldHash.split(':~:')[0] ?? '';
  return `${base}#${keptHash}:~:${textDirective(textDirectiveParts(quote, prefix, suffix))}`;
}
