// XSS corpus, team path (docs/threat-model.md): hostile text that arrives through sync from a colleague —
// a team name, member display names, and a clip pushed by another member — is shown as text in
// the team view and the library, never run (see xss.test.ts for the detector). Also: the device
// token this install receives is not in storage.local, which content scripts can read.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { docKey } from '../../shared/doc-key';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/protocol';
import { makeClip } from '../server/helpers';
import { scanSurface } from '../xss/detector';
import { HOSTILE_TEXTS, HOSTILE_URLS, VISIBLE_SAMPLES } from '../xss/payloads';
import { useExtensionAndSite } from './demo-site';
import { createTeam, type SyncServer, startSyncServer } from './sync-server';

const env = useExtensionAndSite();
let server: SyncServer;
beforeAll(async () => {
  server = await startSyncServer();
});
afterAll(async () => {
  await server?.close();
});

const [SCRIPT = '', IMG = '', SVG = ''] = HOSTILE_TEXTS;

async function expectClean(target: Parameters<typeof scanSurface>[0], surface: string) {
  let scan = await scanSurface(target);
  const deadline = Date.now() + 15_000;
  while (!VISIBLE_SAMPLES.some((s) => scan.text.includes(s)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    scan = await scanSurface(target);
  }
  expect(scan.fired, `${surface}: canary`).toBe(false);
  expect(scan.injected, `${surface}: payload elements`).toEqual([]);
  expect(scan.badLinks, `${surface}: links`).toEqual([]);
  expect(
    VISIBLE_SAMPLES.some((s) => scan.text.includes(s)),
    `${surface}: shown as text`,
  ).toBe(true);
}

test('a hostile team name, member names and a colleague’s clip render as text', async () => {
  const team = await createTeam(server, `Team ${IMG}`);
  // A colleague joins over the API with a hostile name and pushes a hostile clip.
  const hdr = (token?: string) => ({
    'content-type': 'application/json',
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });
  const joined = await fetch(`${server.url}/v1/join`, {
    method: 'POST',
    headers: hdr(),
    body: JSON.stringify({
      protocolVersion: PROTOCOL_VERSION,
      code: team.editorCode,
      displayName: SVG,
      deviceLabel: SCRIPT.slice(0, 200),
    }),
  });
  expect(joined.status).toBe(201);
  const { token } = (await joined.json()) as { token: string };
  const url = `https://intranet.example-trust.nhs.uk/p?q=${encodeURIComponent(HOSTILE_URLS[0] ?? '')}`;
  const clip = makeClip({
    title: IMG,
    note: HOSTILE_TEXTS.slice(0, 20).join('\n'),
    quote: SCRIPT,
    selectors: [{ type: 'TextQuoteSelector', exact: SCRIPT }],
    url,
    docKey: docKey(url), // the server refuses a clip whose docKey is not its url normalised
  });
  const pushed = await fetch(`${server.url}/v1/push`, {
    method: 'POST',
    headers: hdr(token),
    body: JSON.stringify({
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'xss-colleague',
      mutations: [{ mutationId: 1, type: 'clip.create', clip }],
    }),
  });
  expect(pushed.status).toBe(200);
  expect(((await pushed.json()) as { results: { status: string }[] }).results[0]?.status).toBe('applied');

  // This install joins as the admin, also with a hostile name.
  const dash = await env.browser.context.newPage();
  await dash.goto(`${env.browser.url('dashboard.html')}#/team`);
  await dash.getByLabel('Server address').fill(server.url);
  await dash.getByLabel('Invite code').fill(team.adminCode);
  await dash.getByLabel('Your name').fill(SCRIPT.slice(0, 200));
  await dash.getByRole('button', { name: 'Join team' }).click();
  await dash.getByText('Synced').first().waitFor({ timeout: 20_000 });
  await expectClean(dash, 'dashboard: team');
  // The device token is where content scripts cannot read it (not in storage.local).
  const local = await env.browser.worker.evaluate(() => chrome.storage.local.get(null));
  expect(JSON.stringify(local)).not.toMatch(/qsi_|token/i);

  // The colleague's clip arrives by sync: library row and author filter.
  await dash.goto(`${env.browser.url('dashboard.html')}#/library`);
  await expect.poll(() => dash.locator('.clip-table tbody tr').count(), { timeout: 20_000 }).toBe(1);
  await expectClean(dash, 'dashboard: library (synced clip)');
  const author = await dash.getByLabel('Author').textContent();
  expect(author).toContain(SVG.trim());
  await dash.close();
});
