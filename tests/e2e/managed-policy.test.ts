// Managed configuration end to end: a Chromium policy file in /etc/chromium/policies/managed/ names
// the e2e build's fixed id (the manifest key in wxt.config.ts) and sets the team server, a
// multi-use invite, the default framework, the evidence sites (one of them invalid) and PDF
// auto-open. Asserts that Chromium delivers it, that the Team page shows the server locked with
// "Managed by your organisation", that the user joins the team on a real server process by typing
// only their name, and that the framework, sites and auto-open took effect. Writing the policy
// needs root (CI runs as root): without it this test fails, never skips.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { headers } from '../server/helpers';
import { axeSerious } from './axe';
import { type ExtensionBrowser, launchWithExtension, screenshotPath } from './chromium';
import { readStore } from './dashboard-fixtures';
import { type DemoSite, startDemoSite } from './demo-site';
import { createTeam, type SyncServer, startSyncServer } from './sync-server';

/** Where Debian's Chromium reads mandatory policies (one JSON file per source). */
const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = path.join(POLICY_DIR, `qsi-clipper-e2e-${process.pid}.json`);
/** The e2e build's id, from the public key in wxt.config.ts. */
const EXTENSION_ID = 'hbpejkpjemhneaemgndedofikeboohmc';
const FRAMEWORK_ID = 'trust-qsi';

let server: SyncServer;
let browser: ExtensionBrowser | undefined;
let dash: Page;
let teamId = '';
let site: DemoSite | undefined;

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function trustFramework() {
  return {
    format: 'qsi-evidence-clipper/framework@1',
    id: FRAMEWORK_ID,
    name: 'Trust QSI checklist',
    domains: [
      {
        id: 'd',
        title: 'Governance',
        standards: [
          {
            id: 'd.s',
            title: 'Documents',
            criteria: [{ id: `${FRAMEWORK_ID}:T-01`, code: 'T-01', title: 'Policies have an owner' }],
          },
        ],
      },
    ],
  };
}

beforeAll(async () => {
  // Files an earlier, killed run left behind would manage every later run of the e2e build; a
  // file whose process still runs belongs to a run in progress and stays.
  if (fs.existsSync(POLICY_DIR))
    for (const f of fs.readdirSync(POLICY_DIR)) {
      const pid = Number(/^qsi-clipper-e2e-(\d+)\.json$/.exec(f)?.[1]);
      if (pid && !processRuns(pid)) fs.rmSync(path.join(POLICY_DIR, f), { force: true });
    }
  [server, site] = await Promise.all([startSyncServer(), startDemoSite()]);
  const created = await createTeam(server, 'Radiology QSI');
  teamId = created.teamId;
  const { adminCode, editorCode } = created;
  // The admin publishes the framework the policy makes the default.
  const joined = await fetch(`${server.url}/v1/join`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, code: adminCode, displayName: 'Admin' }),
  });
  expect(joined.status).toBe(201);
  const { token } = (await joined.json()) as { token: string };
  const published = await fetch(`${server.url}/v1/frameworks/${FRAMEWORK_ID}`, {
    method: 'PUT',
    headers: headers(token),
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, framework: trustFramework() }),
  });
  expect(published.status).toBe(200);

  const policy = {
    '3rdparty': {
      extensions: {
        [EXTENSION_ID]: {
          serverUrl: server.url,
          inviteCode: editorCode,
          defaultFramework: `${server.url}/v1/frameworks/${FRAMEWORK_ID}`,
          evidenceSites: ['http://127.0.0.1', 'ftp://files.example.org'],
          autoOpenPdf: true,
        },
      },
    },
  };
  // Not caught: a machine where this cannot be written fails the test with the reason.
  try {
    fs.mkdirSync(POLICY_DIR, { recursive: true });
    fs.writeFileSync(POLICY_FILE, JSON.stringify(policy, null, 2), { mode: 0o644 });
  } catch (error) {
    throw new Error(
      `cannot write the Chromium policy ${POLICY_FILE} (this test needs root, as CI has): ${String(error)}`,
    );
  }
  browser = await launchWithExtension();
  dash = await browser.context.newPage();
});

afterAll(async () => {
  fs.rmSync(POLICY_FILE, { force: true });
  await browser?.close();
  // After the browser: its keep-alive connections would hold the demo site's close.
  await Promise.all([server?.close(), site?.close()]);
});

test('Chromium delivers the policy to the extension with the fixed id', async () => {
  expect(browser?.extensionId).toBe(EXTENSION_ID);
  const managed = await browser?.worker.evaluate(() => chrome.storage.managed.get());
  expect(managed).toMatchObject({ serverUrl: server.url, autoOpenPdf: true });
});

test('the Team page locks the server, the user joins with their name only, the policy applies', async () => {
  if (!browser) throw new Error('no browser');
  await dash.goto(`${browser.url('dashboard.html')}#/team`);
  const serverField = dash.getByLabel('Server address');
  await expect.poll(() => serverField.inputValue(), { timeout: 15_000 }).toBe(server.url);
  expect(await serverField.isDisabled()).toBe(true);
  // The locked field is described by the note, so a screen reader says why.
  const describedBy = await serverField.getAttribute('aria-describedby');
  expect(await dash.locator(`#${describedBy}`).textContent()).toContain('Managed by your organisation');
  expect(await dash.getByLabel('Invite code').isDisabled()).toBe(true);
  // The refused value is reported, the others apply.
  const card = dash.getByRole('region', { name: 'Managed by your organisation' });
  expect(await card.textContent()).toContain('evidenceSites[1] is not a site address');
  expect(await card.textContent()).not.toContain('qsi-inv-');
  await dash.screenshot({ path: screenshotPath('managed-team-settings'), fullPage: true });
  expect(await axeSerious(dash)).toEqual([]);

  await dash.getByLabel('Your name').fill('Grace');
  await dash.getByRole('button', { name: 'Join team' }).click();
  await dash.getByRole('heading', { name: 'Radiology QSI' }).waitFor({ timeout: 15_000 });
  const leave = dash.getByRole('button', { name: 'Leave team' });
  expect(await leave.isDisabled()).toBe(true);
  // The server knows the new member.
  expect(await server.cli('member', 'list', teamId)).toContain('Grace');
  await dash.screenshot({ path: screenshotPath('managed-team-joined'), fullPage: true });

  // The default framework arrives with the first pull and becomes the active one.
  await expect
    .poll(
      async () =>
        (await readStore<{ key: string; value: unknown }>(dash, 'meta')).find(
          (r) => r.key === 'activeFrameworkId',
        )?.value,
      { timeout: 20_000 },
    )
    .toBe(FRAMEWORK_ID);
  const local = await browser.worker.evaluate(() =>
    chrome.storage.local.get(['pdfAutoOpen', 'originGrants']),
  );
  expect(local.pdfAutoOpen).toBe(true);
  // The demo intranet's host stays "show evidence" although the team server shares it.
  expect((local.originGrants as { evidence: string[] }).evidence).toContain('http://127.0.0.1/*');
});

test('a changed policy file is applied while the browser runs (after Chromium re-reads it)', async () => {
  if (!browser) throw new Error('no browser');
  const policy = JSON.parse(fs.readFileSync(POLICY_FILE, 'utf8'));
  const mine = policy['3rdparty'].extensions[EXTENSION_ID];
  mine.autoOpenPdf = false;
  mine.evidenceSites = ['http://127.0.0.1'];
  fs.writeFileSync(POLICY_FILE, JSON.stringify(policy, null, 2));
  // What an administrator does after changing the file (Chromium also re-reads it by itself, later).
  const policyPage = await browser.context.newPage();
  await policyPage.goto('chrome://policy');
  await policyPage.getByRole('button', { name: /reload policies/i }).click();
  await expect
    .poll(
      () => browser?.worker.evaluate(async () => (await chrome.storage.local.get('pdfAutoOpen')).pdfAutoOpen),
      {
        timeout: 20_000,
      },
    )
    .toBe(false);
  await policyPage.close();
  const card = dash.getByRole('region', { name: 'Managed by your organisation' });
  await expect.poll(() => card.textContent(), { timeout: 10_000 }).not.toContain('evidenceSites[1]');
  expect(await card.textContent()).toContain('Open PDFs automaticallyOff');
});

test("the popup locks 'Always show evidence on this site' on a site the policy names", async () => {
  if (!browser || !site) throw new Error('no browser or demo site');
  const page = await browser.context.newPage();
  await page.goto(site.url('radiation-protection.html'));
  const tabId = await browser.worker.evaluate(
    async (u) => (await chrome.tabs.query({ url: u }))[0]?.id ?? -1,
    page.url(),
  );
  const popup = await browser.context.newPage();
  await popup.goto(browser.url(`popup.html?tab=${tabId}`));
  const always = popup.getByRole('checkbox', { name: 'Always show evidence on this site' });
  await always.waitFor({ timeout: 15_000 });
  expect(await always.isChecked()).toBe(true);
  expect(await always.isDisabled()).toBe(true);
  const note = await always.getAttribute('aria-describedby');
  expect(await popup.locator(`#${note}`).textContent()).toContain('Managed by your organisation');
  await popup.screenshot({ path: screenshotPath('managed-popup') });
  await popup.close();
  await page.close();
});
