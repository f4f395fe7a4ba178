// Turns the HTML that mammoth makes of a Word document into DOM nodes of the viewer's page,
// keeping only an allow-list of elements and attributes. The HTML is parsed inert (DOMParser:
// nothing runs, nothing loads) and rebuilt node by node with createElement/createTextNode: the
// untrusted string is never assigned to innerHTML of the live page. No scripts, no styles, no
// external resources (images only as data: URIs), links only http(s) or to the document's own
// notes. The why is in docs/threat-model.md ("Word documents").

/** Elements kept as they are (their allowed attributes only). */
const KEEP = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'caption',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'sub',
  'sup',
  'br',
  'a',
  'blockquote',
  'pre',
  'code',
  'hr',
  'img',
  'section',
]);

/** Elements dropped with everything inside them. */
const DROP = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'noscript',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'svg',
  'math',
  'video',
  'audio',
  'source',
  'track',
  'picture',
  'canvas',
  'head',
  'title',
]);

/** Images embedded by mammoth: raster data URIs only (no SVG, which may carry script), capped. */
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$/i;
const MAX_IMAGE_CHARS = 4_000_000;
const MAX_SPAN = 1000;

export interface SanitizeOptions {
  /** Prefix for kept ids (and the `#fragment` links to them): no clash with the viewer's own ids. */
  idPrefix: string;
}

export interface SanitizeStats {
  elements: number;
  droppedElements: number;
  droppedLinks: number;
  droppedImages: number;
}

/** True for an absolute http(s) address (after trimming; no other scheme is ever linked). */
export function isSafeHref(href: string): boolean {
  const h = href.trim();
  return /^https?:\/\//i.test(h) && URL.canParse(h);
}

function safeId(raw: string, prefix: string): string | null {
  const id = raw.trim();
  return /^[\w.:-]{1,200}$/.test(id) ? `${prefix}${id}` : null;
}

function copyAttributes(
  from: Element,
  to: HTMLElement,
  tag: string,
  o: SanitizeOptions,
  stats: SanitizeStats,
) {
  const id = from.getAttribute('id');
  if (id) {
    const safe = safeId(id, o.idPrefix);
    if (safe) to.id = safe;
  }
  if (tag === 'a') {
    const href = from.getAttribute('href') ?? '';
    if (href.startsWith('#')) {
      const target = safeId(href.slice(1), o.idPrefix);
      if (target) to.setAttribute('href', `#${target}`);
    } else if (isSafeHref(href)) {
      to.setAttribute('href', href.trim());
      to.setAttribute('rel', 'noopener noreferrer');
      to.setAttribute('target', '_blank');
    } else if (href) stats.droppedLinks++;
  } else if (tag === 'td' || tag === 'th') {
    for (const name of ['colspan', 'rowspan']) {
      const n = Number(from.getAttribute(name));
      if (Number.isInteger(n) && n > 1) to.setAttribute(name, String(Math.min(n, MAX_SPAN)));
    }
  } else if (tag === 'ol') {
    const start = Number(from.getAttribute('start'));
    if (Number.isInteger(start) && start !== 1) to.setAttribute('start', String(start));
  } else if (tag === 'img') {
    const alt = from.getAttribute('alt');
    if (alt) to.setAttribute('alt', alt.slice(0, 1000));
    else to.setAttribute('alt', '');
  }
}

/**
 * Builds a fragment of `target` from untrusted `html` (mammoth's output). Text is copied as text;
 * elements outside the allow-list are unwrapped (their text kept) or, for active or embedding
 * elements, dropped whole.
 */
export function sanitizeDocumentHtml(
  html: string,
  target: Document,
  options: SanitizeOptions,
): { fragment: DocumentFragment; stats: SanitizeStats } {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const stats: SanitizeStats = { elements: 0, droppedElements: 0, droppedLinks: 0, droppedImages: 0 };
  const fragment = target.createDocumentFragment();
  // Iterative walk (a deeply nested document must not overflow the stack).
  const stack: { from: Node; to: Node }[] = [];
  for (let c = parsed.body.lastChild; c; c = c.previousSibling) stack.push({ from: c, to: fragment });
  // Children are pushed in reverse so they pop in order; each is appended to its parent's copy.
  while (stack.length) {
    const { from, to } = stack.pop() as { from: Node; to: Node };
    if (from.nodeType === 3) {
      to.appendChild(target.createTextNode(from.nodeValue ?? ''));
      continue;
    }
    if (from.nodeType !== 1) continue; // comments, processing instructions
    const el = from as Element;
    const tag = el.localName.toLowerCase();
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml' || DROP.has(tag)) {
      stats.droppedElements++;
      continue;
    }
    let into: Node = to;
    if (KEEP.has(tag)) {
      if (tag === 'img') {
        const src = el.getAttribute('src') ?? '';
        if (!DATA_IMAGE.test(src) || src.length > MAX_IMAGE_CHARS) {
          stats.droppedImages++;
          const alt = el.getAttribute('alt');
          if (alt) to.appendChild(target.createTextNode(`[Image: ${alt.slice(0, 200)}]`));
          continue;
        }
      }
      const copy = target.createElement(tag);
      copyAttributes(el, copy, tag, options, stats);
      if (tag === 'img') copy.setAttribute('src', el.getAttribute('src') ?? '');
      stats.elements++;
      to.appendChild(copy);
      into = copy;
    } else stats.droppedElements++;
    for (let c = el.lastChild; c; c = c.previousSibling) stack.push({ from: c, to: into });
  }
  return { fragment, stats };
}
