// Joining a team by signing in with the organisation's identity provider, end to end: headless
// Chromium with the extension, the real server process configured for OIDC, and a real OpenID
// Connect provider (oidc-provider with its development login and consent pages). The user
// presses "Sign in with your organisation", signs in in the new tab, pastes the one-time code
// and is a member (role from the groups claim) and syncing. A user outside the admitted email
// domain is refused on the provider's way back, and joins nothing.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/protocol';
import { startTestProvider, TEST_CLIENT_ID, type TestProvider } from '../server/oidc-provider';
import { bundleServer, freePort, type ServerProcess, startServer } from '../sync/server-process';
import { axeSerious } from './axe';
import { type ExtensionBrowser, launchWithExtension, screenshotPath } from './chromium';

const run = promisify(execFile);

let provider: TestProvider;
let server: ServerProcess;
let browser: ExtensionBrowser;
let dataDir: string;
let serverUrl: string;
let dash: Page;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-e2e-oidc-'));
  const port = await freePort();
  serverUrl = `http://127.0.0.1:${port}`;
  // The team people join by signing in, created with the admin CLI before the server starts.
  const { stdout } = await run(process.execPath, [bundleServer('cli'), 'team', 'create', 'Radiology QSI'], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'quiet' },
  });
  const teamId = /created: (\S+)/.exec(stdout)?.[1];
  if (!teamId) throw new Error(`unexpected CLI output: ${stdout}`);
  provider = await startTestProvider([`${serverUrl}/oidc/callback`]);
  server = await startServer({
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: TEST_CLIENT_ID,
    OIDC_REDIRECT_URI: `${serverUrl}/oidc/callback`,
    OIDC_TEAM: teamId,
    OIDC_ALLOWED_DOMAINS: 'trust.nhs.uk',
    OIDC_ROLE_MAP: 'clipper-admins=admin,clipper-editors=editor',
    OIDC_ALLOW_HTTP: '1',
  });
  browser = await launchWithExtension();
  dash = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  await provider?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Presses "Sign in with your organisation" and signs in as `login` in the tab it opens. */
async function signIn(login: string): Promise<Page> {
  // A new person at the provider: no earlier sign-in session there.
  await browser.context.clearCookies();
  await dash.goto(`${browser.url('dashboard.html')}#/team`);
  await dash.getByLabel('Server address').fill(serverUrl);
  const opened = browser.context.waitForEvent('page');
  await dash.getByRole('button', { name: 'Sign in with your organisation' }).click();
  const tab = await opened;
  await tab.waitForURL(`${provider.issuer}/**`);
  await tab.locator('input[name="login"]').fill(login);
  await tab.locator('input[name="password"]').fill('any password');
  await tab.getByRole('button', { name: 'Sign-in' }).click();
  await tab.getByRole('button', { name: 'Continue' }).click();
  await tab.waitForURL(`${serverUrl}/oidc/callback**`);
  return tab;
}

test('a user outside the admitted domain is refused on the way back and gets no code', async () => {
  const tab = await signIn('mallory');
  await tab.getByRole('heading', { name: 'Sign-in refused' }).waitFor();
  const text = (await tab.locator('main').textContent()) ?? '';
  expect(text).toContain('elsewhere.example');
  expect(text).not.toMatch(/qsi-sso-/);
  await tab.close();
  // The join form with its sign-in button: no serious accessibility violation.
  await dash.bringToFront();
  await dash.screenshot({ path: screenshotPath('oidc-join-form') });
  expect(await axeSerious(dash)).toEqual([]);
});

test('a user of the admitted domain joins by signing in, with the role of their group, and syncs', async () => {
  const tab = await signIn('alice');
  await tab.getByRole('heading', { name: 'Signed in' }).waitFor();
  expect(await tab.locator('main').textContent()).toContain('Radiology QSI');
  const code = await tab.getByLabel('Sign-in code').inputValue();
  expect(code).toMatch(/^qsi-sso-[A-Za-z0-9_-]{32}$/);
  await tab.screenshot({ path: screenshotPath('oidc-signed-in') });
  expect(await axeSerious(tab)).toEqual([]);
  await tab.close();

  await dash.bringToFront();
  await dash.getByLabel('Invite code').fill(code);
  await dash.getByLabel('Device label (optional)').fill('Ward PC');
  await dash.getByRole('button', { name: 'Join team' }).click();
  await dash.getByRole('heading', { name: 'Radiology QSI' }).waitFor({ timeout: 15_000 });
  await expect
    .poll(async () => (await dash.locator('main .sync-status').first().textContent()) ?? '', {
      timeout: 15_000,
    })
    .toContain('Synced');
  const teamText = (await dash.locator('main').textContent()) ?? '';
  expect(teamText).toContain('Alice Radiographer');
  expect(teamText).toMatch(/editor/i);
  await dash.screenshot({ path: screenshotPath('oidc-joined') });

  // The same code a second time is refused by the server (one-time).
  const again = await fetch(`${serverUrl}/v1/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, code, displayName: 'x', deviceLabel: '' }),
  });
  expect(again.status).toBe(401);
});
