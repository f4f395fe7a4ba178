// Ways into the Word document viewer: the context-menu items (by extension, and by the server's
// Content-Type for DMS addresses) and auto-open of a clicked .docx link on a granted page.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  docxViewerUrlFor,
  OPEN_DOCX_MENU_ID,
  OPEN_LINKED_DOCUMENT_MENU_ID,
  onDocxMenuClick,
  openDocumentFromPage,
  viewerForAddress,
} from '../../../extension/lib/docx/docx-routing';
import { setDocxAutoOpen } from '../../../extension/lib/docx/docx-settings';
import { viewerUrlFor } from '../../../extension/lib/pdf/pdf-routing';
import { DOCX_CONTENT_TYPE } from '../../../shared/docx/docx-link';

const DOCX = 'https://dms.example.nhs.uk/documents/contrast-policy-v4.docx';
const DMS = 'https://dms.example.nhs.uk/download?doc=22';
const PAGE = 'https://dms.example.nhs.uk/policies/';
const TAB = { id: 7, index: 2 };

const answer = (contentType: string | null, status = 200) =>
  new Response(null, { status, headers: contentType ? { 'content-type': contentType } : {} });

beforeEach(() => {
  fakeBrowser.reset();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('which viewer an address goes to', () => {
  test.each([
    ['a .docx address (no request)', DOCX, null, 'docx'],
    ['a DMS address answering the Word type', DMS, DOCX_CONTENT_TYPE, 'docx'],
    ['a DMS address answering a PDF', DMS, 'application/pdf; qs=0.9', 'pdf'],
    ['a DMS address answering a web page', DMS, 'text/html; charset=utf-8', null],
  ])('%s', async (_name, url, contentType, expected) => {
    const fetchMock = vi.fn(async () => answer(contentType));
    vi.stubGlobal('fetch', fetchMock);
    expect(await viewerForAddress(url)).toBe(expected);
    if (url === DOCX) expect(fetchMock).not.toHaveBeenCalled();
    else expect(fetchMock).toHaveBeenCalledWith(url, { method: 'HEAD', credentials: 'include' });
  });

  test('a server that refuses HEAD is asked with GET', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(answer(null, 405))
      .mockResolvedValueOnce(answer(DOCX_CONTENT_TYPE));
    vi.stubGlobal('fetch', fetchMock);
    expect(await viewerForAddress(DMS)).toBe('docx');
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});

describe('context menu', () => {
  test('a .docx link opens in the Word viewer in a new tab next to its page', async () => {
    const create = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    const handled = await onDocxMenuClick(
      { menuItemId: OPEN_DOCX_MENU_ID, linkUrl: DOCX, editable: false, modifiers: [] },
      TAB as never,
    );
    expect(handled).toBe(true);
    expect(create).toHaveBeenCalledWith({ url: docxViewerUrlFor(DOCX), index: 3, openerTabId: 7 });
    expect(docxViewerUrlFor(DOCX)).toMatch(/\/docx-viewer\.html\?file=https%3A%2F%2Fdms\.example/);
  });

  test.each([
    ['Word', DOCX_CONTENT_TYPE, () => docxViewerUrlFor(DMS)],
    ['PDF', 'application/pdf', () => viewerUrlFor(DMS)],
    ['anything else: the link itself', 'text/html', () => DMS],
  ])('"Open linked document" on a DMS link serving %s', async (_name, contentType, expected) => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => answer(contentType)),
    );
    const create = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    await onDocxMenuClick(
      { menuItemId: OPEN_LINKED_DOCUMENT_MENU_ID, linkUrl: DMS, editable: false, modifiers: [] },
      TAB as never,
    );
    expect(create).toHaveBeenCalledWith({ url: expected(), index: 3, openerTabId: 7 });
  });

  test('other menu items and non-http(s) links are not opened', async () => {
    const create = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    expect(await onDocxMenuClick({ menuItemId: 'other', editable: false, modifiers: [] }, undefined)).toBe(
      false,
    );
    await onDocxMenuClick(
      {
        menuItemId: OPEN_DOCX_MENU_ID,
        linkUrl: 'javascript:alert(1)//.docx',
        editable: false,
        modifiers: [],
      },
      TAB as never,
    );
    expect(create).not.toHaveBeenCalled();
  });
});

describe('auto-open of a clicked link', () => {
  test.each([
    ['off by default', false, true, DOCX, PAGE, false],
    ['on, granted, same origin', true, true, DOCX, PAGE, true],
    ['on, origin not granted', true, false, DOCX, PAGE, false],
    ['on, a link to another origin', true, true, 'https://elsewhere.example/p.docx', PAGE, false],
    ['on, the user asked for the file itself', true, true, `${DOCX}#noclipper`, PAGE, false],
  ])('%s', async (_name, on, granted, url, pageUrl, opened) => {
    if (on) await setDocxAutoOpen(true);
    vi.spyOn(browser.permissions, 'contains').mockResolvedValue(granted);
    const update = vi.spyOn(browser.tabs, 'update').mockResolvedValue({} as never);
    expect(await openDocumentFromPage(url, false, pageUrl, TAB)).toBe(opened);
    if (opened) expect(update).toHaveBeenCalledWith(7, { url: docxViewerUrlFor(url) });
    else expect(update).not.toHaveBeenCalled();
  });

  test('a modified click opens a new tab beside the page', async () => {
    await setDocxAutoOpen(true);
    vi.spyOn(browser.permissions, 'contains').mockResolvedValue(true);
    const create = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    expect(await openDocumentFromPage(DOCX, true, PAGE, TAB)).toBe(true);
    expect(create).toHaveBeenCalledWith({ url: docxViewerUrlFor(DOCX), index: 3, openerTabId: 7 });
  });
});
