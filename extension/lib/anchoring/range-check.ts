// The fast path of re-anchoring (docs/anchoring.md): a clip made by this extension also stores
// where its passage was in the DOM (a RangeSelector: element paths and textContent offsets). On
// a later visit the passage is looked for there first, reading only the text around that place
// with the text model's rules, and accepted only when the very same words stand there with the
// very same context on both sides. The page's whole text model is built only for the clips that
// fail this check (the page changed there, or the clip is older than the stored place).
import { collapseText, isSpace } from '../../../shared/anchoring';
import { LIMITS } from '../../../shared/limits';
import type { RangeSelector, Selector, TextQuoteSelector } from '../../../shared/schemas';
import { createXPathResolver, pointInTextContent, simpleXPathOf, textContentPoint } from './dom-path';
import { isBlock, isLeftOut, type TextModelOptions } from './text-model';

/** Marks a RangeSelector as ours (its clip's TextPositionSelector is in text-model offsets). */
export const MADE_BY = 'qsi-evidence-clipper';

/** Context made at clip time is at least this long unless it reached the page's edge. */
const MIN_CONTEXT = 64;
/** Nodes a single check may visit before it gives up (the text model then decides). */
const MAX_NODES = 5_000;

/** The stored place of a Range whose ends are in text nodes under `root`, or null. */
export function locatorOf(root: Element, range: Range): RangeSelector | null {
  const s = range.startContainer;
  const e = range.endContainer;
  if (s.nodeType !== 3 || e.nodeType !== 3) return null;
  const a = textContentPoint(s as Text, range.startOffset);
  const b = textContentPoint(e as Text, range.endOffset);
  if (!a || !b) return null;
  const startContainer = simpleXPathOf(root, a.el);
  const endContainer = simpleXPathOf(root, b.el);
  if (startContainer === null || endContainer === null) return null;
  if (Math.max(startContainer.length, endContainer.length) > LIMITS.longText) return null;
  return {
    type: 'RangeSelector',
    startContainer,
    startOffset: a.offset,
    endContainer,
    endOffset: b.offset,
    madeBy: MADE_BY,
  };
}

export interface RangeVerifier {
  /**
   * The Range of the clip's stored place when it still holds the quote exactly, with the stored
   * prefix and suffix next to it; null when the clip has no stored place or the check fails.
   */
  verify(selectors: readonly Selector[]): Range | null;
}

/** Same words: NFC, whitespace runs as one space, trimmed (how the quote is compared). */
const words = (s: string) => collapseText(s).trim();
/** Context is compared without any whitespace (a paragraph break and a space are alike there). */
const squash = (s: string) => s.normalize('NFC').replace(/\s+/g, '');

function countVisible(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (!isSpace(s.charCodeAt(i))) n++;
  return n;
}

enum Kind {
  LeftOut = 0,
  Inline = 1,
  Block = 2,
  Break = 3,
}

/**
 * A verifier for one anchoring pass over `root` (element kinds are remembered for the pass:
 * create a new one after the page changes). `options` must be the text model's.
 */
export function createRangeVerifier(root: Element, options: TextModelOptions = {}): RangeVerifier {
  const view = options.computedStyle === false ? null : root.ownerDocument.defaultView;
  const resolve = createXPathResolver(root);
  const kinds = new Map<Element, Kind>();
  const kind = (el: Element): Kind => {
    let k = kinds.get(el);
    if (k !== undefined) return k;
    if (isLeftOut(el, options)) k = Kind.LeftOut;
    else if (el.tagName === 'BR') k = Kind.Break;
    else {
      const display = view?.getComputedStyle(el).display ?? '';
      k = display === 'none' ? Kind.LeftOut : isBlock(el.tagName, display) ? Kind.Block : Kind.Inline;
    }
    kinds.set(el, k);
    return k;
  };
  // Visibility as the text model inherits it: the root counts as visible, an element without a
  // computed value takes its parent's.
  const shown = new Map<Element, boolean>();
  const visible = (el: Element | null): boolean => {
    if (!el || el === root || !view) return true;
    let v = shown.get(el);
    if (v === undefined) {
      const vis = view.getComputedStyle(el).visibility;
      v = vis === '' ? visible(el.parentElement) : vis === 'visible';
      shown.set(el, v);
    }
    return v;
  };
  /** The text node is under the root and no element above it is left out of the text. */
  const inText = (t: Text): boolean => {
    for (let el = t.parentElement; el !== root; el = el.parentElement) {
      if (!el) return false;
      const k = kind(el);
      if (k === Kind.LeftOut || k === Kind.Break) return false;
    }
    return visible(t.parentElement);
  };

  /**
   * Visits the page's visible text nodes from `from` (excluded) onwards, forwards or backwards,
   * calling `onBreak` where the text model puts a block boundary; stops when `onText` says so,
   * at the root's edge, or after MAX_NODES nodes.
   */
  const walk = (from: Node, forward: boolean, onText: (t: Text) => boolean, onBreak: () => void): void => {
    let n: Node = from;
    let into = false;
    for (let steps = 0; steps < MAX_NODES; steps++) {
      const first = forward ? n.firstChild : n.lastChild;
      if (into && first) n = first;
      else {
        if (into && kind(n as Element) === Kind.Block) onBreak();
        let cur: Node = n;
        for (;;) {
          const sib = forward ? cur.nextSibling : cur.previousSibling;
          if (sib) {
            n = sib;
            break;
          }
          const p = cur.parentNode;
          if (!p || p === root) return;
          if (kind(p as Element) === Kind.Block) onBreak();
          cur = p;
        }
      }
      into = false;
      if (n.nodeType === 3) {
        if (visible((n as Text).parentElement) && onText(n as Text)) return;
        continue;
      }
      if (n.nodeType !== 1) continue;
      const k = kind(n as Element);
      if (k === Kind.LeftOut) continue;
      if (k === Kind.Break) {
        onBreak();
        continue;
      }
      if (k === Kind.Block) onBreak();
      into = true;
    }
  };

  /** The Range at the place `startPath`…`endPath` when it passes the check, else null. */
  const check = (loc: RangeSelector, quote: TextQuoteSelector, startPath: string, endPath: string) => {
    const startEl = resolve(startPath);
    const endEl = resolve(endPath);
    if (!startEl || !endEl) return null;
    const s = pointInTextContent(startEl, loc.startOffset, false);
    const e = pointInTextContent(endEl, loc.endOffset, true);
    if (!s || !e || !inText(s.node)) return null;

    // Forwards from the start: the quote up to the end point, then the suffix.
    const want = words(quote.exact);
    const wantVisible = countVisible(want);
    const wantSuffix = squash(quote.suffix ?? '');
    const quoteParts: string[] = [];
    const suffixParts: string[] = [];
    let quoteSeen = 0;
    let suffixSeen = 0;
    let inQuote = true;
    const endQuote = (t: Text) => {
      quoteParts.push(t.data.slice(t === s.node ? s.offset : 0, e.offset));
      const rest = t.data.slice(e.offset);
      suffixParts.push(rest);
      suffixSeen += countVisible(rest);
      inQuote = false;
    };
    if (s.node === e.node) {
      if (e.offset < s.offset) return null;
      endQuote(s.node);
    } else {
      const head = s.node.data.slice(s.offset);
      quoteParts.push(head);
      quoteSeen += countVisible(head);
    }
    if (suffixSeen <= wantSuffix.length)
      walk(
        s.node,
        true,
        (t) => {
          if (inQuote) {
            if (t === e.node) endQuote(t);
            else {
              quoteParts.push(t.data);
              quoteSeen += countVisible(t.data);
              return quoteSeen > 2 * wantVisible + 16; // far longer than the quote: it changed
            }
          } else {
            suffixParts.push(t.data);
            suffixSeen += countVisible(t.data);
          }
          return suffixSeen > wantSuffix.length;
        },
        () => (inQuote ? quoteParts : suffixParts).push(' '),
      );
    if (inQuote || words(quoteParts.join('')) !== want) return null;
    const suffix = squash(suffixParts.join(''));
    if (!suffix.startsWith(wantSuffix)) return null;
    if ((quote.suffix ?? '').length < MIN_CONTEXT && suffix.length !== wantSuffix.length) return null;

    // Backwards from the start: the prefix.
    const wantPrefix = squash(quote.prefix ?? '');
    const head = s.node.data.slice(0, s.offset);
    const prefixParts: string[] = [head];
    let prefixSeen = countVisible(head);
    if (prefixSeen <= wantPrefix.length)
      walk(
        s.node,
        false,
        (t) => {
          prefixParts.push(t.data);
          prefixSeen += countVisible(t.data);
          return prefixSeen > wantPrefix.length;
        },
        () => prefixParts.push(' '),
      );
    const prefix = squash(prefixParts.reverse().join(''));
    if (!prefix.endsWith(wantPrefix)) return null;
    if ((quote.prefix ?? '').length < MIN_CONTEXT && prefix.length !== wantPrefix.length) return null;

    const range = root.ownerDocument.createRange();
    try {
      range.setStart(s.node, s.offset);
      range.setEnd(e.node, e.offset);
    } catch {
      return null;
    }
    return range.collapsed ? null : range;
  };

  return {
    verify(selectors) {
      const loc = selectors.find(
        (s): s is RangeSelector => s.type === 'RangeSelector' && s.madeBy === MADE_BY,
      );
      const quote = selectors.find((s): s is TextQuoteSelector => s.type === 'TextQuoteSelector');
      if (!loc || !quote) return null;
      const here = check(loc, quote, loc.startContainer, loc.endContainer);
      if (here) return here;
      // Its element shifted among its siblings (a paragraph or list item inserted or removed
      // before it, the commonest edit): the same element up to SHIFT places on. Taken only when
      // exactly one of them passes the check (identical repeated items pass alike: not taken).
      const a = lastStep(loc.startContainer);
      const b = lastStep(loc.endContainer);
      if (!a || !b || a.parent !== b.parent || a.tag !== b.tag) return null;
      let found: Range | null = null;
      for (let d = -SHIFT; d <= SHIFT; d++) {
        if (d === 0 || a.nth + d < 1 || b.nth + d < 1) continue;
        const r = check(loc, quote, a.at(a.nth + d), b.at(b.nth + d));
        if (!r) continue;
        if (found) return null;
        found = r;
      }
      return found;
    },
  };
}

/** Places a shifted element is looked for, each way. */
const SHIFT = 2;

/** A path's last step, split: `/main[1]/p[3]` → parent `/main[1]`, tag `p`, nth 3. */
function lastStep(path: string) {
  const m = /^(.*)\/([A-Za-z][\w.-]*)\[(\d+)\]$/.exec(path);
  if (!m) return null;
  const parent = m[1] ?? '';
  const tag = m[2] ?? '';
  return { parent, tag, nth: Number(m[3]), at: (n: number) => `${parent}/${tag}[${n}]` };
}
