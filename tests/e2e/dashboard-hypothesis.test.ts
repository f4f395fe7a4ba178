// A Hypothesis export of the peer corpus page (tests/corpus/hypothesis-baselines, Hypothesis's own test data, BSD-2-Clause: LICENSE there) imported
// through the dashboard, then re-anchored and painted when the page is opened.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, screenshotPath } from './chromium';
import { paintedTexts, waitForContentScript } from './page-helpers';

const CORPUS = path.resolve('tests/corpus/hypothesis-baselines');
let browser: ExtensionBrowser;
let server: http.Server;
let origin = '';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-hyp-'));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const file = path.join(CORPUS, path.basename(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.endsWith('.html') || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a Hypothesis export imports and anchors on the peer corpus page', async () => {
  const url = `${origin}/wikipedia-regression-testing.html`;
  const raw = JSON.parse(fs.readFileSync(path.join(CORPUS, 'wikipedia-regression-testing.json'), 'utf8')) as {
    rows: {
      uri: string;
      tags?: string[];
      target: { source?: string; selector?: { type: string; exact?: string }[] }[];
    }[];
  };
  // The same annotations as if made on our copy of the page; one tagged with a demo criterion code.
  for (const row of raw.rows) {
    row.uri = url;
    for (const t of row.target) t.source = url;
  }
  const first = raw.rows[0];
  if (first) first.tags = ['DEMO-LM-03'];
  const quotes = raw.rows.flatMap((r) =>
    r.target.flatMap((t) =>
      (t.selector ?? []).filter((s) => s.type === 'TextQuoteSelector').map((s) => s.exact ?? ''),
    ),
  );
  const file = path.join(tmp, 'hypothesis-export.json');
  fs.writeFileSync(file, JSON.stringify(raw));

  const dash = await browser.context.newPage();
  await dash.goto(`${browser.url('dashboard.html')}#/export`);
  await dash.getByLabel('Annotation or backup file (.json, .jsonld)').setInputFiles(file);
  await expect.poll(() => dash.getByText('Hypothesis export', { exact: false }).count()).toBeGreaterThan(0);
  await dash.getByRole('button', { name: /^Import \d+ clips/ }).click();
  await expect.poll(() => dash.getByText(new RegExp(`${quotes.length} new clips`)).count()).toBe(1);
  await dash.goto(`${browser.url('dashboard.html')}#/library`);
  await dash.reload();
  await expect.poll(() => dash.locator('.clip-table tbody tr').count()).toBe(quotes.length);
  expect(await dash.locator('.code-chip', { hasText: 'DEMO-LM-03' }).count()).toBe(1);

  const page = await browser.context.newPage();
  await page.goto(url);
  await waitForContentScript(page);
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  await expect
    .poll(async () => (await paintedTexts(page)).length, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(quotes.length);
  const painted = (await paintedTexts(page)).map(norm);
  for (const q of quotes) expect(painted).toContain(norm(q));
  await page.screenshot({ path: screenshotPath('hypothesis-import-anchored') });
});
