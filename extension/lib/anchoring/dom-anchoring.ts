// DOM side of describe/locate (docs/anchoring.md): DOM Range ↔ W3C selectors over a text model, and import
// of selectors made by other tools (Hypothesis's legacy XPath RangeSelector, raw-textContent
// TextPositionSelector), converted to positions in our normalised text.
import {
  collapseText,
  type DescribeOptions,
  describeText,
  type LocateOptions,
  type LocateStatus,
  locateText,
} from '../../../shared/anchoring';
import type {
  RangeSelector,
  Selector,
  TextPositionSelector,
  TextQuoteSelector,
} from '../../../shared/schemas';
import { pointInTextContent, resolveSimpleXPath } from './dom-path';
import { locatorOf, MADE_BY } from './range-check';
import type { TextModel } from './text-model';

export { resolveSimpleXPath };

/**
 * Selectors for a DOM Range (quote with context + position in the model's text), or null when
 * the range holds no visible text of the model.
 */
export function describeRange(model: TextModel, range: Range, options?: DescribeOptions): Selector[] | null {
  const at = model.offsetsOf(range);
  if (!at) return null;
  let selectors: Selector[];
  try {
    selectors = describeText(model.text, at.start, at.end, options);
  } catch {
    return null; // only whitespace selected
  }
  // The passage's DOM place too, for the fast path on the next visit (range-check.ts).
  const pos = selectors.find((s): s is TextPositionSelector => s.type === 'TextPositionSelector');
  const exact = pos && model.rangeFor(pos.start, pos.end);
  const locator = exact && locatorOf(model.root, exact);
  return locator ? [...selectors, locator] : selectors;
}

export interface AnchorResult {
  status: LocateStatus;
  range?: Range;
  start?: number;
  end?: number;
  score: number;
  /** A lost clip's closest places, best first: for the user to confirm, never to paint. */
  suggestions?: { start: number; end: number; range: Range; text: string }[];
}

/**
 * Anchors selectors in the model: the staged, verified search of `locateText`, then the DOM
 * Range. Selectors with a Hypothesis RangeSelector are imported first (see `importSelectors`);
 * our own RangeSelector is only for the fast path (`createRangeVerifier`) and is ignored here.
 */
export function anchorSelectors(
  model: TextModel,
  selectors: Selector[],
  options?: LocateOptions,
): AnchorResult {
  const sel = selectors.some((s) => s.type === 'RangeSelector' && s.madeBy !== MADE_BY)
    ? importSelectors(model, selectors)
    : selectors;
  const r = locateText(model.prepared(), sel, options);
  if (r.status === 'lost' || r.start === undefined || r.end === undefined) {
    const suggestions = (r.suggestions ?? []).flatMap((s) => {
      const range = model.rangeFor(s.start, s.end);
      return range ? [{ start: s.start, end: s.end, range, text: model.text.slice(s.start, s.end) }] : [];
    });
    return suggestions.length
      ? { status: 'lost', score: r.score, suggestions }
      : { status: 'lost', score: r.score };
  }
  const range = model.rangeFor(r.start, r.end);
  if (!range) return { status: 'lost', score: r.score };
  return { status: r.status, range, start: r.start, end: r.end, score: r.score };
}

// ---------------------------------------------------------------- import

function rangeFromLegacy(model: TextModel, sel: RangeSelector): Range | null {
  const startEl = resolveSimpleXPath(model.root, sel.startContainer);
  const endEl = resolveSimpleXPath(model.root, sel.endContainer);
  if (!startEl || !endEl) return null;
  return rangeBetween(
    model,
    pointInTextContent(startEl, sel.startOffset, false),
    pointInTextContent(endEl, sel.endOffset, true),
  );
}

type Point = ReturnType<typeof pointInTextContent>;

/** A Range from two boundary points, or null when either is missing or they are out of order. */
function rangeBetween(model: TextModel, s: Point, e: Point): Range | null {
  if (!s || !e) return null;
  const range = model.root.ownerDocument.createRange();
  try {
    range.setStart(s.node, s.offset);
    range.setEnd(e.node, e.offset);
  } catch {
    return null;
  }
  return range;
}

function rangeFromRawPosition(model: TextModel, sel: TextPositionSelector): Range | null {
  return rangeBetween(
    model,
    pointInTextContent(model.root, sel.start, false),
    pointInTextContent(model.root, sel.end, true),
  );
}

const same = (a: string, b: string) =>
  collapseText(a).replace(/\s/g, ' ').trim() === collapseText(b).replace(/\s/g, ' ').trim();

/**
 * Converts selectors made by another tool into ours for this model: the quote normalised
 * (whitespace collapsed, NFC), and a position in our text taken from the legacy RangeSelector or
 * a raw-`textContent` TextPositionSelector — kept only where it holds the quote.
 */
export function importSelectors(model: TextModel, selectors: Selector[]): Selector[] {
  const quote = selectors.find((s): s is TextQuoteSelector => s.type === 'TextQuoteSelector');
  const out: Selector[] = [];
  if (quote) {
    const norm: TextQuoteSelector = {
      type: 'TextQuoteSelector',
      exact: collapseText(quote.exact).trim() || quote.exact,
    };
    if (quote.prefix !== undefined) norm.prefix = collapseText(quote.prefix);
    if (quote.suffix !== undefined) norm.suffix = collapseText(quote.suffix);
    out.push(norm);
  }
  const ranges: Array<Range | null> = [];
  for (const s of selectors) {
    if (s.type === 'RangeSelector') ranges.push(rangeFromLegacy(model, s));
    if (s.type === 'TextPositionSelector') ranges.push(rangeFromRawPosition(model, s));
  }
  for (const r of ranges) {
    const at = r ? model.offsetsOf(r) : null;
    if (!at) continue;
    if (!quote || same(model.text.slice(at.start, at.end), quote.exact)) {
      out.push({ type: 'TextPositionSelector', start: at.start, end: at.end });
      break;
    }
  }
  for (const s of selectors) if (s.type === 'CssSelector' || s.type === 'PageSelector') out.push(s);
  return out;
}
