// Ways into the PDF viewer from the browser: the context-menu item on links to PDFs
// (and on a PDF tab's page), and — when the user turned it on — opening PDFs from granted
// origins in the viewer automatically. No new permission: tab URLs are visible to us only on
// origins the user granted, which is exactly where auto-open applies.
import browser, { type Menus, type Tabs } from 'webextension-polyfill';
import { looksLikePdfUrl, viewerHref } from '../../../shared/pdf/viewer-link';
import { originPattern } from '../background/content-injection';
import { logError } from '../log-error';
import { getPdfAutoOpen } from './pdf-settings';

export const OPEN_PDF_MENU_ID = 'qsi-open-pdf';
export const OPEN_PDF_PAGE_MENU_ID = 'qsi-open-pdf-page';
/** A fragment on the PDF's own address that means "the browser's viewer, please". */
export const NO_CLIPPER_FRAGMENT = '#noclipper';
const PDF_PATTERNS = ['*://*/*.pdf', '*://*/*.pdf?*', '*://*/*.PDF', '*://*/*.PDF?*'];

/** The viewer's address for a PDF (optionally at a page). */
export function viewerUrlFor(file: string, page?: number): string {
  return viewerHref(browser.runtime.getURL('/pdf-viewer.html'), { file, ...(page ? { page } : {}) });
}

/** Context-menu items "Open PDF in Evidence Clipper" (created on install, like the clip item). */
export function createPdfMenu(): void {
  const done = () => {
    void browser.runtime.lastError; // "duplicate id" on update: harmless
  };
  // On links to PDFs…
  browser.contextMenus.create(
    {
      id: OPEN_PDF_MENU_ID,
      title: 'Open PDF in Evidence Clipper',
      contexts: ['link'],
      targetUrlPatterns: PDF_PATTERNS,
    },
    done,
  );
  // …and on a tab showing a PDF, where the browser lets extension menus in.
  browser.contextMenus.create(
    {
      id: OPEN_PDF_PAGE_MENU_ID,
      title: 'Open this PDF in Evidence Clipper',
      contexts: ['page'],
      documentUrlPatterns: PDF_PATTERNS,
    },
    done,
  );
}

/** Opens the PDF of a menu click (the link, else the page) in the viewer, next to its tab. */
export async function onPdfMenuClick(info: Menus.OnClickData, tab: Tabs.Tab | undefined): Promise<boolean> {
  if (info.menuItemId !== OPEN_PDF_MENU_ID && info.menuItemId !== OPEN_PDF_PAGE_MENU_ID) return false;
  const file = info.linkUrl ?? info.pageUrl;
  if (!file || !/^https?:/i.test(file)) return true;
  if (info.linkUrl) {
    await browser.tabs.create({
      url: viewerUrlFor(file),
      ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}),
      ...(tab?.id !== undefined ? { openerTabId: tab.id } : {}),
    });
  } else if (tab?.id !== undefined) await browser.tabs.update(tab.id, { url: viewerUrlFor(file) });
  return true;
}

/** Auto-open: a tab navigating to a PDF on a granted origin goes to the viewer instead. */
export function watchPdfNavigations(): void {
  browser.tabs.onUpdated.addListener((tabId, change) => {
    const url = change.url;
    if (!url || !looksLikePdfUrl(url) || url.endsWith(NO_CLIPPER_FRAGMENT)) return;
    const pattern = originPattern(url);
    if (!pattern) return;
    void (async () => {
      if (!(await getPdfAutoOpen())) return;
      if (!(await browser.permissions.contains({ origins: [pattern] }))) return;
      await browser.tabs.update(tabId, { url: viewerUrlFor(url) });
    })().catch(logError);
  });
}
