// The device token in browser.storage.local under a key only the background reads
// (content scripts never read it; no message carries it).
import browser from 'webextension-polyfill';
import { type Credentials, deviceCredentialsSchema } from './credentials';

/** Background-only storage key; content scripts never read it. */
export const DEVICE_TOKEN_KEY = 'qsiSyncDeviceToken';

export function browserCredentials(): Credentials {
  return {
    async get() {
      const raw = (await browser.storage.local.get(DEVICE_TOKEN_KEY))[DEVICE_TOKEN_KEY];
      const parsed = deviceCredentialsSchema.safeParse(raw);
      return parsed.success ? parsed.data : undefined;
    },
    async set(value) {
      await browser.storage.local.set({ [DEVICE_TOKEN_KEY]: value });
    },
    async clear() {
      await browser.storage.local.remove(DEVICE_TOKEN_KEY);
    },
  };
}
