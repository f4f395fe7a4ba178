// The text model of a content root (docs/anchoring.md): the visible text the user reads, normalised as
// shared/anchoring does it (NFC, whitespace collapsed, "\n" at block boundaries), with hidden
// text and our own UI left out, and a two-way map between its offsets and DOM Ranges.
// It reads the DOM only; it never changes it. Rebuild it after the page's text changes.
import { createTextAccumulator, type PreparedText, prepareText } from '../../../shared/anchoring';

/** Attribute marking our own UI (shadow hosts, overlays); never part of the page's text. */
export const UI_ATTRIBUTE = 'data-qsi-evidence-ui';

export interface TextModelOptions {
  /** Extra elements to leave out (their whole subtree). */
  exclude?: (el: Element) => boolean;
  /** Leave out `aria-hidden="true"` subtrees too (default false: such text is often visible). */
  skipAriaHidden?: boolean;
  /** Use computed styles for display:none, visibility and block layout (default true). */
  computedStyle?: boolean;
}

export interface TextModel {
  readonly root: Element;
  /** Normalised text of the root. */
  readonly text: string;
  /** The text nodes the text was made from, in document order. */
  readonly nodes: readonly Text[];
  /** The DOM Range for `text.slice(start, end)` (whitespace at its ends trimmed), or null if empty. */
  rangeFor(start: number, end: number): Range | null;
  /** Model offsets of a DOM Range (clamped to the model's text), or null if it holds none of it. */
  offsetsOf(range: Range): { start: number; end: number } | null;
  /** The text prepared for many `locateText` calls (built on first use). */
  prepared(): PreparedText;
}

const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'CANVAS',
  'svg',
  'SVG',
  'SELECT',
  'TEXTAREA',
  'HEAD',
  'TITLE',
  'META',
  'LINK',
]);
const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BODY',
  'CAPTION',
  'DD',
  'DETAILS',
  'DIALOG',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'HTML',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TBODY',
  'TD',
  'TFOOT',
  'TH',
  'THEAD',
  'TR',
  'UL',
]);

/** Elements whose whole subtree is not page text, whatever their style. */
export function isLeftOut(c: Element, options: TextModelOptions): boolean {
  if (SKIP.has(c.tagName) || c.hasAttribute('hidden') || c.hasAttribute(UI_ATTRIBUTE)) return true;
  if (options.skipAriaHidden && c.getAttribute('aria-hidden') === 'true') return true;
  return options.exclude?.(c) ?? false;
}

/** Whether an element (tag, computed display; `''` without computed styles) starts a new line. */
export function isBlock(tag: string, display: string): boolean {
  return (
    BLOCK.has(tag) ||
    (display !== '' && !display.startsWith('inline') && display !== 'contents' && display !== 'ruby')
  );
}

type Accumulator = ReturnType<typeof createTextAccumulator>;

const utf16 = typeof TextDecoder === 'undefined' ? undefined : new TextDecoder('utf-16le');

/** Sized from the raw text once (no growing by doubling) and decoded natively. */
function accumulatorOptions(root: Element) {
  return {
    capacity: root.textContent?.length ?? 0,
    decode: utf16 && ((codes: Uint16Array) => utf16.decode(codes)),
  };
}

/**
 * Walks `root` into `acc`, depth first without recursion, yielding every 64 elements so a
 * caller can pause between steps (see {@link buildTextModelSliced}).
 */
function* walk(root: Element, options: TextModelOptions, acc: Accumulator, nodes: Text[]): Generator<void> {
  const view = options.computedStyle === false ? null : root.ownerDocument.defaultView;
  // Each frame: the next child to visit, whether its text is visible, and whether its parent was
  // a block (so a separator closes it when the frame ends).
  let elements = 0;
  const stack: { next: ChildNode | null; visible: boolean; block: boolean }[] = [
    { next: root.firstChild, visible: true, block: false },
  ];
  while (stack.length) {
    const frame = stack[stack.length - 1];
    if (!frame) break;
    const child = frame.next;
    if (!child) {
      stack.pop();
      if (frame.block) acc.boundary();
      continue;
    }
    frame.next = child.nextSibling;
    if (child.nodeType === 3) {
      if (frame.visible) {
        nodes.push(child as Text);
        acc.append((child as Text).data, nodes.length - 1);
      }
      continue;
    }
    if (child.nodeType !== 1) continue;
    const c = child as Element;
    if (isLeftOut(c, options)) continue;
    if (c.tagName === 'BR') {
      acc.boundary();
      continue;
    }
    const style = view?.getComputedStyle(c);
    const display = style?.display ?? '';
    if (display === 'none') continue;
    const block = isBlock(c.tagName, display);
    const visibility = style?.visibility ?? '';
    const visible = visibility === '' ? frame.visible : visibility === 'visible';
    if (block) acc.boundary();
    stack.push({ next: c.firstChild, visible, block });
    // Resuming a generator per element costs more than the element itself on big pages.
    if (++elements % 64 === 0) yield;
  }
}

/**
 * Builds the text model of `root`. Skipped: `hidden`, display:none, script/style/noscript/
 * template and similar, elements carrying {@link UI_ATTRIBUTE}, and `options.exclude` matches.
 */
/**
 * Model position of raw `offset` among the model chars `first..last` of one chunk, whose raw
 * offsets (`key`: raw starts, or raw ends when `asEnd`) grow along it. Start: the first char whose
 * raw start ≥ offset. End: one past the last char whose raw end ≤ offset, i.e. the first char
 * whose raw end > offset. Shared with the PDF text model.
 */
export function searchRawOffset(
  key: ArrayLike<number>,
  first: number,
  last: number,
  offset: number,
  asEnd: boolean,
): number {
  let lo = first;
  let hi = last + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = key[mid] ?? 0;
    if (asEnd ? v <= offset : v < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildTextModel(root: Element, options: TextModelOptions = {}): TextModel {
  const acc = createTextAccumulator(accumulatorOptions(root));
  const nodes: Text[] = [];
  for (const _ of walk(root, options, acc, nodes)) {
    // run to the end
  }
  return finishModel(root, acc, nodes);
}

/**
 * The same model, built in slices of about `sliceMs` with a macrotask between them, so that a
 * megabyte page never blocks the main thread for long (no task over 50 ms: docs/anchoring.md).
 */
export async function buildTextModelSliced(
  root: Element,
  options: TextModelOptions = {},
  sliceMs = 10,
  stats: { longestSlice: number } = { longestSlice: 0 },
): Promise<TextModel> {
  const acc = createTextAccumulator(accumulatorOptions(root));
  const nodes: Text[] = [];
  let sliceStart = performance.now();
  for (const _ of walk(root, options, acc, nodes)) {
    const elapsed = performance.now() - sliceStart;
    if (elapsed < sliceMs) continue;
    stats.longestSlice = Math.max(stats.longestSlice, elapsed);
    await new Promise((resolve) => setTimeout(resolve, 0));
    sliceStart = performance.now();
  }
  const model = finishModel(root, acc, nodes);
  stats.longestSlice = Math.max(stats.longestSlice, performance.now() - sliceStart);
  return model;
}

function finishModel(root: Element, acc: Accumulator, nodes: Text[]): TextModel {
  const doc = root.ownerDocument;
  const n = acc.finish();
  const text = n.text;

  // Output range of each chunk (its characters are contiguous) and each node's index: only
  // DOM → offset mapping needs them, so they are built on first use, not on every re-anchor.
  let maps: { first: Int32Array; last: Int32Array; index: Map<Node, number> } | undefined;
  const offsetMaps = () => {
    if (maps) return maps;
    const first = new Int32Array(nodes.length).fill(-1);
    const last = new Int32Array(nodes.length).fill(-1);
    for (let i = 0; i < text.length; i++) {
      const c = n.chunk[i] ?? -1;
      if (c < 0) continue;
      if (first[c] === -1) first[c] = i;
      last[c] = i;
    }
    const index = new Map<Node, number>();
    nodes.forEach((node, i) => {
      index.set(node, i);
    });
    maps = { first, last, index };
    return maps;
  };

  /** Model offset of a boundary point; `asEnd` picks the side a range end belongs to. */
  const offsetOfPoint = (container: Node, offset: number, asEnd: boolean): number => {
    const { first, last, index } = offsetMaps();
    const ci = index.get(container);
    if (ci !== undefined) {
      const a = first[ci] ?? -1;
      const b = last[ci] ?? -1;
      if (a >= 0) {
        // Binary search: one text node may hold a whole page.
        return searchRawOffset(asEnd ? n.rawEnd : n.rawStart, a, b, offset, asEnd);
      }
    }
    // A point between nodes (or in a text node that is not in the model): the first model node
    // at or after it starts the next text.
    const probe = doc.createRange();
    probe.setStart(container, offset);
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const node = nodes[mid];
      if (node && probe.comparePoint(node, 0) < 0 && !(node === container)) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= nodes.length) return text.length;
    const f = first[lo] ?? -1;
    if (f >= 0) return f;
    // That node collapsed to nothing (whitespace only): the next one that did not.
    for (let j = lo + 1; j < nodes.length; j++) if ((first[j] ?? -1) >= 0) return first[j] ?? text.length;
    return text.length;
  };

  let prep: PreparedText | undefined;
  return {
    root,
    text,
    nodes,
    rangeFor(start, end) {
      let s = Math.max(0, start);
      let e = Math.min(text.length, end);
      // Whitespace at the ends is trimmed: a separator can stand for text the user never saw.
      while (s < e && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 10)) s++;
      while (e > s && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 10)) e--;
      if (s >= e) return null;
      const sNode = nodes[n.chunk[s] ?? -1];
      const eNode = nodes[n.chunk[e - 1] ?? -1];
      if (!sNode || !eNode) return null;
      const range = doc.createRange();
      range.setStart(sNode, n.rawStart[s] ?? 0);
      range.setEnd(eNode, n.rawEnd[e - 1] ?? 0);
      return range;
    },
    offsetsOf(range) {
      if (!root.contains(range.commonAncestorContainer) && !range.commonAncestorContainer.contains(root))
        return null;
      const start = offsetOfPoint(range.startContainer, range.startOffset, false);
      const end = offsetOfPoint(range.endContainer, range.endOffset, true);
      return end > start ? { start, end } : null;
    },
    prepared() {
      prep ??= prepareText(text);
      return prep;
    },
  };
}
