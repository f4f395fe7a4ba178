// Launching Debian Chromium headless with the built extension.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** The e2e build: the release build plus a host grant for the loopback demo site (wxt.config.ts). */
export const EXTENSION_DIR = path.resolve('.output-e2e/chrome-mv3');
export const SCREENSHOT_DIR = path.resolve('tests/e2e/screenshots');

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  url: (page: string) => string;
  close: () => Promise<void>;
}

export async function launchWithExtension(): Promise<ExtensionBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // The service worker may start before or after we look: poll, and wait for the event in between.
  let worker = context.serviceWorkers()[0];
  const swDeadline = Date.now() + 45_000;
  while (!worker && Date.now() < swDeadline) {
    worker = await context
      .waitForEvent('serviceworker', { timeout: 1_000 })
      .catch(() => context.serviceWorkers()[0]);
  }
  if (!worker) throw new Error('the extension service worker did not start within 45 s');
  const extensionId = new URL(worker.url()).host;
  // The background registers the content script for granted origins at start-up; pages opened
  // before that would load without it.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const registered = await worker.evaluate(
      async () => (await chrome.scripting.getRegisteredContentScripts()).length,
    );
    if (registered > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    context,
    worker,
    extensionId,
    url: (page) => `chrome-extension://${extensionId}/${page}`,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}
