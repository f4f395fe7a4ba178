// Who changed what, end to end: two Chromium profiles with the extension and a real server
// process. Member B edits the note of A's clip; A's library shows "edited by B on …" and the
// clip's history lists B's change of the note, from → to.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Clip } from '../../shared/schemas';
import { axeSerious } from './axe';
import { type ExtensionBrowser, launchWithExtension, screenshotPath } from './chromium';
import { readStore } from './dashboard-fixtures';
import { type DemoSite, startDemoSite } from './demo-site';
import { clipPassage, waitForContentScript } from './page-helpers';
import { createTeam, type SyncServer, startSyncServer } from './sync-server';

let server: SyncServer;
let site: DemoSite;
let a: ExtensionBrowser;
let b: ExtensionBrowser;
let dashA: Page;
let dashB: Page;

const FIRST =
  'In these cases the operator must use at least two independent sources and record which sources were used.';

beforeAll(async () => {
  [server, site] = await Promise.all([startSyncServer(), startDemoSite()]);
  [a, b] = await Promise.all([launchWithExtension(), launchWithExtension()]);
  [dashA, dashB] = await Promise.all([a.context.newPage(), b.context.newPage()]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await Promise.all([server?.close(), site?.close()]);
});

async function join(dash: Page, browser: ExtensionBrowser, name: string, code: string): Promise<void> {
  await dash.goto(`${browser.url('dashboard.html')}#/team`);
  await dash.getByLabel('Server address').fill(server.url);
  await dash.getByLabel('Invite code').fill(code);
  await dash.getByLabel('Your name').fill(name);
  await dash.getByRole('button', { name: 'Join team' }).click();
  await dash.getByRole('heading', { name: 'Radiology QSI' }).waitFor({ timeout: 15_000 });
}

/** Presses "Sync now" on the Team tab until `check` holds on the clips. */
async function syncUntil(dash: Page, browser: ExtensionBrowser, check: (clips: Clip[]) => boolean) {
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    if (check(await readStore<Clip>(dash, 'clips'))) return;
    await dash.goto(`${browser.url('dashboard.html')}#/team`);
    const button = dash.getByRole('button', { name: 'Sync now' }).first();
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Sync now');
  }
  throw new Error('the change did not arrive');
}

test("a colleague's edit is named in the library and listed in the clip's history", async () => {
  const { adminCode, editorCode } = await createTeam(server, 'Radiology QSI');
  await join(dashA, a, 'Ada Lovelace', adminCode);
  await join(dashB, b, 'Grace Hopper', editorCode);

  const pageA = await a.context.newPage();
  await pageA.goto(site.url('patient-identification.html'));
  await waitForContentScript(pageA);
  await clipPassage(pageA, FIRST, ['DEMO-CL-01'], 'Two sources: from Ada.');
  await syncUntil(dashB, b, (c) => c.some((x) => x.quote === FIRST));

  // B (an editor) changes the note of A's clip.
  await dashB.goto(`${b.url('dashboard.html')}#/library`);
  await dashB.getByLabel('Search evidence').fill('independent');
  await expect.poll(() => dashB.locator('.clip-table tbody tr').count()).toBe(1);
  await dashB.getByRole('button', { name: /^Edit clip/ }).click();
  const dialogB = dashB.getByRole('dialog', { name: 'Edit clip' });
  await dialogB.getByLabel('Note').fill('Checked by Grace.');
  await dialogB.getByRole('button', { name: 'Save changes' }).click();
  await dialogB.waitFor({ state: 'detached' });

  await syncUntil(dashA, a, (c) => c.find((x) => x.quote === FIRST)?.note === 'Checked by Grace.');
  await dashA.goto(`${a.url('dashboard.html')}#/library`);
  await dashA.getByLabel('Search evidence').fill('independent');
  const row = dashA.locator('.clip-table tbody tr');
  await expect.poll(() => row.count()).toBe(1);
  const today = new Date().toISOString().slice(0, 10);
  await expect.poll(() => row.locator('.edited-by').textContent()).toBe(`edited by Grace Hopper on ${today}`);

  await dashA.getByRole('button', { name: /^Edit clip/ }).click();
  const dialog = dashA.getByRole('dialog', { name: 'Edit clip' });
  await dialog.getByRole('button', { name: 'History' }).focus();
  await dashA.keyboard.press('Enter');
  const history = dialog.getByRole('region', { name: 'History' });
  await expect.poll(() => history.locator('.history-list > li').count(), { timeout: 10_000 }).toBe(2);
  const newest = (await history.locator('.history-list > li').first().textContent()) ?? '';
  expect(newest).toContain('Grace Hopper edited the clip');
  expect(newest).toContain('Note: Two sources: from Ada. → Checked by Grace.');
  expect(await history.locator('.history-list > li').last().textContent()).toContain(
    'Ada Lovelace created the clip',
  );
  await dashA.screenshot({ path: screenshotPath('clip-history') });
  expect(await axeSerious(dashA)).toEqual([]);

  // The evidence pack names the last editor and carries a seal the server's verify accepts.
  const pack = await a.context.newPage();
  await pack.goto(a.url('evidence-pack.html'));
  await pack.locator('body[data-ready="true"]').waitFor({ timeout: 15_000 });
  await pack.getByRole('heading', { name: 'Seal' }).waitFor();
  expect(await pack.locator('main, body').first().textContent()).toMatch(/Last edited.*by Grace Hopper/);
  const sealJson = (await pack.locator('script#qsi-evidence-seal').textContent()) ?? '';
  expect(JSON.parse(sealJson).clips).toHaveLength(1);
  const file = path.join(os.tmpdir(), `qsi-pack-${process.pid}.html`);
  fs.writeFileSync(file, await pack.content());
  expect(await server.cli('verify', '--pack', file)).toContain('OK');
  fs.rmSync(file);
});
