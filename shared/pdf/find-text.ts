// Find in the PDF viewer: every occurrence of a query in the document's normalised
// text, ignoring case and treating any whitespace (line end, paragraph, page break) as a space.

/** Lower-cased view of `text` with the same length (characters whose lower case is longer stay). */
function foldCase(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/** [start, end) of each match, in order, at most `max`; none for a blank query. */
export function findAll(text: string, query: string, max = 2000): Array<[number, number]> {
  const q = foldCase(query.normalize('NFKC').replace(/\s+/g, ' ').trim());
  if (!q) return [];
  const hay = foldCase(text.replace(/\s/g, ' '));
  const out: Array<[number, number]> = [];
  for (let i = hay.indexOf(q); i >= 0 && out.length < max; i = hay.indexOf(q, i + 1))
    out.push([i, i + q.length]);
  return out;
}
