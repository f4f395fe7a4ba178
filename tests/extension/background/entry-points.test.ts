// The ways into clipping that a headless browser cannot press (context menu, keyboard command)
// end in startClipInTab; automatic highlighting follows the origins the user granted.

import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  CONTENT_SCRIPT_FILE,
  originPattern,
  syncAutoHighlightRegistration,
} from '../../../extension/lib/background/content-injection';
import { startClipInTab } from '../../../extension/lib/background/main';
import {
  markSyncOrigin,
  markTeamServerOrigin,
  readOriginGrants,
  setEvidenceOrigin,
} from '../../../extension/lib/origin-grants';

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

/** Fakes the granted origins and the content-script registry; returns what is registered. */
function fakeRegistry(origins: string[]) {
  const registered: { matches?: string[] }[] = [];
  Object.assign(fakeBrowser.permissions, { getAll: vi.fn(async () => ({ origins, permissions: [] })) });
  Object.assign(fakeBrowser.scripting, {
    getRegisteredContentScripts: vi.fn(async () => registered),
    registerContentScripts: vi.fn(async (scripts: { matches?: string[] }[]) => {
      registered.push(...scripts);
    }),
    unregisterContentScripts: vi.fn(async () => {
      registered.length = 0;
    }),
  });
  return registered;
}

describe('a team server’s host is granted for sync, not as “always show evidence”', () => {
  const INTRANET = 'https://intranet.example.nhs.uk/*';
  const SERVER = 'https://qsi.example.nhs.uk/*';

  test('joining a team registers no content script on the server’s host', async () => {
    const registered = fakeRegistry([INTRANET, SERVER]);
    await markTeamServerOrigin('https://qsi.example.nhs.uk/');
    await syncAutoHighlightRegistration();
    expect(registered.flatMap((r) => r.matches)).toEqual([INTRANET]);
  });

  test('only the server granted: nothing is registered at all', async () => {
    const registered = fakeRegistry([SERVER]);
    await markSyncOrigin(SERVER);
    await syncAutoHighlightRegistration();
    expect(registered).toEqual([]);
  });

  test('the user also chose “Always show evidence” there: registered, and unregistered when unticked', async () => {
    const registered = fakeRegistry([INTRANET, SERVER]);
    await markSyncOrigin(SERVER);
    await setEvidenceOrigin(SERVER, true);
    await syncAutoHighlightRegistration();
    expect(registered.flatMap((r) => r.matches)).toEqual([INTRANET, SERVER]);
    await setEvidenceOrigin(SERVER, false);
    await syncAutoHighlightRegistration();
    expect(registered.flatMap((r) => r.matches)).toEqual([INTRANET]);
    expect(await readOriginGrants()).toEqual({ sync: [SERVER], evidence: [] });
  });

  test('a host the user had already chosen before joining (server and intranet share it) stays', async () => {
    const registered = fakeRegistry([SERVER]);
    await markSyncOrigin(SERVER, true);
    await syncAutoHighlightRegistration();
    expect(registered.flatMap((r) => r.matches)).toEqual([SERVER]);
    // Joining again later (already recorded for sync) does not turn a sync-only grant into one.
    await setEvidenceOrigin(SERVER, false);
    await markSyncOrigin(SERVER, true);
    await syncAutoHighlightRegistration();
    expect(registered).toEqual([]);
  });

  test('a malformed record counts as no record (every grant shows evidence, as before)', async () => {
    const registered = fakeRegistry([INTRANET]);
    await fakeBrowser.storage.local.set({ originGrants: { sync: 'nope' } });
    await syncAutoHighlightRegistration();
    expect(registered.flatMap((r) => r.matches)).toEqual([INTRANET]);
  });
});

test.each([
  ['https://intranet.example.nhs.uk/policies/a.html?x=1', 'https://intranet.example.nhs.uk/*'],
  ['http://127.0.0.1:8788/index.html', 'http://127.0.0.1/*'],
  ['chrome://extensions', null],
  ['not a url', null],
])('origin pattern of %s', (url, pattern) => {
  expect(originPattern(url)).toBe(pattern);
});
