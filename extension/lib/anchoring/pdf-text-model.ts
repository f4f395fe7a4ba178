// The text model of a PDF in the viewer: the whole document's text (shared/pdf,
// built from pdf.js text content of every page) mapped to the spans of whichever pages' text
// layers are rendered right now. Pages render lazily, so ranges are clamped to rendered pages
// and repainted as pages attach; offsets never depend on what is rendered.
import { type PreparedText, prepareText } from '../../../shared/anchoring';
import { type PdfDocumentText, pageOfOffset } from '../../../shared/pdf/pdf-text';
import { searchRawOffset } from './text-model';

export interface PdfTextModel {
  readonly doc: PdfDocumentText;
  readonly text: string;
  /** Registers page `page`'s text-layer spans (pdf.js `TextLayer.textDivs`, item order). */
  attachPage(page: number, spans: readonly HTMLElement[]): void;
  /** Forgets a page whose text layer was removed. */
  detachPage(page: number): void;
  isAttached(page: number): boolean;
  /** DOM Range over the rendered part of `text.slice(start, end)`, or null if none is rendered. */
  rangeFor(start: number, end: number): Range | null;
  /** Document offsets of a DOM Range in the text layers, or null when it holds none of the text. */
  offsetsOf(range: Range): { start: number; end: number } | null;
  pageOf(offset: number): number;
  prepared(): PreparedText;
}

const isBlank = (c: number) => c === 32 || c === 10;

export function createPdfTextModel(doc: PdfDocumentText, root: Element): PdfTextModel {
  const { map, text } = doc;
  const pageCount = doc.itemBase.length;
  const nodes = new Map<number, Text>();
  const chunkOf = new WeakMap<Node, number>();
  const attached = new Set<number>();
  let chunkCount = 0;
  for (let i = 0; i < map.chunk.length; i++) chunkCount = Math.max(chunkCount, (map.chunk[i] ?? -1) + 1);
  // First and last output character of each chunk (-1: none, e.g. a running header).
  const first = new Int32Array(chunkCount).fill(-1);
  const last = new Int32Array(chunkCount).fill(-1);
  for (let i = 0; i < text.length; i++) {
    const c = map.chunk[i] ?? -1;
    if (c < 0) continue;
    if (first[c] === -1) first[c] = i;
    last[c] = i;
  }
  const pageEnd = (page: number) => (page + 1 < pageCount ? (doc.itemBase[page + 1] ?? 0) : Infinity);
  // Attached chunks in document order (pages and spans are laid out in item order), built on use.
  let ordered: number[] | null = null;
  const orderedChunks = () => {
    ordered ??= [...nodes.keys()].sort((x, y) => x - y);
    return ordered;
  };

  /** Offset of a point inside chunk `c`'s text node (see text-model.ts for the two sides). */
  function offsetInChunk(c: number, offset: number, asEnd: boolean): number {
    // A chunk with no text of its own (header, footer, blank): the next text after it.
    if ((first[c] ?? -1) < 0) {
      for (let k = c + 1; k < chunkCount; k++) if ((first[k] ?? -1) >= 0) return first[k] ?? text.length;
      return text.length;
    }
    return searchRawOffset(asEnd ? map.rawEnd : map.rawStart, first[c] ?? 0, last[c] ?? 0, offset, asEnd);
  }

  /**
   * A point between nodes (an element boundary in the text layer): the first rendered text at
   * or after it for a start, the last before it for an end.
   */
  function nearPoint(container: Node, offset: number, asEnd: boolean): number | null {
    const probe = root.ownerDocument.createRange();
    probe.setStart(container, offset);
    const list = orderedChunks();
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const node = nodes.get(list[mid] ?? -1);
      if (node && probe.comparePoint(node, 0) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (!asEnd) {
      const c = list[lo];
      return c === undefined ? null : offsetInChunk(c, 0, false);
    }
    const c = list[lo - 1];
    const node = c === undefined ? undefined : nodes.get(c);
    return c === undefined || !node ? null : offsetInChunk(c, node.data.length, true);
  }

  function offsetOfPoint(container: Node, offset: number, asEnd: boolean): number | null {
    const c = chunkOf.get(container);
    return c === undefined ? nearPoint(container, offset, asEnd) : offsetInChunk(c, offset, asEnd);
  }

  let prep: PreparedText | undefined;
  return {
    doc,
    text,
    attachPage(page, spans) {
      const base = doc.itemBase[page] ?? 0;
      spans.forEach((span, j) => {
        const node = span.firstChild;
        if (node && node.nodeType === 3 && base + j < pageEnd(page)) {
          nodes.set(base + j, node as Text);
          chunkOf.set(node, base + j);
        }
      });
      attached.add(page);
      ordered = null;
    },
    detachPage(page) {
      for (const c of [...nodes.keys()])
        if (c >= (doc.itemBase[page] ?? 0) && c < pageEnd(page)) nodes.delete(c);
      attached.delete(page);
      ordered = null;
    },
    isAttached: (page) => attached.has(page),
    rangeFor(start, end) {
      let s = Math.max(0, start);
      let e = Math.min(text.length, end);
      while (s < e && isBlank(text.charCodeAt(s))) s++;
      while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
      // Clamp to characters whose page is rendered.
      const rendered = (i: number) => nodes.has(map.chunk[i] ?? -1);
      while (s < e && !rendered(s)) s++;
      while (e > s && !rendered(e - 1)) e--;
      if (s >= e) return null;
      const sNode = nodes.get(map.chunk[s] ?? -1);
      const eNode = nodes.get(map.chunk[e - 1] ?? -1);
      if (!sNode || !eNode) return null;
      const range = root.ownerDocument.createRange();
      range.setStart(sNode, Math.min(map.rawStart[s] ?? 0, sNode.data.length));
      range.setEnd(eNode, Math.min(map.rawEnd[e - 1] ?? 0, eNode.data.length));
      return range;
    },
    offsetsOf(range) {
      if (!root.contains(range.commonAncestorContainer)) return null;
      const start = offsetOfPoint(range.startContainer, range.startOffset, false);
      const end = offsetOfPoint(range.endContainer, range.endOffset, true);
      return start !== null && end !== null && end > start ? { start, end } : null;
    },
    pageOf: (offset) => pageOfOffset(doc, offset),
    prepared() {
      prep ??= prepareText(text);
      return prep;
    },
  };
}
