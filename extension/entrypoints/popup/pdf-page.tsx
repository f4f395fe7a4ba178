// The popup's "This page" for documents (PDFs and Word documents): a tab showing a PDF in the
// browser's own viewer (closed to extensions) or a .docx address offers "Open in Evidence
// Clipper"; a tab showing one of our viewers reports its clips found / moved / lost like a web page.
import browser, { type Tabs } from 'webextension-polyfill';
import { DOCX_CONTENT_TYPE, looksLikeDocxUrl } from '../../../shared/docx/docx-link';
import { looksLikePdfUrl } from '../../../shared/pdf/viewer-link';
import { docxViewerUrlFor } from '../../lib/docx/docx-routing';
import { logError } from '../../lib/log-error';
import type { PageStatus } from '../../lib/messaging';
import { viewerUrlFor } from '../../lib/pdf/pdf-routing';
import { type PdfViewerHandle, VIEWER_HANDLE } from '../../lib/pdf/viewer-handle';

/** Which document format: the PDF viewer's or the Word document viewer's. */
export type DocFormat = 'pdf' | 'docx';

export type PdfView =
  | { kind: 'pdf'; format: DocFormat; tabId: number; url: string }
  | { kind: 'pdf-viewer'; format: DocFormat; tabId: number; file: string; status: PageStatus | null };

const NAMES: Record<DocFormat, string> = { pdf: 'PDF', docx: 'Word document' };
const VIEWERS: Record<DocFormat, string> = { pdf: '/pdf-viewer.html', docx: '/docx-viewer.html' };

/** Does the tab show a PDF or a Word document (its address, else the document's content type)? */
async function shownFormat(tab: Tabs.Tab & { id: number }): Promise<DocFormat | null> {
  if (looksLikePdfUrl(tab.url ?? '')) return 'pdf';
  if (looksLikeDocxUrl(tab.url ?? '')) return 'docx';
  if (!/^https?:/i.test(tab.url ?? '')) return null;
  try {
    // activeTab lets the popup ask the tab (a DMS link like /view?id=31 may serve a PDF).
    const [result] = await browser.scripting.executeScript({
      target: { tabId: tab.id },
      func: () => document.contentType,
    });
    return result?.result === 'application/pdf'
      ? 'pdf'
      : result?.result === DOCX_CONTENT_TYPE
        ? 'docx'
        : null;
  } catch {
    return null;
  }
}

/** The document view of a tab, or null when it shows no PDF or Word document. */
export async function pdfViewFor(tab: Tabs.Tab | undefined): Promise<PdfView | null> {
  if (tab?.id === undefined || !tab.url) return null;
  for (const format of ['pdf', 'docx'] as const) {
    if (!tab.url.startsWith(browser.runtime.getURL(VIEWERS[format] as '/'))) continue;
    const view = browser.extension.getViews({ type: 'tab', tabId: tab.id })[0] as unknown as
      | Record<string, PdfViewerHandle | undefined>
      | undefined;
    const handle = view?.[VIEWER_HANDLE];
    const file = handle?.file ?? new URL(tab.url).searchParams.get('file') ?? '';
    return { kind: 'pdf-viewer', format, tabId: tab.id, file, status: handle?.status() ?? null };
  }
  const format = await shownFormat({ ...tab, id: tab.id });
  return format ? { kind: 'pdf', format, tabId: tab.id, url: tab.url } : null;
}

export function PdfPage({ view }: { view: PdfView }) {
  const name = NAMES[view.format];
  if (view.kind === 'pdf-viewer') {
    const s = view.status;
    return (
      <>
        <h2 class="this-page-h">This {name}</h2>
        {s ? (
          <ul class="page-counts" aria-label={`Clips in this ${name}`}>
            <li>
              <strong>{s.exact}</strong> found
            </li>
            <li>
              <strong>{s.relocated}</strong> moved or changed
            </li>
            <li class={s.lost ? 'lost' : ''}>
              <strong>{s.lost}</strong> lost
            </li>
          </ul>
        ) : (
          <p class="muted">The {name} is still opening.</p>
        )}
        <p class="muted">Select text in the {name} and press “Clip as evidence”.</p>
      </>
    );
  }
  const open = () => {
    void browser.tabs
      .update(view.tabId, {
        url: view.format === 'docx' ? docxViewerUrlFor(view.url) : viewerUrlFor(view.url),
      })
      .then(() => window.close(), logError);
  };
  return (
    <>
      <h2 class="this-page-h">This page</h2>
      <p class="notice" role="status">
        {view.format === 'docx'
          ? 'This tab shows a Word document. Open it in Evidence Clipper’s viewer to read, clip and see evidence.'
          : 'This tab shows a PDF in the browser’s viewer, which is closed to extensions. Open it in Evidence Clipper’s viewer to clip and see evidence.'}
      </p>
      <div class="page-actions">
        <button type="button" class="button" onClick={open}>
          Open in Evidence Clipper
        </button>
      </div>
    </>
  );
}
