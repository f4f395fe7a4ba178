// Background lifetime in Firefox, run by worker-lifetime.test.ts at the same time as its Chromium
// check (the two idle periods overlap, so the suite waits 5 minutes once): the Firefox MV2 build in
// Debian firefox-esr. A device joins a real server team through the dashboard, the dashboard is
// left (no extension page stays open), the browser is idle (default 5 min, WORKER_IDLE_MS
// overrides), then a teammate pushes a clip over HTTP and we measure how long
// it takes to land in the device's IndexedDB with no page or user action.
// Firefox runs the MV2 background page for as long as the browser runs (the manifest does not ask
// for an event page), so the long-poll loop itself must survive the idle period: a wait that ended
// with an error, a timer that stopped re-arming or a lost alarm would show here as a late arrival.
// The driver may not navigate a tab to a moz-extension:// page, so the test reaches the extension's
// origin as a user does — a Word link on the demo intranet opens the extension's viewer — and the
// page then moves itself within its origin: to the dashboard to join, then to one of the
// extension's static files, which runs no extension code and so cannot itself start a sync.
import type { Page } from 'puppeteer-core';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { headers, makeClip } from '../server/helpers';
import { joinOverHttp } from '../sync/server-process';
import { type DemoSite, startDemoSite } from './demo-site';
import { FIREFOX_EXTENSION_UUID, type FirefoxWithExtension, launchFirefoxWithExtension } from './firefox';
import { createTeam, type SyncServer } from './sync-server';

const ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Moves `page` (already on the extension's origin) to `path` there, and waits until it is shown. */
async function moveWithinExtension(page: Page, path: string) {
  await page.evaluate((to) => {
    location.href = to;
  }, path);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const at = await page.evaluate(() => location.pathname + location.hash).catch(() => '');
    if (at === path) return;
    await sleep(100);
  }
  throw new Error(`the tab did not reach ${path}`);
}

/** Types into the dashboard's input named `name` as the user would (click, then keys). */
async function fill(page: Page, name: string, text: string) {
  const input = await page.waitForSelector(`input[name="${name}"]`, { timeout: 15_000 });
  if (!input) throw new Error(`no input ${name}`);
  await input.click();
  await page.keyboard.type(text);
}

/** The quotes of the clips in the extension's IndexedDB, read from a tab of the extension's origin. */
function quotes(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction('clips').objectStore('clips').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result.map((c: { quote: string }) => c.quote));
          };
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
}

/**
 * Joins a Firefox device to a new team on `server`, leaves it idle for `idleMs`, has a teammate
 * push a clip, and returns how long (ms) the clip took to reach the device (NaN: not in 90 s).
 */
export async function firefoxBackgroundLifetime(server: SyncServer, idleMs: number): Promise<number> {
  const site: DemoSite = await startDemoSite();
  const ff: FirefoxWithExtension = await launchFirefoxWithExtension();
  try {
    const { adminCode, editorCode } = await createTeam(server, 'Radiology QSI (Firefox)');
    const teammate = await joinOverHttp(server.url, adminCode, 'Busy Ben');

    const dash = await ff.browser.newPage();
    await dash.goto(site.url('/'));
    await dash.waitForSelector('qsi-evidence-clipper', { timeout: 20_000 });
    await dash.click('a[href="documents/contrast-administration-policy.docx"]');
    const deadline = Date.now() + 20_000;
    while (!(await dash.evaluate(() => location.href).catch(() => '')).startsWith(ORIGIN)) {
      if (Date.now() > deadline) throw new Error('the Word viewer did not open');
      await sleep(100);
    }
    await moveWithinExtension(dash, '/dashboard.html#/team');
    await fill(dash, 'serverUrl', server.url);
    await fill(dash, 'inviteCode', editorCode);
    await fill(dash, 'displayName', 'Idle Ida');
    await (await dash.waitForSelector('button[type="submit"]'))?.click();
    await dash.waitForFunction(
      () => [...document.querySelectorAll('h2, h3')].some((h) => h.textContent?.includes('Radiology QSI')),
      { timeout: 20_000 },
    );

    // A static file of the extension: same origin as its database, no extension code.
    const reader = dash;
    await moveWithinExtension(reader, '/pdfjs/pdf.worker.min.mjs');
    if ((await quotes(reader)).length !== 0) throw new Error('the new device already holds clips');

    await sleep(idleMs);

    const quote = `Pushed by a teammate after ${idleMs / 1000} s of idleness`;
    const res = await fetch(`${server.url}/v1/push`, {
      method: 'POST',
      headers: headers(teammate),
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        clientId: 'ff-lifetime',
        mutations: [{ mutationId: 1, type: 'clip.create', clip: makeClip({ quote }) }],
      }),
    });
    const body = (await res.json()) as { results?: { status: string }[] };
    if (res.status !== 200 || body.results?.[0]?.status !== 'applied')
      throw new Error(`the teammate's push failed: ${res.status} ${JSON.stringify(body)}`);
    const pushedAt = Date.now();
    while (Date.now() - pushedAt < 90_000) {
      if ((await quotes(reader)).some((q) => q.includes('Pushed by a teammate')))
        return Date.now() - pushedAt;
      await sleep(50);
    }
    return Number.NaN;
  } finally {
    await ff.close();
    await site.close();
  }
}
