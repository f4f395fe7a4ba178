// The device token lives in the extension-origin IndexedDB, never in storage.local (which content
// scripts can read); a token left in storage.local by an older build is moved once.
import { beforeEach, expect, test } from 'vitest';
import browser from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createDb } from '../../../extension/lib/db';
import { browserCredentials, DEVICE_TOKEN_KEY } from '../../../extension/lib/sync/browser-credentials';

let db: ReturnType<typeof createDb>;
const creds = { serverUrl: 'https://qsi.example-trust.nhs.uk', token: 'qsi_dev.secret' };

beforeEach(() => {
  fakeBrowser.reset();
  db = createDb(`creds-${crypto.randomUUID()}`);
});

test('set, get and clear never touch storage.local', async () => {
  const store = browserCredentials(db);
  await store.set(creds);
  expect(await store.get()).toEqual(creds);
  expect(await browser.storage.local.get(null)).toEqual({});
  expect((await db.meta.get(DEVICE_TOKEN_KEY))?.value).toEqual(creds);
  await store.clear();
  expect(await store.get()).toBeUndefined();
});

test('a token in storage.local (older builds) is moved into IndexedDB and removed there', async () => {
  await browser.storage.local.set({ [DEVICE_TOKEN_KEY]: creds });
  const store = browserCredentials(db);
  expect(await store.get()).toEqual(creds);
  expect(await browser.storage.local.get(DEVICE_TOKEN_KEY)).toEqual({});
  expect((await db.meta.get(DEVICE_TOKEN_KEY))?.value).toEqual(creds);
});
