// Submissions end to end, in Chromium with a real server process: an admin freezes the team's
// evidence, then one clip is deleted, one edited, one found changed on its page, one lost, and a
// rating changed; "what changed since" lists exactly those five changes, the submission's pack
// rebuilt afterwards is byte-identical to the one saved at the freeze, and axe passes on both
// views. Screenshots of the submissions view and its comparison.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Assessment, Clip } from '../../shared/schemas';
import { axeSerious } from './axe';
import { type ExtensionBrowser, launchWithExtension, screenshotPath } from './chromium';
import { demoClips, readStore, seed } from './dashboard-fixtures';
import { createTeam, type SyncServer, startSyncServer } from './sync-server';

let server: SyncServer;
let browser: ExtensionBrowser;
let dash: Page;

beforeAll(async () => {
  server = await startSyncServer();
  browser = await launchWithExtension();
  dash = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Five fresh clips, one criterion each (so each change is listed once). */
function fiveClips(): Clip[] {
  return demoClips()
    .slice(0, 5)
    .map((c) => {
      const { anchor: _a, ...rest } = c;
      return {
        ...rest,
        criteria: [c.criteria[0] ?? 'demo:DEMO-LM-01'],
        docMeta: { ...c.docMeta, reviewDue: '2030-01-01' },
      };
    });
}

/** Writes rows with raw IndexedDB (changes made after the freeze; the comparison reads them). */
async function put(page: Page, store: string, rows: unknown[]): Promise<void> {
  await page.evaluate(
    ({ store, rows }) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(store, 'readwrite');
          for (const r of rows) tx.objectStore(store).put(r);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { store, rows },
  );
}

/** Opens the submission's evidence pack, saves it, and returns the saved file's SHA-256. */
async function savedPackSha(submissionId: string, check: boolean): Promise<string> {
  const pack = await browser.context.newPage();
  await pack.goto(`${browser.url('evidence-pack.html')}?submission=${submissionId}`);
  await pack.locator('body[data-ready="true"]').waitFor();
  if (check) {
    expect(await pack.locator('.set-hash').textContent()).toMatch(/[0-9a-f]{64}/);
    expect(await axeSerious(pack)).toEqual([]);
    await pack.screenshot({ path: screenshotPath('submission-pack') });
  }
  await pack.getByRole('button', { name: 'Save the pack (HTML)' }).click();
  const sha = (await pack.locator('.pack-sha').textContent()) ?? '';
  await pack.close();
  return sha;
}

test('freeze, change five things, see exactly those five, rebuild a byte-identical pack', async () => {
  const { adminCode } = await createTeam(server, 'Radiology QSI');
  await dash.goto(`${browser.url('dashboard.html')}#/team`);
  await dash.getByLabel('Server address').fill(server.url);
  await dash.getByLabel('Invite code').fill(adminCode);
  await dash.getByLabel('Your name').fill('Ada Admin');
  await dash.getByRole('button', { name: 'Join team' }).click();
  await dash.getByRole('heading', { name: 'Radiology QSI' }).waitFor({ timeout: 15_000 });

  const clips = fiveClips();
  const rated: Assessment = {
    criterionId: clips[4]?.criteria[0] ?? '',
    rating: 'green',
    owner: 'Priya Shah',
    action: '',
    comment: '',
    updatedAt: '2026-11-01T09:00:00.000Z',
  };
  await seed(dash, { clips, assessments: [rated], active: 'demo' });

  // Raw IndexedDB writes do not wake the dashboard's live queries: load it afresh.
  await dash.goto(`${browser.url('dashboard.html')}#/submissions`);
  await dash.reload();
  await dash.getByLabel('Name').fill('Annual submission 2026');
  await dash.getByRole('button', { name: 'Freeze submission' }).click();
  const row = dash.locator('table.submissions tbody tr');
  await row.first().waitFor({ timeout: 15_000 });
  expect(await row.count()).toBe(1);
  expect(await row.first().textContent()).toContain('Annual submission 2026');
  const [submission] = await readStore<{ id: string; set: { clips: unknown[] } }>(dash, 'submissions');
  expect(submission?.set.clips).toHaveLength(5);
  const id = submission?.id ?? '';
  await dash.getByRole('status').filter({ hasText: 'nothing has changed' }).waitFor();
  expect(await dash.locator('li[data-change]').allTextContents()).toEqual([]);
  expect(await axeSerious(dash)).toEqual([]);
  await dash.screenshot({ path: screenshotPath('submissions-frozen'), fullPage: true });

  const atFreeze = await savedPackSha(id, true);
  expect(atFreeze).toMatch(/^[0-9a-f]{64}$/);

  // The five changes.
  const [c0, c1, c2, c3] = clips as [Clip, Clip, Clip, Clip];
  const at = '2026-12-01T10:00:00.000Z';
  await put(dash, 'clips', [
    { ...c0, deleted: true, updatedAt: at },
    { ...c1, quote: `${c1.quote} within 24 hours`, updatedAt: at },
    { ...c2, anchor: { status: 'relocated', checkedAt: at, found: c2.quote.replace(/\w+\.?$/, 'revised.') } },
    { ...c3, anchor: { status: 'lost', checkedAt: at } },
  ]);
  await put(dash, 'assessments', [{ ...rated, rating: 'red' }]);

  await dash.goto(`${browser.url('dashboard.html')}#/submissions/${id}`);
  await dash.reload();
  await expect.poll(() => dash.locator('.changed-summary').textContent()).toContain('5 changes');
  const kinds = await dash
    .locator('li[data-change]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-change')));
  expect(kinds.sort()).toEqual(['edited', 'rating', 'relocated', 'removed', 'stale']);
  expect(await dash.locator('li[data-change="edited"] ins').first().textContent()).toContain('24');
  expect(await axeSerious(dash)).toEqual([]);
  await dash.screenshot({ path: screenshotPath('submissions-changed-since'), fullPage: true });

  // The frozen pack, rebuilt after the changes: the same bytes.
  expect(await savedPackSha(id, false)).toBe(atFreeze);
}, 120_000);
