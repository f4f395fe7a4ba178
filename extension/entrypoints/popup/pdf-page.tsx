// The popup's "This page" for PDFs: a tab showing a PDF in the browser's own viewer
// (closed to extensions) offers "Open in Evidence Clipper"; a tab showing our viewer reports its
// clips found / moved / lost like a web page does.
import browser, { type Tabs } from 'webextension-polyfill';
import { looksLikePdfUrl } from '../../../shared/pdf/viewer-link';
import { logError } from '../../lib/log-error';
import type { PageStatus } from '../../lib/messaging';
import { viewerUrlFor } from '../../lib/pdf/pdf-routing';
import { type PdfViewerHandle, VIEWER_HANDLE } from '../../lib/pdf/viewer-handle';

export type PdfView =
  | { kind: 'pdf'; tabId: number; url: string }
  | { kind: 'pdf-viewer'; tabId: number; file: string; status: PageStatus | null };

/** Does the tab show a PDF (its address, else the document's content type)? */
async function showsPdf(tab: Tabs.Tab & { id: number }): Promise<boolean> {
  if (looksLikePdfUrl(tab.url ?? '')) return true;
  if (!/^https?:/i.test(tab.url ?? '')) return false;
  try {
    // activeTab lets the popup ask the tab (a DMS link like /view?id=31 may serve a PDF).
    const [result] = await browser.scripting.executeScript({
      target: { tabId: tab.id },
      func: () => document.contentType,
    });
    return result?.result === 'application/pdf';
  } catch {
    return false;
  }
}

/** The PDF view of a tab, or null when it shows no PDF. */
export async function pdfViewFor(tab: Tabs.Tab | undefined): Promise<PdfView | null> {
  if (tab?.id === undefined || !tab.url) return null;
  const viewerPrefix = browser.runtime.getURL('/pdf-viewer.html');
  if (tab.url.startsWith(viewerPrefix)) {
    const view = browser.extension.getViews({ type: 'tab', tabId: tab.id })[0] as unknown as
      | Record<string, PdfViewerHandle | undefined>
      | undefined;
    const handle = view?.[VIEWER_HANDLE];
    const file = handle?.file ?? new URL(tab.url).searchParams.get('file') ?? '';
    return { kind: 'pdf-viewer', tabId: tab.id, file, status: handle?.status() ?? null };
  }
  return (await showsPdf({ ...tab, id: tab.id })) ? { kind: 'pdf', tabId: tab.id, url: tab.url } : null;
}

export function PdfPage({ view }: { view: PdfView }) {
  if (view.kind === 'pdf-viewer') {
    const s = view.status;
    return (
      <>
        <h2 class="this-page-h">This PDF</h2>
        {s ? (
          <ul class="page-counts" aria-label="Clips in this PDF">
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
          <p class="muted">The PDF is still opening.</p>
        )}
        <p class="muted">Select text in the PDF and press “Clip as evidence”.</p>
      </>
    );
  }
  const open = () => {
    void browser.tabs
      .update(view.tabId, { url: viewerUrlFor(view.url) })
      .then(() => window.close(), logError);
  };
  return (
    <>
      <h2 class="this-page-h">This page</h2>
      <p class="notice" role="status">
        This tab shows a PDF in the browser’s viewer, which is closed to extensions. Open it in Evidence
        Clipper’s viewer to clip and see evidence.
      </p>
      <div class="page-actions">
        <button type="button" class="button" onClick={open}>
          Open in Evidence Clipper
        </button>
      </div>
    </>
  );
}
