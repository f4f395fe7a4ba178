// What the XSS tests look for on a rendered surface: did a payload run (the canary), did a payload
// become an element (`data-qsi-xss`), is any link not http(s), and what text is shown. It looks
// through open shadow roots too (the content script's UI lives in one).
import type { Frame, Page } from 'playwright-core';
import { MARK } from './payloads';

export interface SurfaceScan {
  /** The canary ran in the page's main world or flagged the shared DOM. */
  fired: boolean;
  /** Elements created from a payload (tag names). */
  injected: string[];
  /** Links/frames/forms whose target is not http(s) (nor this extension page's own origin). */
  badLinks: string[];
  /** Number of `a[href]` checked. */
  links: number;
  /** Visible text of the document and its open shadow roots (inputs' values included). */
  text: string;
}

/** Runs in the page: must be self-contained (serialised by Playwright). */
function scan(mark: string): SurfaceScan {
  const roots: (Document | ShadowRoot)[] = [document];
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i];
    if (!root) continue;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  const injected: string[] = [];
  const badLinks: string[] = [];
  let links = 0;
  const texts: string[] = [];
  const ownOrigin = location.protocol.endsWith('-extension:') ? location.origin : undefined;
  const allowed = (raw: string | null): boolean => {
    if (raw === null) return true;
    let u: URL;
    try {
      u = new URL(raw, location.href);
    } catch {
      return false;
    }
    if (u.protocol === 'http:' || u.protocol === 'https:') return true;
    return ownOrigin !== undefined && u.origin === ownOrigin;
  };
  for (const root of roots) {
    for (const el of root.querySelectorAll(`[${mark}]`)) injected.push(el.tagName.toLowerCase());
    for (const a of root.querySelectorAll('a[href], area[href]')) {
      links++;
      if (!allowed(a.getAttribute('href'))) badLinks.push(`${a.tagName} ${a.getAttribute('href')}`);
    }
    for (const el of root.querySelectorAll(
      'iframe[src], embed[src], object[data], form[action], [formaction]',
    )) {
      const v =
        el.getAttribute('src') ??
        el.getAttribute('data') ??
        el.getAttribute('action') ??
        el.getAttribute('formaction');
      if (!allowed(v)) badLinks.push(`${el.tagName} ${v}`);
    }
    const host = root instanceof Document ? root.body : root;
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a user sees.
    if (host) texts.push(host instanceof HTMLElement ? host.innerText : (host.textContent ?? ''));
    for (const f of root.querySelectorAll('input, textarea')) {
      if (f instanceof HTMLInputElement || f instanceof HTMLTextAreaElement) texts.push(f.value);
    }
    for (const f of root.querySelectorAll('[title], [aria-label]')) {
      texts.push(f.getAttribute('title') ?? '', f.getAttribute('aria-label') ?? '');
    }
  }
  const fired =
    (window as unknown as { __qsiXss?: unknown }).__qsiXss !== undefined ||
    document.documentElement.hasAttribute(`${mark}-fired`);
  return { fired, injected, badLinks, links, text: texts.join('\n') };
}

/** Scans a page or frame (see {@link SurfaceScan}). */
export async function scanSurface(target: Page | Frame): Promise<SurfaceScan> {
  return target.evaluate(scan, MARK);
}
