// The text a "moved or changed" clip was found at, for its card's diff: only when its words
// differ from the quote (a passage that only moved has nothing to show).

/** `text.slice(start, end)` when the clip was relocated and the words there differ from `quote`. */
export function changedText(
  text: string,
  quote: string,
  r: { status: string; start?: number; end?: number },
): string | undefined {
  if (r.status !== 'relocated' || r.start === undefined || r.end === undefined) return undefined;
  const found = text.slice(r.start, r.end);
  const words = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');
  return words(found) === words(quote) ? undefined : found;
}
