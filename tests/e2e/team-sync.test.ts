// Team sharing end to end: two Chromium profiles with the extension and a real server
// process. A clip made in A is highlighted in B as a teammate's and an edit in B reaches A, both
// without pressing "Sync now" (the long-poll watch); edits made
// while the server is down converge after it restarts; a conflicting edit is resolved in the
// dashboard; a delete propagates. Screenshots of the Team tab and the conflicts view.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Clip } from '../../shared/schemas';
import { axeSerious } from './axe';
import { type ExtensionBrowser, launchWithExtension, screenshotPath } from './chromium';
import { readStore } from './dashboard-fixtures';
import { type DemoSite, startDemoSite } from './demo-site';
import { clipPassage, paintedHighlights, paintedTexts, waitForContentScript } from './page-helpers';
import { createTeam, type SyncServer, startSyncServer } from './sync-server';

let server: SyncServer;
let site: DemoSite;
let a: ExtensionBrowser;
let b: ExtensionBrowser;
let dashA: Page;
let dashB: Page;
const figures: Record<string, number> = {};

const FIRST =
  'In these cases the operator must use at least two independent sources and record which sources were used.';
const SECOND =
  'It does not cover the identification of samples or images after acquisition; that is described in the PACS data quality procedure';

beforeAll(async () => {
  [server, site] = await Promise.all([startSyncServer(), startDemoSite()]);
  [a, b] = await Promise.all([launchWithExtension(), launchWithExtension()]);
  [dashA, dashB] = await Promise.all([a.context.newPage(), b.context.newPage()]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await Promise.all([server?.close(), site?.close()]);
  if (Object.keys(figures).length) console.log('[team-sync figures, ms]', JSON.stringify(figures));
});

async function join(dash: Page, browser: ExtensionBrowser, name: string, code: string): Promise<void> {
  await dash.goto(`${browser.url('dashboard.html')}#/team`);
  // A wrong invite code gets a clear message and joins nothing.
  await dash.getByLabel('Server address').fill(server.url);
  await dash.getByLabel('Invite code').fill('not-a-code');
  await dash.getByLabel('Your name').fill(name);
  await dash.getByRole('button', { name: 'Join team' }).click();
  await expect.poll(() => dash.getByRole('alert').textContent()).toContain('qsi-inv-');
  if (name.startsWith('Ada')) {
    await dash.screenshot({ path: screenshotPath('team-join-form') });
    expect(await axeSerious(dash)).toEqual([]);
  }
  await dash.getByLabel('Server address').fill(server.url);
  await dash.getByLabel('Invite code').fill(code);
  await dash.getByLabel('Your name').fill(name);
  await dash.getByLabel('Device label (optional)').fill(`${name}'s test browser`);
  await dash.getByRole('button', { name: 'Join team' }).click();
  await dash.getByRole('heading', { name: 'Radiology QSI' }).waitFor({ timeout: 15_000 });
  await expect.poll(() => statusText(dash), { timeout: 15_000 }).toContain('Synced');
}

const statusText = async (dash: Page) =>
  (await dash.locator('main .sync-status').first().textContent()) ?? '';

/** Presses "Sync now" on the Team tab and waits for the answer. */
async function syncNow(dash: Page): Promise<void> {
  if (!dash.url().endsWith('#/team')) {
    await dash.goto(dash.url().replace(/#.*$/, '#/team'));
  }
  const button = dash.getByRole('button', { name: 'Sync now' }).first();
  await button.waitFor();
  await button.click();
  await expect.poll(() => button.textContent()).toBe('Sync now');
}

/** Syncs `dash` until `check` holds on its clips; @returns ms taken. */
async function syncUntil(
  dash: Page,
  check: (clips: Clip[]) => boolean,
  started = Date.now(),
  timeout = 15_000,
): Promise<number> {
  while (Date.now() - started < timeout) {
    if (check(await readStore<Clip>(dash, 'clips'))) return Date.now() - started;
    await syncNow(dash);
  }
  throw new Error('the change did not arrive');
}

/**
 * Waits, pressing nothing, until `check` holds on `dash`'s clips (the background's watch loop
 * brings the change). @returns ms since `started`.
 */
async function arrives(
  dash: Page,
  check: (clips: Clip[]) => boolean,
  started: number,
  timeout = 10_000,
): Promise<number> {
  while (Date.now() - started < timeout) {
    if (check(await readStore<Clip>(dash, 'clips'))) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the change did not arrive without "Sync now"');
}

const clipWith = (clips: Clip[], quote: string) => clips.find((c) => c.quote === quote);

/** Opens the library, finds the clip by a search word, sets its note (or deletes it). */
async function editInLibrary(dash: Page, browser: ExtensionBrowser, search: string, note: string | null) {
  await dash.goto(`${browser.url('dashboard.html')}#/library`);
  await dash.getByLabel('Search evidence').fill(search);
  await expect.poll(() => dash.locator('.clip-table tbody tr').count()).toBe(1);
  await dash.getByRole('button', { name: /^Edit clip/ }).click();
  const dialog = dash.getByRole('dialog', { name: 'Edit clip' });
  await dialog.waitFor();
  if (note === null) await dialog.getByRole('button', { name: 'Delete clip' }).click();
  else {
    await dialog.getByLabel('Note').fill(note);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
  }
  await dialog.waitFor({ state: 'detached' });
}

test('two browsers share clips through a real server', async () => {
  const { adminCode, editorCode } = await createTeam(server, 'Radiology QSI');
  await join(dashA, a, 'Ada Lovelace', adminCode);
  await join(dashB, b, 'Grace Hopper', editorCode);
  await dashA.screenshot({ path: screenshotPath('team-status') });
  expect(await axeSerious(dashA)).toEqual([]);
  const popup = await a.context.newPage();
  await popup.setViewportSize({ width: 420, height: 600 });
  await popup.goto(a.url('popup.html'));
  await expect.poll(() => popup.locator('.popup-footer').textContent()).toContain('Synced');
  await popup.screenshot({ path: screenshotPath('team-popup-status') });
  await popup.close();

  // 1. A clip made in A appears in B, highlighted as a teammate's: B only watches (no Sync now).
  const pageA = await a.context.newPage();
  await pageA.goto(site.url('patient-identification.html'));
  await waitForContentScript(pageA);
  await clipPassage(pageA, FIRST, ['DEMO-CL-01'], 'Two sources: from Ada.');
  const clipped = Date.now();
  figures.clipAtoBNoSyncNow = await arrives(dashB, (c) => clipWith(c, FIRST) !== undefined, clipped);
  const pageB = await b.context.newPage();
  await pageB.goto(site.url('patient-identification.html'));
  await waitForContentScript(pageB);
  await expect.poll(async () => (await paintedHighlights(pageB))['qsi-evidence-team'] ?? []).toEqual([FIRST]);

  // 2. An edit in B reaches A, again without anyone pressing Sync now.
  await editInLibrary(dashB, b, 'independent', 'Checked by Grace.');
  const edited = Date.now();
  figures.editBtoANoSyncNow = await arrives(
    dashA,
    (c) => clipWith(c, FIRST)?.note === 'Checked by Grace.',
    edited,
  );

  // 3. Server down: both edit the same note (a conflict), A also clips a new passage offline.
  await server.stop();
  await editInLibrary(dashA, a, 'independent', 'Ada, written offline.');
  await clipPassage(pageA, SECOND, ['DEMO-LM-01'], 'Clipped while the server was down.');
  await editInLibrary(dashB, b, 'independent', 'Grace, written offline.');
  await syncNow(dashA);
  await expect.poll(() => statusText(dashA)).toContain('Offline');
  await expect
    .poll(() => dashA.getByText('Changes waiting to be sent').locator('xpath=..').textContent())
    .toMatch(/2$/);
  await dashA.getByRole('main').screenshot({ path: screenshotPath('team-status-offline') });

  await server.start();
  await syncNow(dashA);
  await expect.poll(() => statusText(dashA)).toContain('Synced');
  await syncUntil(dashB, (c) => clipWith(c, SECOND) !== undefined);

  // 4. The conflict shows in B's dashboard with both versions; "Keep mine" resolves it.
  await dashB.goto(`${b.url('dashboard.html')}#/conflicts`);
  await dashB.reload();
  const card = dashB.getByRole('article', { name: /Clip:/ });
  await card.waitFor();
  expect(await card.getByRole('cell', { name: 'Grace, written offline.' }).count()).toBe(1);
  expect(await card.getByRole('cell', { name: 'Ada, written offline.' }).count()).toBe(1);
  await expect
    .poll(() => dashB.locator('header .sync-status').textContent())
    .toContain('1 conflict to resolve');
  await dashB.screenshot({ path: screenshotPath('team-conflicts') });
  expect(await axeSerious(dashB)).toEqual([]);
  await card.getByRole('button', { name: 'Keep mine' }).click();
  await dashB.getByText('No conflicts to resolve.').waitFor();
  await syncUntil(dashB, () => true);
  await syncUntil(dashA, (c) => clipWith(c, FIRST)?.note === 'Grace, written offline.');

  // 5. A delete in A propagates: gone from B's store and from B's page.
  await editInLibrary(dashA, a, 'PACS', null);
  const deleted = Date.now();
  figures.deleteAtoB = await syncUntil(dashB, (c) => clipWith(c, SECOND)?.deleted === true, deleted);
  await pageB.reload();
  await waitForContentScript(pageB);
  await expect.poll(() => paintedTexts(pageB)).toEqual([FIRST]);

  // Converged: same live clips, same notes, nothing pending on either side.
  const summary = (clips: Clip[]) =>
    clips
      .filter((c) => !c.deleted)
      .map((c) => `${c.id} ${c.note}`)
      .sort();
  await syncNow(dashA);
  await syncNow(dashB);
  expect(summary(await readStore<Clip>(dashA, 'clips'))).toEqual(
    summary(await readStore<Clip>(dashB, 'clips')),
  );
  expect(await readStore(dashA, 'outbox')).toEqual([]);
  expect(await readStore(dashB, 'outbox')).toEqual([]);
  expect(await statusText(dashB)).toContain('Synced');

  // Leaving (nothing pending): confirmed, then the join form is back and local clips stay.
  await dashB.getByRole('button', { name: 'Leave team' }).click();
  await dashB.getByRole('button', { name: 'Yes, leave team' }).click();
  await dashB.getByRole('button', { name: 'Join team' }).waitFor();
  expect((await readStore<Clip>(dashB, 'clips')).filter((c) => !c.deleted).length).toBe(1);

  // A's device token is revoked (CLI): sync stops with a clear message, A's edit stays queued.
  const meta = await readStore<{ key: string; value: { teamId?: string; deviceId?: string } }>(dashA, 'meta');
  const joined = meta.find((m) => m.key === 'sync.team')?.value;
  await server.cli('device', 'revoke', joined?.teamId ?? '', joined?.deviceId ?? '');
  await editInLibrary(dashA, a, 'independent', 'Written after removal.');
  await syncNow(dashA);
  await expect.poll(() => statusText(dashA)).toContain('Signed out: token revoked');
  expect((await readStore(dashA, 'outbox')).length).toBe(1);
  expect(clipWith(await readStore<Clip>(dashA, 'clips'), FIRST)?.note).toBe('Written after removal.');
  await dashA.reload();
  await dashA.getByRole('button', { name: 'Join again' }).waitFor();
  await dashA.getByRole('main').screenshot({ path: screenshotPath('team-status-revoked') });

  // Joining again with a new invite (same team) sends the change that waited.
  const { editorCode: again } = await createTeam(server, '', joined?.teamId);
  await dashA.getByLabel('Invite code').fill(again);
  await dashA.getByRole('button', { name: 'Join again' }).click();
  await expect.poll(() => statusText(dashA), { timeout: 15_000 }).toContain('Synced');
  expect(await readStore(dashA, 'outbox')).toEqual([]);
});
