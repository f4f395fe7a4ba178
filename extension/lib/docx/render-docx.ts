// Puts a converted Word document on the viewer's page: the sanitised nodes (sanitize-html.ts)
// grouped into one <section> per top-level heading (so the browser can skip laying out what is
// off screen in a 200-page document), wide tables in a scrollable region, and the headings
// navigation. Reads back what the metadata needs: the first table and the first line.
import { sanitizeDocumentHtml } from './sanitize-html';

export interface RenderedDocx {
  /** Rows of the first table among the document's first blocks (the document-control table). */
  firstTable?: string[][];
  /** Text of the first heading (else the first paragraph). */
  firstLine: string;
  headings: number;
}

/** Ids of the document's own elements start with this (never one of the viewer's). */
export const DOC_ID_PREFIX = 'doc-';
/** The document-control table is on the first page: among the first few blocks. */
const FIRST_PAGE_BLOCKS = 12;
const MAX_NAV = 500;

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Renders `html` (mammoth's, untrusted) into `article` and the headings list into `nav`. */
export function renderDocx(html: string, article: HTMLElement, nav: HTMLElement): RenderedDocx {
  const doc = article.ownerDocument;
  const { fragment } = sanitizeDocumentHtml(html, doc, { idPrefix: DOC_ID_PREFIX });
  const blocks = [...fragment.childNodes];

  const rendered: RenderedDocx = { firstLine: '', headings: 0 };
  const firstTable = blocks
    .slice(0, FIRST_PAGE_BLOCKS)
    .find((n): n is HTMLTableElement => n.nodeType === 1 && (n as Element).tagName === 'TABLE');
  if (firstTable)
    rendered.firstTable = [...firstTable.rows].slice(0, 40).map((r) => [...r.cells].map((c) => text(c)));
  const first = blocks.find((n): n is Element => n.nodeType === 1 && /^H[1-3]$/.test((n as Element).tagName));
  const firstPara = blocks.find((n): n is Element => n.nodeType === 1 && text(n as Element) !== '');
  rendered.firstLine = first ? text(first) : firstPara ? text(firstPara) : '';

  // One section per h1/h2; what comes before the first heading is a section too.
  const out = doc.createDocumentFragment();
  let section: HTMLElement | null = null;
  const list = doc.createElement('ol');
  let n = 0;
  for (const node of blocks) {
    const el = node.nodeType === 1 ? (node as HTMLElement) : null;
    const level = el && /^H[1-6]$/.test(el.tagName) ? Number(el.tagName[1]) : 0;
    if (!section || (level && level <= 2)) {
      section = doc.createElement('section');
      out.appendChild(section);
    }
    if (el && level) {
      n++;
      if (!el.id) el.id = `${DOC_ID_PREFIX}heading-${n}`;
      el.tabIndex = -1; // focus target for the navigation
      if (level <= 3 && n <= MAX_NAV && text(el)) {
        const item = doc.createElement('li');
        item.className = `level-${level}`;
        const link = doc.createElement('a');
        link.href = `#${el.id}`;
        link.textContent = text(el);
        const heading = el;
        link.addEventListener('click', (e) => {
          // Scroll and focus without changing the address (its fragment names a clip).
          e.preventDefault();
          heading.scrollIntoView({ block: 'start' });
          heading.focus({ preventScroll: true });
        });
        item.appendChild(link);
        list.appendChild(item);
      }
    }
    if (el?.tagName === 'TABLE') {
      const wrap = doc.createElement('div');
      wrap.className = 'table-wrap';
      wrap.tabIndex = 0; // a scrolling region must be reachable by keyboard
      wrap.setAttribute('role', 'region');
      wrap.setAttribute('aria-label', 'Table');
      wrap.appendChild(el);
      section.appendChild(wrap);
    } else section.appendChild(node);
  }
  rendered.headings = n;
  article.replaceChildren(out);
  if (list.childElementCount) {
    const h = doc.createElement('h2');
    h.textContent = 'Contents';
    h.id = 'nav-heading';
    nav.setAttribute('aria-labelledby', 'nav-heading');
    nav.replaceChildren(h, list);
  } else nav.hidden = true;
  return rendered;
}
