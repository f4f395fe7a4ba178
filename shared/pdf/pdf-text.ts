// The whole-document text of a PDF: every page's text items joined into one normalised
// text that selectors index, like a web page's text model. PDF quirks are handled here, once,
// not by special cases in matching: NFKC (ligatures), hyphenation at line ends, word gaps from
// item geometry (missing or extra spaces), running headers/footers left out so a passage reads
// straight across a page break. Pure: items in, text and maps out; pdf.js lives in the adapter.
import { createTextAccumulator, isSpace, type NormalizedText } from '../anchoring/normalize';

/** One text item of a page, as pdf.js `getTextContent()` gives it (marked-content items dropped). */
export interface PdfTextItem {
  str: string;
  /** pdf.js sets it on the last item of a line. */
  hasEOL: boolean;
  /** Baseline origin in PDF units (x right, y up from the page's bottom). */
  x: number;
  y: number;
  width: number;
  /** Font height in PDF units. */
  height: number;
}

export interface PdfPageText {
  /** Page height in PDF units (the margins for running headers/footers are measured on it). */
  height: number;
  items: PdfTextItem[];
}

export interface PdfDocumentText {
  /** Normalised text of the whole document (pages separated by "\n"). */
  text: string;
  /** Offset in `text` where each page's text starts (page i covers [pageStarts[i], pageStarts[i+1])). */
  pageStarts: number[];
  /** Global chunk id of item 0 of each page: item j of page p is chunk `itemBase[p] + j`. */
  itemBase: number[];
  /** Per output character: chunk (global item id, -1 for a made separator) and raw offsets in it. */
  map: NormalizedText;
  /** Global chunk ids left out of the text (running headers and footers). */
  excluded: ReadonlySet<number>;
}

/** Page (zero-based) holding `offset` of the document text. */
export function pageOfOffset(doc: Pick<PdfDocumentText, 'pageStarts'>, offset: number): number {
  const starts = doc.pageStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

/** A pdf.js text-content item, as far as the text model reads it (no pdf.js import here). */
export interface PdfJsItemLike {
  /** Set on marked-content entries only. */
  type?: string;
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
  width?: number;
  height?: number;
}

/**
 * A page's items from pdf.js `getTextContent().items`. Marked-content entries (no `str`) are
 * dropped, so item j here is the j-th span of pdf.js's TextLayer (`textDivs[j]`).
 */
export function pageTextFromPdfJs(items: readonly PdfJsItemLike[], pageHeight: number): PdfPageText {
  const out: PdfTextItem[] = [];
  for (const it of items) {
    if (typeof it.str !== 'string') continue;
    const t = it.transform ?? [];
    out.push({
      str: it.str,
      hasEOL: it.hasEOL === true,
      x: t[4] ?? 0,
      y: t[5] ?? 0,
      width: it.width ?? 0,
      height: it.height || Math.hypot(t[2] ?? 0, t[3] ?? 0),
    });
  }
  return { height: pageHeight, items: out };
}

interface Line {
  page: number;
  /** Indices into the page's items, in content order. */
  items: number[];
  y: number;
  height: number;
  text: string;
}

const HYPHENS = new Set([0x2d, 0xad, 0x2010]);
/** Fraction of the page height at the top and bottom where running headers and footers live. */
const MARGIN = 0.12;
/** A horizontal gap wider than this share of the font height separates two words. */
const WORD_GAP = 0.18;

function splitLines(pages: PdfPageText[]): Line[] {
  const lines: Line[] = [];
  pages.forEach((page, p) => {
    let current: Line | null = null;
    page.items.forEach((item, i) => {
      // A new line after an EOL, or when the baseline jumps by more than half a line.
      if (current && Math.abs(item.y - current.y) > Math.max(item.height, current.height) * 0.5) {
        lines.push(current);
        current = null;
      }
      current ??= { page: p, items: [], y: item.y, height: item.height, text: '' };
      current.items.push(i);
      current.text += item.str;
      current.height = Math.max(current.height, item.height);
      if (item.hasEOL) {
        lines.push(current);
        current = null;
      }
    });
    if (current) lines.push(current);
  });
  return lines.filter((l) => l.text.trim() !== '');
}

const runningKey = (text: string) =>
  text.normalize('NFKC').toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();

/**
 * Lines in the top or bottom margin whose text (digits masked: "Page 3 of 12") repeats on at
 * least half of the pages — running headers and footers, which are not part of the prose.
 */
function runningLines(lines: Line[], pages: PdfPageText[]): Set<Line> {
  const out = new Set<Line>();
  if (pages.length < 2) return out;
  const inMargin = (l: Line) => {
    const h = pages[l.page]?.height ?? 0;
    return h > 0 && (l.y > h * (1 - MARGIN) || l.y < h * MARGIN);
  };
  const pagesByKey = new Map<string, Set<number>>();
  for (const l of lines) {
    if (!inMargin(l)) continue;
    const key = runningKey(l.text);
    const set = pagesByKey.get(key) ?? new Set<number>();
    set.add(l.page);
    pagesByKey.set(key, set);
  }
  const need = Math.max(2, Math.ceil(pages.length / 2));
  for (const l of lines)
    if (inMargin(l) && (pagesByKey.get(runningKey(l.text))?.size ?? 0) >= need) out.add(l);
  return out;
}

/** Trailing hyphen of a line (index in its last item's str), when the word goes on next line. */
function hyphenAt(line: Line, next: Line | undefined, pages: PdfPageText[]): number {
  const lastIndex = line.items[line.items.length - 1];
  const last = lastIndex === undefined ? undefined : pages[line.page]?.items[lastIndex];
  if (!last || !next) return -1;
  let i = last.str.length - 1;
  while (i >= 0 && isSpace(last.str.charCodeAt(i))) i--;
  if (i < 1 || !HYPHENS.has(last.str.charCodeAt(i))) return -1;
  if (!/\p{L}/u.test(last.str.charAt(i - 1))) return -1;
  // Soft hyphens always join; a hard one only when the next line goes on in lower case.
  if (last.str.charCodeAt(i) === 0xad) return i;
  return /^\s*\p{Ll}/u.test(next.text) ? i : -1;
}

/**
 * Builds the whole-document text of a PDF from its pages' text items (see the module header).
 * Line ends become spaces; a paragraph gap, or a page break after a sentence end, a "\n".
 */
export function buildPdfText(pages: PdfPageText[]): PdfDocumentText {
  const acc = createTextAccumulator({ form: 'NFKC' });
  const itemBase: number[] = [];
  let total = 0;
  for (const page of pages) {
    itemBase.push(total);
    total += page.items.length;
  }
  const lines = splitLines(pages);
  const running = runningLines(lines, pages);
  const kept = lines.filter((l) => !running.has(l));
  const excluded = new Set<number>();
  for (const l of running) for (const i of l.items) excluded.add((itemBase[l.page] ?? 0) + i);

  let prevLine: Line | undefined;
  let joinNext = false;
  kept.forEach((line, k) => {
    const items = pages[line.page]?.items ?? [];
    const base = itemBase[line.page] ?? 0;
    if (prevLine && !joinNext) {
      const gap = prevLine.y - line.y;
      // A page break inside a sentence reads on (a space); after a sentence end it closes a block.
      const pageBreak = line.page !== prevLine.page;
      const paragraph = pageBreak
        ? /[.!?:;]\s*$/.test(prevLine.text)
        : gap > Math.max(line.height, prevLine.height) * 1.6 || gap < 0;
      if (paragraph) acc.boundary();
      else acc.space();
    }
    const next = kept[k + 1];
    const cut = hyphenAt(line, next, pages);
    let prev: PdfTextItem | undefined;
    line.items.forEach((i, n) => {
      const item = items[i];
      if (!item) return;
      // Whitespace-only items are pdf.js's guesses: the geometry below decides word gaps instead.
      if (item.str.trim() === '') return;
      if (prev) {
        const gap = item.x - (prev.x + prev.width);
        if (gap > Math.max(item.height, prev.height) * WORD_GAP) acc.space();
      }
      const last = n === line.items.length - 1;
      acc.append(last && cut >= 0 ? item.str.slice(0, cut) : item.str, base + i);
      prev = item;
    });
    joinNext = cut >= 0;
    prevLine = line;
  });
  const map = acc.finish();
  // Page p starts at its first character; a page without text where the next one starts.
  const pageStarts = new Array<number>(pages.length).fill(-1);
  let page = 0;
  for (let i = 0; i < map.text.length; i++) {
    const c = map.chunk[i] ?? -1;
    if (c < 0) continue;
    while (page + 1 < pages.length && c >= (itemBase[page + 1] ?? total)) page++;
    if (pageStarts[page] === -1) pageStarts[page] = i;
  }
  let next = map.text.length;
  for (let p = pages.length - 1; p >= 0; p--) {
    if ((pageStarts[p] ?? -1) === -1) pageStarts[p] = next;
    next = pageStarts[p] ?? next;
  }
  return { text: map.text, pageStarts, itemBase, map, excluded };
}
