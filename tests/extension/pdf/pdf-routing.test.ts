// Ways into the PDF viewer: the context-menu items and auto-open for granted origins.
import { beforeEach, describe, expect, test, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  OPEN_PDF_MENU_ID,
  OPEN_PDF_PAGE_MENU_ID,
  onPdfMenuClick,
  viewerUrlFor,
  watchPdfNavigations,
} from '../../../extension/lib/pdf/pdf-routing';
import { setPdfAutoOpen } from '../../../extension/lib/pdf/pdf-settings';

const PDF = 'https://dms.example.nhs.uk/documents/policy.pdf';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('context menu', () => {
  test('a PDF link opens in the viewer in a new tab next to its page', async () => {
    const create = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    const handled = await onPdfMenuClick(
      { menuItemId: OPEN_PDF_MENU_ID, linkUrl: PDF, editable: false, modifiers: [] },
      { id: 7, index: 2 } as never,
    );
    expect(handled).toBe(true);
    expect(create).toHaveBeenCalledWith({ url: viewerUrlFor(PDF), index: 3, openerTabId: 7 });
    expect(viewerUrlFor(PDF)).toMatch(/\/pdf-viewer\.html\?file=https%3A%2F%2Fdms\.example/);
  });

  test('on a PDF tab the tab itself goes to the viewer; other menu items are not ours', async () => {
    const update = vi.spyOn(browser.tabs, 'update').mockResolvedValue({} as never);
    await onPdfMenuClick(
      { menuItemId: OPEN_PDF_PAGE_MENU_ID, pageUrl: PDF, editable: false, modifiers: [] },
      {
        id: 7,
        index: 2,
      } as never,
    );
    expect(update).toHaveBeenCalledWith(7, { url: viewerUrlFor(PDF) });
    expect(await onPdfMenuClick({ menuItemId: 'other', editable: false, modifiers: [] }, undefined)).toBe(
      false,
    );
  });
});

describe('auto-open', () => {
  const navigate = async (url: string) => {
    await fakeBrowser.tabs.onUpdated.trigger(5, { url }, { id: 5, url } as never);
    await new Promise((r) => setTimeout(r, 20));
  };

  test.each([
    ['off by default', false, true, PDF, false],
    ['on, granted origin', true, true, PDF, true],
    ['on, origin not granted', true, false, PDF, false],
    ['on, not a PDF', true, true, 'https://dms.example.nhs.uk/index.html', false],
    ['on, the user asked for the browser’s viewer', true, true, `${PDF}#noclipper`, false],
  ])('%s', async (_name, on, granted, url, redirected) => {
    if (on) await setPdfAutoOpen(true);
    vi.spyOn(browser.permissions, 'contains').mockResolvedValue(granted);
    const update = vi.spyOn(browser.tabs, 'update').mockResolvedValue({} as never);
    watchPdfNavigations();
    await navigate(url);
    if (redirected) expect(update).toHaveBeenCalledWith(5, { url: viewerUrlFor(url) });
    else expect(update).not.toHaveBeenCalled();
  });
});
