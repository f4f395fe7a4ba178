// Submissions end to end, in Chromium with a real server process and the demo intranet: an admin
// freezes the team's evidence, then one clip is deleted, one edited, the revised demo policy is
// published (one clip found changed on its page, one lost) and a rating changed; "what changed since" lists exactly those five changes, the submission's pack
// rebuilt afterwards is byte-identical to the one saved at the freeze, and axe passes on both
// views. Screenshots of the submissions view and its comparison.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Assessment, Clip } from '../../shared/schemas';
import { axeSerious } from './axe';
import { screenshotPath } from './chromium';
import { readStore } from './dashboard-fixtures';
import { useExtensionAndSite } from './demo-site';
import { clipPassage, waitForContentScript } from './page-helpers';
import { createTeam, type SyncServer, startSyncServer } from './sync-server';

const env = useExtensionAndSite();
let server: SyncServer;
let dash: Page;

beforeAll(async () => {
  server = await startSyncServer();
  dash = await env.browser.context.newPage();
  await fetch(env.site.url('__demo/edits?on=0'), { method: 'POST' });
});
afterAll(async () => {
  await fetch(env.site.url('__demo/edits?on=0'), { method: 'POST' }).catch(() => {});
  await server?.close();
});

// Passages of the demo MRI safety policy (its revision is described at the top of
// demo/site/edited/mri-safety.html): one reworded, one removed, three the same in both versions.
const WORD =
  'Only equipment labelled MR safe, or MR conditional with conditions that are met, may be taken into Zone 4.';
const REMOVED =
  'A ferromagnetic detector at the door to Zone 4 gives an extra check, but it does not replace screening, and an alarm must always be investigated before anyone enters.';
const TO_DELETE = 'The magnet is never switched off at the end of the day.';
const TO_EDIT = 'Only MR operators may screen patients and decide whether they can enter Zone 4.';
const TO_RATE =
  'Every patient is given earplugs and, where the coil allows, headphones; small children and patients who are sedated are given ear defenders as well.';

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
  const pack = await env.browser.context.newPage();
  await pack.goto(`${env.browser.url('evidence-pack.html')}?submission=${submissionId}`);
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
  const { browser } = env;
  const { adminCode } = await createTeam(server, 'Radiology QSI');
  await dash.goto(`${browser.url('dashboard.html')}#/team`);
  await dash.getByLabel('Server address').fill(server.url);
  await dash.getByLabel('Invite code').fill(adminCode);
  await dash.getByLabel('Your name').fill('Ada Admin');
  await dash.getByRole('button', { name: 'Join team' }).click();
  await dash.getByRole('heading', { name: 'Radiology QSI' }).waitFor({ timeout: 15_000 });

  // Five clips on the MRI safety policy, one criterion each.
  const policy = await browser.context.newPage();
  await policy.setViewportSize({ width: 1100, height: 900 });
  await policy.goto(env.site.url('mri-safety.html'));
  await waitForContentScript(policy);
  const tagged: [string, string][] = [
    [WORD, 'DEMO-CL-01'],
    [REMOVED, 'DEMO-CL-02'],
    [TO_DELETE, 'DEMO-LM-01'],
    [TO_EDIT, 'DEMO-LM-03'],
    [TO_RATE, 'DEMO-LM-05'],
  ];
  for (const [text, code] of tagged) await clipPassage(policy, text, [code]);
  await expect.poll(async () => (await readStore<Clip>(dash, 'clips')).length).toBe(5);

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

  // The authors publish the revised policy: the reworded passage is found changed, the removed
  // one is lost (the extension records both when the page is opened again).
  await fetch(env.site.url('__demo/edits?on=1'), { method: 'POST' });
  await policy.reload();
  await waitForContentScript(policy);
  const statusOf = async (quote: string) =>
    (await readStore<Clip>(dash, 'clips')).find((c) => c.quote === quote)?.anchor?.status;
  await expect.poll(() => statusOf(WORD), { timeout: 15_000 }).toBe('relocated');
  await expect.poll(() => statusOf(REMOVED), { timeout: 15_000 }).toBe('lost');
  await policy.close();

  // One clip deleted, one edited, one rating changed.
  const clips = await readStore<Clip>(dash, 'clips');
  const byQuote = (q: string) => clips.find((c) => c.quote === q) as Clip;
  const at = new Date().toISOString();
  await put(dash, 'clips', [
    { ...byQuote(TO_DELETE), deleted: true, updatedAt: at },
    {
      ...byQuote(TO_EDIT),
      quote: TO_EDIT.replace('Only MR operators', 'Only two MR operators'),
      updatedAt: at,
    },
  ]);
  const rated: Assessment = {
    criterionId: byQuote(TO_RATE).criteria[0] ?? '',
    rating: 'red',
    owner: '',
    action: '',
    comment: '',
    updatedAt: at,
  };
  await put(dash, 'assessments', [rated]);

  await dash.goto(`${browser.url('dashboard.html')}#/submissions/${id}`);
  await dash.reload();
  await expect.poll(() => dash.locator('.changed-summary').textContent()).toContain('5 changes');
  const kinds = await dash
    .locator('li[data-change]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-change')));
  expect(kinds.sort()).toEqual(['edited', 'rating', 'relocated', 'removed', 'stale']);
  expect(await dash.locator('li[data-change="edited"] ins').first().textContent()).toContain('two');
  expect(await dash.locator('li[data-change="relocated"] ins').first().textContent()).toContain('brought');
  expect(await axeSerious(dash)).toEqual([]);
  await dash.screenshot({ path: screenshotPath('submissions-changed-since'), fullPage: true });

  // The frozen pack, rebuilt after the changes: the same bytes.
  expect(await savedPackSha(id, false)).toBe(atFreeze);
}, 180_000);
