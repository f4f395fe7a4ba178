// The demo intranet on an ephemeral loopback port, for end-to-end tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { serveDemo } from '../../demo/serve';
import { type ExtensionBrowser, launchWithExtension } from './chromium';

export interface DemoSite {
  origin: string;
  url: (path: string) => string;
  close: () => Promise<void>;
}

export async function startDemoSite(): Promise<DemoSite> {
  const server: Server = await serveDemo(0);
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}/${path.replace(/^\//, '')}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * One Chromium profile with the extension and the demo intranet for a test file: started before
 * its tests, closed after them. Read `env.browser` / `env.site` inside tests.
 */
export function useExtensionAndSite(): { readonly browser: ExtensionBrowser; readonly site: DemoSite } {
  let browser: ExtensionBrowser | undefined;
  let site: DemoSite | undefined;
  beforeAll(async () => {
    site = await startDemoSite();
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} not started (call inside a test)`);
    return value;
  };
  return {
    get browser() {
      return started(browser, 'browser');
    },
    get site() {
      return started(site, 'demo site');
    },
  };
}
