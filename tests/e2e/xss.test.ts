// XSS corpus (docs/threat-model.md): every hostile payload in every displayed field — seeded through the
// extension's IndexedDB, imported from a framework file and typed through the page UI — rendered
// on every surface (page highlights, panel, card and dialog; popup; each dashboard view; evidence
// pack) and exported (CSV, XLSX, JSON-LD). Pass: the canary never fires, no payload becomes an
// element, every link is http(s) (or this extension's own page), and the payloads show as text.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docKey } from '../../shared/doc-key';
import type { Assessment, Clip } from '../../shared/schemas';
import { type SurfaceScan, scanSurface } from '../xss/detector';
import {
  ALL_PAYLOADS,
  FORMULA_START,
  HOSTILE_TEXTS,
  HOSTILE_URLS,
  LONG_PAYLOAD,
  MARK,
  VISIBLE_SAMPLES,
} from '../xss/payloads';
import { seed } from './dashboard-fixtures';
import { useExtensionAndSite } from './demo-site';
import { expectPainted, openingWords, selectText, waitForContentScript } from './page-helpers';

const env = useExtensionAndSite();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-xss-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FW = 'xss-fw';
const crit = (i: number) => `${FW}:XSS-${i}`;
const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');
const uuid = (i: number) => `${hex(i + 1, 8)}-0000-4000-8000-${hex(0xbad + i, 12)}`;
const NOW = '2026-11-01T10:00:00.000Z';
const ALL_NOTE = HOSTILE_TEXTS.join('\n');

/** Surfaces scanned and payload placements, for the closing figures. */
const tally = { surfaces: new Set<string>(), placements: 0 };

/** A framework whose every text field is a payload (imported through the dashboard's file input). */
function hostileFramework(): object {
  const perDomain = Math.ceil(HOSTILE_TEXTS.length / 4);
  return {
    format: 'qsi-evidence-clipper/framework@1',
    id: FW,
    name: `XSS corpus ${HOSTILE_TEXTS[1]}`,
    edition: HOSTILE_TEXTS[0],
    source: HOSTILE_TEXTS[2],
    notice: HOSTILE_TEXTS[4],
    domains: [0, 1, 2, 3].map((d) => ({
      id: `d${d}`,
      code: `D${d}`,
      title: `${HOSTILE_TEXTS[d] ?? ''} domain ${d}`,
      standards: [
        {
          id: `d${d}.s`,
          title: `${HOSTILE_TEXTS[d + 4] ?? ''} standard ${d}`,
          criteria: HOSTILE_TEXTS.slice(d * perDomain, (d + 1) * perDomain).map((t, k) => {
            const i = d * perDomain + k;
            return { id: crit(i), code: `XSS-${i}`, title: `${t} #${i}`, guidance: t };
          }),
        },
      ],
    })),
  };
}

function clip(i: number, over: Partial<Clip>): Clip {
  const url = over.url ?? `https://intranet.example-trust.nhs.uk/xss/${i}`;
  const quote = over.quote ?? `Quote ${i}`;
  return {
    id: uuid(i),
    url,
    docKey: docKey(url),
    title: `Title ${i}`,
    selectors: [{ type: 'TextQuoteSelector', exact: quote, prefix: '', suffix: '' }],
    quote,
    criteria: [crit(i % HOSTILE_TEXTS.length)],
    note: '',
    docMeta: {},
    createdBy: { id: `xss-author-${i}`, name: `Author ${i}` },
    createdAt: NOW,
    updatedAt: NOW,
    deleted: false,
    ...over,
  };
}

/** One clip per text payload (in quote, note, title, author, document id/owner/version), one per
 * hostile URL, and one 100 kB clip. */
function hostileClips(): Clip[] {
  const out: Clip[] = HOSTILE_TEXTS.map((t, i) =>
    clip(i, {
      quote: t,
      selectors: [{ type: 'TextQuoteSelector', exact: t, prefix: t, suffix: t }],
      note: t,
      title: t,
      createdBy: { id: `xss-author-${i}`, name: t },
      docMeta: { documentId: t, owner: t, version: t, reviewDue: i % 2 ? '2020-01-01' : '2099-01-01' },
      ...(i % 5 === 0 ? { anchor: { status: 'lost' as const, checkedAt: NOW } } : {}),
    }),
  );
  tally.placements += HOSTILE_TEXTS.length * 7;
  HOSTILE_URLS.forEach((u, j) => {
    out.push(clip(100 + j, { url: u, docKey: u, title: u, quote: `URL payload ${j}`, note: u }));
  });
  tally.placements += HOSTILE_URLS.length * 3;
  out.push(
    clip(200, {
      quote: LONG_PAYLOAD,
      note: LONG_PAYLOAD,
      title: LONG_PAYLOAD.slice(-2_000),
      createdBy: { id: 'xss-long', name: LONG_PAYLOAD.slice(-400) },
    }),
  );
  tally.placements += 4;
  return out;
}

function hostileAssessments(): Assessment[] {
  tally.placements += HOSTILE_TEXTS.length * 3;
  const ratings = ['red', 'amber', 'green', 'n/a'] as const;
  return HOSTILE_TEXTS.map((t, i) => ({
    criterionId: crit(i),
    rating: ratings[i % 4] ?? 'red',
    owner: t,
    action: t,
    comment: t,
    dueDate: '2027-01-31',
    updatedAt: NOW,
  }));
}

/** Scans a surface and asserts it is clean; with `visible`, waits until payload text shows. */
async function expectClean(target: Page | Frame, surface: string, visible = true): Promise<SurfaceScan> {
  let result = await scanSurface(target);
  if (visible) {
    const deadline = Date.now() + 10_000;
    while (!VISIBLE_SAMPLES.some((s) => result.text.includes(s)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      result = await scanSurface(target);
    }
  }
  expect(result.fired, `${surface}: the canary fired`).toBe(false);
  expect(result.injected, `${surface}: payload elements in the DOM`).toEqual([]);
  expect(result.badLinks, `${surface}: non-http(s) links`).toEqual([]);
  if (visible)
    expect(
      VISIBLE_SAMPLES.some((s) => result.text.includes(s)),
      `${surface}: payload not shown as text`,
    ).toBe(true);
  tally.surfaces.add(surface);
  return result;
}

let dash: Page;

beforeAll(async () => {
  dash = await env.browser.context.newPage();
  await dash.goto(`${env.browser.url('dashboard.html')}#/frameworks`);
  // Framework import file: every title, guidance and notice is a payload.
  const file = path.join(tmp, 'xss-framework.json');
  fs.writeFileSync(file, JSON.stringify(hostileFramework()));
  tally.placements += HOSTILE_TEXTS.length * 2 + 4 + 4 + 4;
  await dash.getByLabel('Criteria file (.json, .csv or .xlsx)').setInputFiles(file);
  await dash.getByRole('button', { name: 'Install', exact: true }).waitFor();
  await expectClean(dash, 'dashboard: framework import preview');
  await dash.getByRole('button', { name: 'Install', exact: true }).click();
  await dash
    .getByRole('heading', { name: /XSS corpus/ })
    .first()
    .waitFor();
  await seed(dash, { clips: hostileClips(), assessments: hostileAssessments(), active: FW });
  await dash.reload();
});

describe('negative controls: the detector catches a payload that does get through', () => {
  test('on a web page (no CSP) the canary fires and the element is found', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('index.html'));
    await page.evaluate(
      (html) => document.body.insertAdjacentHTML('beforeend', html),
      HOSTILE_TEXTS[1] ?? '',
    );
    await expect.poll(async () => (await scanSurface(page)).fired).toBe(true);
    const scan = await scanSurface(page);
    expect(scan.injected).toEqual(['img']);
    await page.close();
  });

  test('on an extension page (CSP blocks the handler) the element and the link are found', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.browser.url('dashboard.html'));
    await page.evaluate(
      (html) => document.body.insertAdjacentHTML('beforeend', html),
      `${HOSTILE_TEXTS[0]}${HOSTILE_TEXTS[12]}`,
    );
    const scan = await scanSurface(page);
    expect(scan.injected.sort()).toEqual(['a', 'script']);
    expect(scan.badLinks).toHaveLength(1);
    await page.close();
  });
});

describe('extension pages', () => {
  test('popup: coverage of the hostile framework', async () => {
    const popup = await env.browser.context.newPage();
    await popup.setViewportSize({ width: 420, height: 900 });
    await popup.goto(env.browser.url('popup.html'));
    await popup.locator('summary').first().waitFor();
    for (const s of await popup.locator('summary').all()) await s.click();
    await expectClean(popup, 'popup');
    await popup.close();
  });

  test('dashboard: every view', async () => {
    const views: [string, boolean][] = [
      ['library', true],
      ['criteria', true],
      [`criteria/${encodeURIComponent(crit(1))}`, true],
      ['gaps', true],
      ['frameworks', true],
      ['export', false],
      ['team', false],
      ['conflicts', false],
    ];
    for (const [hash, visible] of views) {
      await dash.goto(`${env.browser.url('dashboard.html')}#/${hash}`);
      await dash.locator('main h1, main h2').first().waitFor();
      await expectClean(
        dash,
        `dashboard: ${hash.split('/')[0]}${hash.includes('/') ? ' detail' : ''}`,
        visible,
      );
    }
    // The library's second page and its edit dialog (note and criteria picker).
    await dash.goto(`${env.browser.url('dashboard.html')}#/library`);
    await dash.getByLabel('Search evidence').fill('onerror');
    await dash
      .getByRole('button', { name: /^Edit clip/ })
      .first()
      .click();
    await dash.getByRole('dialog', { name: 'Edit clip' }).waitFor();
    await expectClean(dash, 'dashboard: edit dialog');
    await dash.keyboard.press('Escape');
  });

  test('evidence pack', async () => {
    const pack = await env.browser.context.newPage();
    await pack.goto(env.browser.url('evidence-pack.html'));
    await pack.waitForSelector('body[data-ready="true"]');
    const scan = await expectClean(pack, 'evidence pack');
    expect(scan.links).toBeGreaterThan(0);
    await pack.close();
  });
});

describe('exports', () => {
  async function download(click: () => Promise<void>): Promise<string> {
    const [d] = await Promise.all([dash.waitForEvent('download'), click()]);
    const file = path.join(tmp, d.suggestedFilename());
    await d.saveAs(file);
    return file;
  }

  test('CSV and XLSX neutralise formulas; JSON-LD keeps text and only http(s) targets', async () => {
    await dash.goto(`${env.browser.url('dashboard.html')}#/export`);
    await dash.getByRole('button', { name: 'Download CSV' }).waitFor();

    const csv = fs.readFileSync(
      await download(() => dash.getByRole('button', { name: 'Download CSV' }).click()),
      'utf8',
    );
    const cells = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data.flat();
    expect(cells.length).toBeGreaterThan(HOSTILE_TEXTS.length);
    expect(cells.filter((c) => FORMULA_START.test(c))).toEqual([]);
    expect(cells.some((c) => c.includes(`<script ${MARK}>`))).toBe(true);

    const xlsx = await download(() => dash.getByRole('button', { name: 'Download XLSX' }).click());
    const xml = execFileSync('unzip', ['-p', xlsx, 'xl/*.xml'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(xml).not.toMatch(/<f[\s>]/);
    const texts = [...xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((m) =>
      (m[1] ?? '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&#(\d+);/g, (_s, n: string) => String.fromCharCode(Number(n)))
        .replace(/&#x([0-9a-f]+);/gi, (_s, n: string) => String.fromCharCode(Number.parseInt(n, 16)))
        .replace(/&amp;/g, '&'),
    );
    expect(texts.length).toBeGreaterThan(HOSTILE_TEXTS.length);
    expect(texts.filter((t) => FORMULA_START.test(t))).toEqual([]);

    const jsonld = JSON.parse(
      fs.readFileSync(
        await download(() => dash.getByRole('button', { name: 'Download JSON-LD' }).click()),
        'utf8',
      ),
    ) as { first: { items: { target: { source: string } }[] } };
    const sources = jsonld.first.items.map((a) => a.target.source);
    expect(sources.length).toBeGreaterThan(HOSTILE_TEXTS.length);
    expect(sources.filter((s) => !/^https?:\/\//i.test(s))).toEqual([]);
    expect(JSON.stringify(jsonld)).toContain(JSON.stringify(HOSTILE_TEXTS[0]).slice(1, -1));

    // Import file: the exported JSON-LD into an emptied library, previewed, applied, shown.
    // (Less the 100 kB clip: only a tampered database holds one; the importer refuses over-long fields.)
    const file = path.join(tmp, 'xss-export.jsonld');
    const items = jsonld.first.items.filter((a) => !JSON.stringify(a).includes('Long evidence text.'));
    fs.writeFileSync(
      file,
      JSON.stringify({ ...jsonld, total: items.length, first: { ...jsonld.first, items } }),
    );
    await dash.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.open('qsi-evidence-clipper');
          req.onsuccess = () => {
            const tx = req.result.transaction('clips', 'readwrite');
            tx.objectStore('clips').clear();
            tx.oncomplete = () => {
              req.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await dash.getByLabel('Annotation or backup file (.json, .jsonld)').setInputFiles(file);
    await dash.getByRole('button', { name: /^Import \d+ clips/ }).waitFor();
    await expectClean(dash, 'dashboard: import preview', false);
    await dash.getByRole('button', { name: /^Import \d+ clips/ }).click();
    await expect.poll(() => dash.getByText(/new clips/).count()).toBe(1);
    await dash.goto(`${env.browser.url('dashboard.html')}#/library`);
    await expectClean(dash, 'dashboard: library after JSON-LD import');
  });
});

describe('the page: highlights, panel, card and tag dialog', () => {
  test('seeded and page-UI clips with hostile notes, names and criterion titles', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('equipment-qa.html'));
    await waitForContentScript(page);
    const [q0, q1, q2] = [
      await openingWords(page, 0, 70),
      await openingWords(page, 1, 70),
      await openingWords(page, 2, 70),
    ];
    const url = page.url();
    await seed(dash, {
      clips: [q0, q1].map((q, k) =>
        clip(300 + k, {
          url,
          quote: q,
          title: HOSTILE_TEXTS[k] ?? '',
          note: ALL_NOTE,
          criteria: [crit(1), crit(2), crit(3)],
          createdBy: { id: `xss-page-${k}`, name: HOSTILE_TEXTS[k + 1] ?? '' },
        }),
      ),
    });
    tally.placements += HOSTILE_TEXTS.length * 2 + 4;
    await page.reload();
    await waitForContentScript(page);
    await expectPainted(page, q0);
    await expectClean(page, 'page: highlights', false);

    const panel = page.getByRole('region', { name: 'Evidence on this page' });
    await panel.getByRole('button', { name: /Evidence on this page/ }).click();
    await expectClean(page, 'page: evidence panel', false);
    await panel.locator('.panel-clip').first().click();
    const card = page.getByRole('dialog', { name: 'Evidence details' });
    await card.waitFor();
    await expectClean(page, 'page: evidence card');
    await card.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag evidence' });
    await dialog.waitFor();
    await expectClean(page, 'page: tag dialog (edit)');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Through the page UI: search the hostile criteria, tick one, type every payload as the note.
    await selectText(page, q2);
    await page.getByRole('button', { name: 'Clip as evidence' }).click();
    await dialog.waitFor();
    await dialog.getByRole('searchbox').fill('XSS-1');
    await dialog.getByRole('checkbox').first().check();
    await dialog.getByLabel('Note').fill(ALL_NOTE);
    tally.placements += HOSTILE_TEXTS.length;
    await expectClean(page, 'page: tag dialog (new clip)');
    await dialog.getByRole('button', { name: 'Save clip' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectPainted(page, q2);
    await page.reload();
    await waitForContentScript(page);
    await expectPainted(page, q2);
    await expectClean(page, 'page: after reload', false);

    // The popup's "This page" section for this tab.
    const tabId = await env.browser.worker.evaluate(
      async (u) => (await chrome.tabs.query({ url: u }))[0]?.id ?? -1,
      url,
    );
    const popup = await env.browser.context.newPage();
    await popup.goto(env.browser.url(`popup.html?tab=${tabId}`));
    await popup.getByRole('list', { name: 'Clips on this page' }).waitFor();
    await expectClean(popup, 'popup: this page', false);
    await popup.close();
    await page.close();
    console.log(
      `[xss] ${ALL_PAYLOADS.length} payloads, ${tally.placements} field placements, ${tally.surfaces.size} surfaces clean: ${[...tally.surfaces].join('; ')}`,
    );
  });
});
