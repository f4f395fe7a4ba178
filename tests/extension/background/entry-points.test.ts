// The ways into clipping that a headless browser cannot press (context menu, keyboard command)
// end in startClipInTab; automatic highlighting follows the origins the user granted.

import { beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  CONTENT_SCRIPT_FILE,
  originPattern,
  syncAutoHighlightRegistration,
} from '../../../extension/lib/background/content-injection';
import { startClipInTab } from '../../../extension/lib/background/main';

beforeEach(() => {
  fakeBrowser.reset();
});

test('context menu and keyboard command inject the content script, then ask the frame to clip', async () => {
  const executeScript = vi.fn().mockResolvedValue([]);
  const sendMessage = vi.fn().mockResolvedValue(undefined);
  Object.assign(fakeBrowser.scripting, { executeScript });
  Object.assign(fakeBrowser.tabs, { sendMessage });
  await startClipInTab(7, 3);
  expect(executeScript).toHaveBeenCalledWith({
    target: { tabId: 7, allFrames: true },
    files: [CONTENT_SCRIPT_FILE],
  });
  expect(sendMessage).toHaveBeenCalledWith(7, { type: 'clipSelection' }, { frameId: 3 });
  await startClipInTab(8);
  expect(sendMessage).toHaveBeenLastCalledWith(8, { type: 'clipSelection' }, undefined);
});

test('automatic highlighting is registered exactly for the granted origins, and removed when none', async () => {
  const registered: unknown[] = [];
  let origins = ['https://intranet.example.nhs.uk/*', 'chrome://*/*'];
  Object.assign(fakeBrowser.permissions, { getAll: vi.fn(async () => ({ origins, permissions: [] })) });
  const unregisterContentScripts = vi.fn(async () => {
    registered.length = 0;
  });
  const registerContentScripts = vi.fn(async (scripts: unknown[]) => {
    registered.push(...scripts);
  });
  Object.assign(fakeBrowser.scripting, {
    getRegisteredContentScripts: vi.fn(async () => registered),
    registerContentScripts,
    unregisterContentScripts,
  });
  await syncAutoHighlightRegistration();
  expect(registered).toEqual([
    expect.objectContaining({
      matches: ['https://intranet.example.nhs.uk/*'],
      allFrames: true,
      js: [CONTENT_SCRIPT_FILE],
    }),
  ]);
  origins = [];
  await syncAutoHighlightRegistration();
  expect(registered).toEqual([]);
  expect(registerContentScripts).toHaveBeenCalledTimes(1);
});

test.each([
  ['https://intranet.example.nhs.uk/policies/a.html?x=1', 'https://intranet.example.nhs.uk/*'],
  ['http://127.0.0.1:8788/index.html', 'http://127.0.0.1/*'],
  ['chrome://extensions', null],
  ['not a url', null],
])('origin pattern of %s', (url, pattern) => {
  expect(originPattern(url)).toBe(pattern);
});
