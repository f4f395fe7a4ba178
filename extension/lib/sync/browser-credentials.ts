// The device token in the extension-origin IndexedDB (Dexie `meta`), which only the background and
// extension pages can open. Not in storage.local: content scripts can read storage.local, so a
// compromised page renderer could take the token from there. No message carries it.
import browser from 'webextension-polyfill';
import type { ClipperDb } from '../db';
import { META_KEYS } from '../store/rows';
import { type Credentials, deviceCredentialsSchema } from './credentials';

/** Meta row key (and the storage.local key where builds before 0.1.0 kept it). */
export const DEVICE_TOKEN_KEY = META_KEYS.deviceToken;

export function browserCredentials(db: ClipperDb): Credentials {
  return {
    async get() {
      let raw = (await db.meta.get(DEVICE_TOKEN_KEY))?.value;
      if (raw === undefined) {
        // One-time move out of storage.local.
        const legacy = (await browser.storage.local.get(DEVICE_TOKEN_KEY))[DEVICE_TOKEN_KEY];
        if (legacy !== undefined) {
          if (deviceCredentialsSchema.safeParse(legacy).success)
            await db.meta.put({ key: DEVICE_TOKEN_KEY, value: legacy });
          await browser.storage.local.remove(DEVICE_TOKEN_KEY);
          raw = legacy;
        }
      }
      const parsed = deviceCredentialsSchema.safeParse(raw);
      return parsed.success ? parsed.data : undefined;
    },
    async set(value) {
      await db.meta.put({ key: DEVICE_TOKEN_KEY, value });
    },
    async clear() {
      await db.meta.delete(DEVICE_TOKEN_KEY);
      await browser.storage.local.remove(DEVICE_TOKEN_KEY);
    },
  };
}
