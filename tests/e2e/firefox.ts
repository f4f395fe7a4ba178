// Launching Debian firefox-esr headless with the Firefox build installed as a temporary add-on,
// over WebDriver BiDi with puppeteer-core (no geckodriver). Playwright
// cannot drive a stock Firefox, so the Firefox smoke test uses puppeteer-core.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
/** The Firefox e2e build: the release MV2 build plus a grant for the loopback demo site (wxt.config.ts). */
export const FIREFOX_EXTENSION_DIR = path.resolve('.output-e2e/firefox-mv2');
/** Fixed internal UUID, so moz-extension:// URLs are known to the test. */
export const FIREFOX_EXTENSION_UUID = '6f1a3c2e-8b4d-4e0f-9a7c-2d5b8e1f0c3a';

export interface FirefoxWithExtension {
  browser: Browser;
  close: () => Promise<void>;
}

export async function launchFirefoxWithExtension(): Promise<FirefoxWithExtension> {
  const manifest = JSON.parse(fs.readFileSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json'), 'utf8'));
  const id: string = manifest.browser_specific_settings.gecko.id;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-ff-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [id]: FIREFOX_EXTENSION_UUID }),
    },
  });
  await browser.installExtension(FIREFOX_EXTENSION_DIR);
  return {
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
