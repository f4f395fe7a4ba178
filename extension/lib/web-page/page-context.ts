// What the content script reads from the page at clip time besides the selection: the text of
// the enclosing section (frozen as the snapshot) and the document-control metadata.
import { parseDocMeta } from '../../../shared/doc-meta';
import type { DocMeta } from '../../../shared/schemas';
import type { PassageAbout } from '../clip-ui/clip-surface';

const SECTION_SELECTOR = 'section, article, main, [role="main"], [role="article"]';
const SNAPSHOT_MAX = 20_000;

export function normalizeForSnapshot(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Text of the smallest section-like element around the range (at most 20 000 characters). */
export function sectionSnapshot(range: Range): string {
  const node = range.commonAncestorContainer;
  let el: Element | null = node instanceof Element ? node : node.parentElement;
  const section = el?.closest(SECTION_SELECTOR);
  if (section) el = section;
  else {
    // No semantic section: climb until the block holds a paragraph's worth of text.
    while (el?.parentElement && (el.textContent ?? '').length < 400) el = el.parentElement;
  }
  // innerText, not textContent: the rendered text, with line breaks between blocks.
  // biome-ignore lint/performance/useDomNodeTextContent: layout-aware text is the point here
  const text = normalizeForSnapshot((el as HTMLElement | null)?.innerText ?? el?.textContent ?? '');
  return text.slice(0, SNAPSHOT_MAX);
}

/** Document-control fields detected on the page (editable in the tag dialog). */
export function detectDocMeta(doc: Document = document): DocMeta {
  // biome-ignore lint/performance/useDomNodeTextContent: table cells must stay on separate lines
  const text = (doc.body?.innerText ?? doc.body?.textContent ?? '').slice(0, 30_000);
  return parseDocMeta(text);
}

/** What a new clip on a web page records besides the passage (run by the view, at clip time). */
export function aboutWebPage(range: Range): PassageAbout {
  return { title: document.title, docMeta: detectDocMeta(), snapshotText: sectionSnapshot(range) };
}
