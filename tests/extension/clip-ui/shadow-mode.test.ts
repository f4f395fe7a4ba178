// Every build but the end-to-end test build gives the clip UI a closed shadow root, whatever
// storage.local says (a content script, and so a compromised page, can write storage.local).
import { expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { clipUiShadowMode } from '../../../extension/lib/clip-ui/shadow-mode';
import { E2E_SHIPPED_MODE_KEY } from '../../../extension/lib/clip-ui/shadow-mode-key';

test('closed in a release build, with or without the e2e key', async () => {
  fakeBrowser.reset();
  expect(import.meta.env.QSI_E2E_BUILD).not.toBe(true);
  expect(await clipUiShadowMode()).toBe('closed');
  await fakeBrowser.storage.local.set({ [E2E_SHIPPED_MODE_KEY]: false });
  expect(await clipUiShadowMode()).toBe('closed');
});
