// Ways into the Word document viewer from the browser: the context-menu item on links to .docx
// files, an item on links of granted sites that opens whatever document the server sends (a DMS
// "download" address names no file type: its Content-Type says), and — when the user turned it
// on — opening links to .docx files on granted sites in the viewer instead of downloading them.
// No new permission: the menu is limited to granted origins, the only ones whose answers we may read.
import browser, { type Menus, type Tabs } from 'webextension-polyfill';
import { isDocxContentType, looksLikeDocxUrl } from '../../../shared/docx/docx-link';
import { viewerHref } from '../../../shared/pdf/viewer-link';
import { grantedOrigins, originPattern } from '../background/content-injection';
import { logError } from '../log-error';
import { NO_CLIPPER_FRAGMENT, viewerUrlFor as pdfViewerUrlFor } from '../pdf/pdf-routing';
import { getDocxAutoOpen } from './docx-settings';

export const OPEN_DOCX_MENU_ID = 'qsi-open-docx';
export const OPEN_LINKED_DOCUMENT_MENU_ID = 'qsi-open-linked-document';
const DOCX_PATTERNS = ['*://*/*.docx', '*://*/*.docx?*', '*://*/*.DOCX', '*://*/*.DOCX?*'];

/** The viewer's address for a Word document (optionally at a clip). */
export function docxViewerUrlFor(file: string, clip?: string): string {
  return viewerHref(browser.runtime.getURL('/docx-viewer.html'), { file, ...(clip ? { clip } : {}) });
}

/** Context-menu items for Word documents (created on install, like the clip item). */
export function createDocxMenu(): void {
  const done = () => {
    void browser.runtime.lastError; // "duplicate id" on update: harmless
  };
  browser.contextMenus.create(
    {
      id: OPEN_DOCX_MENU_ID,
      title: 'Open Word document in Evidence Clipper',
      contexts: ['link'],
      targetUrlPatterns: DOCX_PATTERNS,
    },
    done,
  );
  void syncLinkedDocumentMenu().catch(logError);
}

/**
 * The "Open linked document" item, on links to granted origins only (kept in step with the
 * grants): elsewhere the answer's Content-Type cannot be read, and the viewer could not fetch it.
 */
export async function syncLinkedDocumentMenu(): Promise<void> {
  const origins = await grantedOrigins();
  await browser.contextMenus.remove(OPEN_LINKED_DOCUMENT_MENU_ID).catch(() => undefined);
  if (origins.length === 0) return;
  browser.contextMenus.create(
    {
      id: OPEN_LINKED_DOCUMENT_MENU_ID,
      title: 'Open linked document in Evidence Clipper',
      contexts: ['link'],
      targetUrlPatterns: origins,
    },
    () => void browser.runtime.lastError,
  );
}

/** Which viewer a document address goes to, by the Content-Type its server answers. */
export async function viewerForAddress(url: string): Promise<'docx' | 'pdf' | null> {
  if (looksLikeDocxUrl(url)) return 'docx';
  try {
    let response = await fetch(url, { method: 'HEAD', credentials: 'include' });
    // Some DMSs refuse HEAD: a GET whose body is not read tells the same.
    if (response.status === 405 || response.status === 501) {
      const controller = new AbortController();
      response = await fetch(url, { credentials: 'include', signal: controller.signal });
      controller.abort();
    }
    const type = response.headers.get('content-type');
    if (isDocxContentType(type)) return 'docx';
    if ((type ?? '').split(';')[0]?.trim().toLowerCase() === 'application/pdf') return 'pdf';
    return null;
  } catch (error) {
    logError(error);
    return null;
  }
}

/** Opens the Word document (or DMS document) of a menu click in its viewer, next to its tab. */
export async function onDocxMenuClick(info: Menus.OnClickData, tab: Tabs.Tab | undefined): Promise<boolean> {
  if (info.menuItemId !== OPEN_DOCX_MENU_ID && info.menuItemId !== OPEN_LINKED_DOCUMENT_MENU_ID) return false;
  const file = info.linkUrl;
  if (!file || !/^https?:/i.test(file)) return true;
  const kind = info.menuItemId === OPEN_DOCX_MENU_ID ? 'docx' : await viewerForAddress(file);
  // Neither Word nor PDF: the link as the browser would open it.
  const url = kind === 'docx' ? docxViewerUrlFor(file) : kind === 'pdf' ? pdfViewerUrlFor(file) : file;
  await browser.tabs.create({
    url,
    ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}),
    ...(tab?.id !== undefined ? { openerTabId: tab.id } : {}),
  });
  return true;
}

/**
 * Auto-open, asked by a granted page's content script when the user clicks a link to a .docx
 * there (by its extension or its `type` attribute; the viewer checks what the file really is) (the browser would download it: no navigation to watch). Only with auto-open on, only for
 * a link on the sender's own origin, and only where that origin is granted.
 */
export async function openDocumentFromPage(
  url: string,
  newTab: boolean,
  pageUrl: string | null,
  tab: { id: number; index: number } | undefined,
): Promise<boolean> {
  const pattern = originPattern(url);
  if (!pattern || !tab || url.endsWith(NO_CLIPPER_FRAGMENT)) return false;
  if (pageUrl !== null && originPattern(pageUrl) !== pattern) return false;
  if (!(await getDocxAutoOpen())) return false;
  if (!(await browser.permissions.contains({ origins: [pattern] }))) return false;
  if (newTab)
    await browser.tabs.create({ url: docxViewerUrlFor(url), index: tab.index + 1, openerTabId: tab.id });
  else await browser.tabs.update(tab.id, { url: docxViewerUrlFor(url) });
  return true;
}

/** Keeps the "Open linked document" item in step with the granted origins. */
export function watchGrantsForDocumentMenu(): void {
  const resync = () => void syncLinkedDocumentMenu().catch(logError);
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
}
