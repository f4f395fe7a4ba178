// Element paths and textContent offsets, the convention of the legacy XPath RangeSelector
// (Hypothesis's, and ours since clips store one for the fast path: docs/anchoring.md): an XPath of
// `/tag[n]` steps from the content root to the element holding a boundary point, and the point's
// offset among all the text of that element (`textContent`, hidden text included).

/** Resolves a simple XPath (`/div[2]/p[1]`, Hypothesis's form) relative to `root`. */
export function resolveSimpleXPath(root: Element, xpath: string): Element | null {
  let node: Element | null = root;
  const steps = xpath.split('/').filter((s) => s.length > 0);
  for (const step of steps) {
    const m = /^([A-Za-z][\w.-]*)(?:\[(\d+)\])?$/.exec(step);
    if (!m || !node) return null;
    const tag = (m[1] ?? '').toUpperCase();
    const nth = Number(m[2] ?? '1');
    let count = 0;
    let found: Element | null = null;
    for (let c: Element | null = node.firstElementChild; c; c = c.nextElementSibling) {
      if (c.tagName.toUpperCase() === tag && ++count === nth) {
        found = c;
        break;
      }
    }
    node = found;
  }
  return node;
}

/**
 * A resolver for many paths under one root: each parent's children are indexed by tag once, so
 * a step into a page of thousands of sections costs a lookup, not a scan. For one pass over an
 * unchanging DOM.
 */
export function createXPathResolver(root: Element): (xpath: string) => Element | null {
  const byTag = new Map<Element, Map<string, Element[]>>();
  const childrenOf = (el: Element): Map<string, Element[]> => {
    let m = byTag.get(el);
    if (!m) {
      m = new Map();
      for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
        const tag = c.tagName.toUpperCase();
        const list = m.get(tag);
        if (list) list.push(c);
        else m.set(tag, [c]);
      }
      byTag.set(el, m);
    }
    return m;
  };
  const cache = new Map<string, Element | null>();
  return (xpath) => {
    const hit = cache.get(xpath);
    if (hit !== undefined) return hit;
    let node: Element | null = root;
    for (const step of xpath.split('/')) {
      if (step.length === 0) continue;
      const m = /^([A-Za-z][\w.-]*)(?:\[(\d+)\])?$/.exec(step);
      if (!m || !node) {
        node = null;
        break;
      }
      node = childrenOf(node).get((m[1] ?? '').toUpperCase())?.[Number(m[2] ?? '1') - 1] ?? null;
    }
    cache.set(xpath, node);
    return node;
  };
}

/** The XPath of `el` from `root` (`""` for the root itself), or null when a step has no simple name. */
export function simpleXPathOf(root: Element, el: Element): string | null {
  const steps: string[] = [];
  for (let n: Element | null = el; n !== root; n = n.parentElement) {
    if (!n) return null;
    const tag = n.tagName;
    if (!/^[A-Za-z][\w.-]*$/.test(tag)) return null;
    const upper = tag.toUpperCase();
    let nth = 1;
    for (let s = n.previousElementSibling; s; s = s.previousElementSibling)
      if (s.tagName.toUpperCase() === upper) nth++;
    steps.push(`${tag.toLowerCase()}[${nth}]`);
  }
  return steps.length ? `/${steps.reverse().join('/')}` : '';
}

/** (text node, offset) for a character offset into `el.textContent` (all text nodes count). */
export function pointInTextContent(
  el: Node,
  offset: number,
  asEnd: boolean,
): { node: Text; offset: number } | null {
  const doc = el.ownerDocument;
  if (!doc) return null;
  const walker = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  let remaining = offset;
  let lastText: Text | null = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n as Text;
    const len = t.data.length;
    if (remaining < len || (asEnd && remaining === len)) return { node: t, offset: remaining };
    remaining -= len;
    lastText = t;
  }
  return lastText && remaining === 0 ? { node: lastText, offset: lastText.data.length } : null;
}

/** The element holding a text point, and the point's offset in that element's textContent. */
export function textContentPoint(node: Text, offset: number): { el: Element; offset: number } | null {
  const el = node.parentElement;
  if (!el) return null;
  const r = el.ownerDocument.createRange();
  r.setStart(el, 0);
  r.setEnd(node, offset);
  return { el, offset: r.toString().length };
}
