// Word documents end to end, in headless Chromium with the built extension: open a .docx from a
// demo intranet link (auto-open) and from a DMS download address, clip a passage across a list
// item boundary and one in a table cell, reopen them highlighted, publish the revision (one
// relocated, one lost), follow the evidence pack's link to the passage, and render hostile
// content as text.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { axeSerious } from './axe';
import { screenshotPath } from './chromium';
import { useExtensionAndSite } from './demo-site';
import { paintedHighlights, paintedTexts } from './page-helpers';

const env = useExtensionAndSite();
const POLICY = 'documents/contrast-administration-policy.docx';
const DMS = 'dms/download?doc=IMG-POL-022';

// From the second check's middle to the third's: across a list item boundary.
const LIST_FROM = 'previous reactions to contrast media';
const LIST_TO = 'Check the most recent kidney function';
const IN_CELL = 'Reduce by a third when eGFR is below 45';
// Reworded in the revision ("every two years"): relocated.
const REWORDED = 'complete anaphylaxis training every year. The emergency trolley is checked';
// Replaced in the revision: lost.
const DROPPED = 'the limb is elevated and the patient is given written advice';

const viewerUrl = (file: string, hash = '') =>
  `${env.browser.url('docx-viewer.html')}?file=${encodeURIComponent(env.site.url(file))}${hash}`;

async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('#article[data-ready="1"]', { timeout: 30_000 });
}

async function openViewer(file: string, hash = ''): Promise<Page> {
  const page = await env.browser.context.newPage();
  await page.goto(viewerUrl(file, hash));
  await waitReady(page);
  return page;
}

/** Selects from the start of `from` to the end of `to` (each inside one text node of the document). */
async function selectBetween(page: Page, from: string, to: string): Promise<void> {
  const ok = await page.evaluate(
    ([a = '', b = '']) => {
      const root = document.getElementById('article');
      if (!root) return false;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let sa: Text | null = null;
      let sb: Text | null = null;
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        if (!sa && n.data.includes(a)) sa = n;
        if (sa && n.data.includes(b)) {
          sb = n;
          break;
        }
      }
      if (!sa || !sb) return false;
      const range = document.createRange();
      range.setStart(sa, sa.data.indexOf(a));
      range.setEnd(sb, sb.data.indexOf(b) + b.length);
      sa.parentElement?.scrollIntoView({ block: 'center' });
      const sel = getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      return true;
    },
    [from, to],
  );
  if (!ok) throw new Error(`cannot select ${from} … ${to}`);
  await page.mouse.move(5, 5);
  await page.mouse.up();
}

async function clipSelection(page: Page, code: string): Promise<void> {
  await page.getByRole('button', { name: 'Clip as evidence' }).click();
  const dialog = page.getByRole('dialog', { name: 'Tag evidence' });
  await dialog.waitFor();
  await dialog.getByRole('searchbox').fill(code);
  await dialog.getByRole('checkbox').first().check();
  await dialog.getByRole('button', { name: 'Save clip' }).click();
  await dialog.waitFor({ state: 'detached' });
}

const statusLine = (page: Page) => page.locator('.status-line').textContent();

beforeAll(async () => {
  await fetch(env.site.url('__demo/edits?on=0'), { method: 'POST' });
});

describe('Word document viewer', () => {
  test('open from a demo link and a DMS address, clip across list items and in a table cell, reopen highlighted, revision relocates and loses, pack link lands on the passage', async () => {
    // 1. Auto-open on (the e2e build is granted the demo site): the intranet's link opens the viewer.
    await env.browser.worker.evaluate(() => chrome.storage.local.set({ docxAutoOpen: true }));
    const intranet = await env.browser.context.newPage();
    await intranet.goto(env.site.url('/'));
    await intranet.getByRole('link', { name: 'Contrast administration policy (Word)' }).click();
    await intranet.waitForURL(/docx-viewer\.html/, { timeout: 20_000 });
    const fromLink = intranet;
    await waitReady(fromLink);
    expect(decodeURIComponent(fromLink.url())).toContain(POLICY);
    expect(await fromLink.locator('.doc-title').textContent()).toBe('Contrast Administration Policy');
    await env.browser.worker.evaluate(() => chrome.storage.local.set({ docxAutoOpen: false }));

    // Semantic rendering: headings (with the contents list), list items, table cells, footnote.
    expect(await fromLink.locator('#article h1').first().textContent()).toBe(
      'Contrast Administration Policy',
    );
    expect(await fromLink.locator('#article ul > li').count()).toBe(4);
    expect(await fromLink.locator('#article td').filter({ hasText: IN_CELL }).count()).toBe(1);
    expect(await fromLink.locator('#article sup a[href^="#doc-footnote"]').count()).toBe(1);
    expect(
      await fromLink.getByRole('navigation', { name: 'Contents' }).getByRole('link').count(),
    ).toBeGreaterThan(5);
    // Metadata from the document-control table and the properties.
    expect(await fromLink.locator('.meta-line').textContent()).toContain('IMG-POL-022 · version 4.0');

    // 2. Clips: across two list items, inside a table cell, and two paragraphs the revision changes.
    const page = fromLink;
    await selectBetween(page, LIST_FROM, LIST_TO);
    await page.getByRole('button', { name: 'Clip as evidence' }).waitFor();
    await page.getByRole('button', { name: 'Clip as evidence' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag evidence' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByLabel('Document ID').inputValue()).toBe('IMG-POL-022');
    await expect.poll(() => dialog.getByLabel('Next review date').inputValue()).toBe('2028-03-31');
    await dialog.getByRole('searchbox').fill('DEMO-CL-01');
    await dialog.getByRole('checkbox').first().check();
    await dialog.getByRole('button', { name: 'Save clip' }).click();
    await dialog.waitFor({ state: 'detached' });
    await selectBetween(page, IN_CELL, IN_CELL);
    await clipSelection(page, 'DEMO-CL-02');
    await selectBetween(page, REWORDED, REWORDED);
    await clipSelection(page, 'DEMO-LM-01');
    await selectBetween(page, DROPPED, DROPPED);
    await clipSelection(page, 'DEMO-LM-02');
    await expect.poll(() => statusLine(page)).toContain('4 found, 0 moved or changed, 0 lost');

    const stored = await env.browser.worker.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('qsi-evidence-clipper');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const all = await new Promise<unknown[]>((resolve) => {
        const r = db.transaction('clips').objectStore('clips').getAll();
        r.onsuccess = () => resolve(r.result);
      });
      db.close();
      return all as { quote: string; selectors: { type: string; format?: string; fingerprint?: string }[] }[];
    });
    const list = stored.find((c) => c.quote.startsWith('previous reactions'));
    expect(list?.quote).toBe(
      'previous reactions to contrast media and record the answer.\nCheck the most recent kidney function',
    );
    const file = list?.selectors.find((s) => s.type === 'FileSelector');
    expect(file?.format).toBe('docx');
    expect(file?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.map((c) => c.quote)).toContain(IN_CELL);

    // 3. Reload: highlighted again.
    await page.reload();
    await waitReady(page);
    await expect.poll(() => statusLine(page)).toContain('4 found');
    const painted = (await paintedTexts(page)).join(' | ');
    expect(painted).toContain(IN_CELL);
    expect(painted).toContain('previous reactions to contrast media and record the answer.');
    expect(painted).toContain('Check the most recent kidney function');
    await page.locator('#article ul').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('docx-viewer-highlights') });
    expect(await axeSerious(page)).toEqual([]);

    // 4. The same file through the DMS download address (no extension) is the same document.
    const dms = await openViewer(DMS);
    await expect.poll(() => statusLine(dms)).toContain('4 found, 0 moved or changed, 0 lost');
    await dms.close();

    // 5. Publish the revision at the same address: the reworded passage relocates, the replaced
    // one is lost, the list passage (a new item above it) and the table cell are found.
    await fetch(env.site.url('__demo/edits?on=1'), { method: 'POST' });
    const revised = await openViewer(POLICY);
    expect(await revised.locator('.meta-line').textContent()).toContain('version 4.1');
    await expect.poll(() => statusLine(revised)).toContain('2 found, 1 moved or changed, 1 lost');
    await expect
      .poll(async () => (await paintedHighlights(revised))['qsi-evidence-relocated']?.join(' ') ?? '')
      .toContain('anaphylaxis training every two years');
    await revised.getByRole('button', { name: /Evidence on this page/ }).click();
    await revised.screenshot({ path: screenshotPath('docx-viewer-revised') });
    expect(await revised.locator('.panel-item.status-lost').textContent()).toContain(DROPPED);
    expect(await revised.locator('.panel-item.status-relocated').count()).toBe(1);
    // Its card shows what changed, word by word, as on web pages.
    await revised.locator('.panel-item.status-relocated button').first().click();
    const card = revised.getByRole('dialog', { name: 'Evidence details' });
    await expect.poll(async () => (await card.locator('ins').allTextContents()).join(' ')).toContain('two');
    expect((await card.locator('del').allTextContents()).join(' ')).toContain('year');
    await revised.screenshot({ path: screenshotPath('docx-viewer-diff') });
    await revised.close();
    await fetch(env.site.url('__demo/edits?on=0'), { method: 'POST' });

    // 6. The evidence pack links Word clips to the viewer at the passage, and to the file.
    const pack = await env.browser.context.newPage();
    await pack.goto(env.browser.url('evidence-pack.html'));
    const link = pack.locator('a[href*="docx-viewer.html"]').first();
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/#clip=/);
    expect(
      await pack
        .getByRole('link', { name: /The Word document/ })
        .first()
        .getAttribute('href'),
    ).toBe(env.site.url(POLICY));
    const landed = await env.browser.context.newPage();
    await landed.goto(href);
    await waitReady(landed);
    await expect
      .poll(async () => (await paintedHighlights(landed))['qsi-evidence-focus']?.join(' ') ?? '')
      .not.toBe('');
    await Promise.all([pack.close(), landed.close(), page.close()]);
  });

  test('find with Ctrl+F and the contents list', async () => {
    const page = await openViewer(POLICY);
    await page.locator('#document').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+f');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('find');
    await page.keyboard.type('extravasation');
    await expect.poll(() => page.locator('.find-count').textContent()).toBe('1 of 3');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.find-count').textContent()).toBe('2 of 3');
    const found = await page.evaluate(() => [...(CSS.highlights.get('qsi-pdf-find-current') ?? [])].length);
    expect(found).toBe(1);
    await page.getByRole('navigation', { name: 'Contents' }).getByRole('link', { name: '6. Audit' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('6. Audit');
    await page.close();
  });

  test('hostile content renders as text: no script, no unsafe link, no external image, a huge table', async () => {
    const page = await env.browser.context.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(viewerUrl('documents/hostile-content-test.docx'));
    await waitReady(page);
    const report = await page.evaluate(() => {
      const article = document.getElementById('article');
      return {
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
        scripts: article?.querySelectorAll('script, svg, iframe, object, embed, style').length ?? -1,
        imgs: article?.querySelectorAll('img').length ?? -1,
        handlers: [...(article?.querySelectorAll('*') ?? [])].filter((e) =>
          [...e.attributes].some((a) => a.name.startsWith('on')),
        ).length,
        hrefs: [...(article?.querySelectorAll('a[href]') ?? [])].map((a) => a.getAttribute('href')),
        text: article?.textContent ?? '',
        rows: article?.querySelectorAll('tr').length ?? 0,
      };
    });
    expect(report.pwned).toBeNull();
    expect(report.scripts).toBe(0);
    expect(report.imgs).toBe(0);
    expect(report.handlers).toBe(0);
    expect(report.hrefs).toEqual(['https://example.org/policy']);
    expect(report.text).toContain('<script>window.__pwned = 1</script>');
    expect(report.text).toContain('A javascript link');
    expect(report.rows).toBeGreaterThan(400);
    expect(requested.filter((u) => u.includes('127.0.0.1:9'))).toEqual([]);
    await page.close();
  });
});

describe('ways into the viewer, and a long document', () => {
  const tabIdOf = (url: string) =>
    env.browser.worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id ?? -1, url);

  test('the popup reports the Word viewer tab’s clips; the dashboard links Word clips to the viewer', async () => {
    const viewer = await openViewer(DMS);
    await expect.poll(() => statusLine(viewer)).toContain('4 found');
    const popup = await env.browser.context.newPage();
    await popup.setViewportSize({ width: 420, height: 600 });
    await popup.goto(env.browser.url(`popup.html?tab=${await tabIdOf(viewer.url())}`));
    const counts = popup.getByRole('list', { name: 'Clips in this Word document' });
    await expect.poll(() => counts.textContent()).toContain('4 found');
    await popup.screenshot({ path: screenshotPath('popup-docx-viewer') });

    const dash = await env.browser.context.newPage();
    await dash.goto(env.browser.url('dashboard.html'));
    const link = dash.locator('a[href*="docx-viewer.html"]').first();
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/\?file=http[^#]+#clip=[0-9a-f-]{36}$/);
    await Promise.all([popup.close(), dash.close(), viewer.close()]);
  });

  test('a 200-page document opens, finds and clips near its end', async () => {
    const t0 = Date.now();
    const page = await openViewer('documents/imaging-protocol-manual.docx');
    const openMs = Date.now() - t0;
    expect(await page.locator('#article > section').count()).toBeGreaterThan(200);
    const nav = page.getByRole('navigation', { name: 'Contents' });
    await nav.getByRole('link', { name: 'Section 250', exact: true }).click();
    // The last paragraph's opening words (its number makes them unique).
    const last = await page.evaluate(() => {
      const ps = [...document.querySelectorAll('#article p')];
      const text = ps[ps.length - 1]?.firstChild as Text | undefined;
      if (!text) return '';
      const words = text.data.split(' ').slice(0, 8).join(' ');
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, words.length);
      text.parentElement?.scrollIntoView({ block: 'center' });
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      return words;
    });
    await page.mouse.move(5, 5);
    await page.mouse.up();
    await clipSelection(page, 'DEMO-LM-03');
    await expect.poll(() => paintedTexts(page)).toContain(last);
    await page.keyboard.press('Control+f');
    await page.keyboard.type('pregnancy status');
    await expect.poll(() => page.locator('.find-count').textContent()).toMatch(/^1 of \d{3,4}$/);
    console.log(`[docx] 200-page manual opened in ${openMs} ms`);
    await page.close();
  });
});
