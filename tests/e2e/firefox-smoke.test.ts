// Firefox smoke test (README, "Firefox"): the Firefox MV2 build in Debian firefox-esr, installed as a
// temporary add-on: the content script starts on a granted intranet page, a passage is clipped
// through the page UI (tag dialog, criterion, save) and is highlighted again after a reload; a
// link to a Word document on that intranet opens in the extension's Word viewer.
// What cannot be automated in Firefox is listed in the README ("Firefox").
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type DemoSite, startDemoSite } from './demo-site';
import { FIREFOX_EXTENSION_UUID, type FirefoxWithExtension, launchFirefoxWithExtension } from './firefox';

let ff: FirefoxWithExtension;
let site: DemoSite;

beforeAll(async () => {
  site = await startDemoSite();
  ff = await launchFirefoxWithExtension();
});
afterAll(async () => {
  await ff?.close();
  await site?.close();
});

const PASSAGE =
  'In these cases the operator must use at least two independent sources and record which sources were used.';

/** Texts painted under our CSS Custom Highlight names, read from the page's world. */
const painted = (page: Page) =>
  page.evaluate(() =>
    [...CSS.highlights]
      .filter(([name]) => name.startsWith('qsi-evidence'))
      .flatMap(([, hl]) => [...hl].map((r) => r.toString().replace(/\s+/g, ' ').trim())),
  );

async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    last = await probe();
  }
  if (!ok(last)) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
  return last;
}

/**
 * Acts on the element of our shadow UI matching `selector` whose text matches `text` (or its
 * `inner` element) as the user would: a real mouse click at its centre, then typing for `fill:`.
 * Script-made events would be refused: the UI acts only on trusted input. (The e2e build opens the
 * shadow root so the page's world can find the element; release builds close it.)
 */
async function inUi(
  page: Page,
  selector: string,
  text: string,
  action: 'click' | `fill:${string}`,
  inner?: string,
) {
  const at = await page.evaluate(
    (sel, txt, innerSel) => {
      const root = document.querySelector('qsi-evidence-clipper')?.shadowRoot;
      const found = [...(root?.querySelectorAll<HTMLElement>(sel) ?? [])].find((e) =>
        (e.textContent ?? e.getAttribute('aria-label') ?? '').includes(txt),
      );
      const el = innerSel ? found?.querySelector(innerSel) : found;
      if (!el) return null;
      el.scrollIntoView({ block: 'center' });
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    },
    selector,
    text,
    inner ?? '',
  );
  if (!at) throw new Error(`no ${selector} "${text}" in the extension UI`);
  await page.mouse.click(at.x, at.y);
  if (action.startsWith('fill:')) await page.keyboard.type(action.slice(5));
}

test('clips a passage in firefox-esr and highlights it again after a reload', async () => {
  const page = await ff.browser.newPage();
  await page.goto(site.url('patient-identification.html'));
  await page.waitForSelector('qsi-evidence-clipper', { timeout: 20_000 });

  // Select the passage programmatically (Firefox's mouse.down would collapse it), then a real
  // key (Shift, which moves nothing): the user's keyup makes the background inject the clip UI's
  // view (a selection change alone does not: a page's script can make one), which shows the button.
  await page.evaluate((needle) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n.nodeValue ?? '').indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + needle.length);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      n.parentElement?.scrollIntoView({ block: 'center' });
      return;
    }
    throw new Error('passage not on the page');
  }, PASSAGE);
  await page.keyboard.press('Shift');

  await waitFor(
    'the clip button',
    () =>
      inUi(page, 'button', 'Clip as evidence', 'click').then(
        () => true,
        () => false,
      ),
    Boolean,
  );
  await waitFor(
    'the tag dialog',
    () =>
      page.evaluate(
        () => !!document.querySelector('qsi-evidence-clipper')?.shadowRoot?.querySelector('[role="dialog"]'),
      ),
    Boolean,
  );
  await inUi(page, 'input[type="search"]', '', 'fill:DEMO-CL-01');
  await waitFor(
    'a criterion checkbox',
    () =>
      inUi(page, 'label.result', 'DEMO-CL-01', 'click', 'input').then(
        () => true,
        () => false,
      ),
    Boolean,
  );
  await inUi(page, 'button', 'Save clip', 'click');
  await waitFor(
    'the highlight',
    () => painted(page),
    (t) => t.includes(PASSAGE),
  );

  await page.reload();
  await page.waitForSelector('qsi-evidence-clipper', { timeout: 20_000 });
  expect(
    await waitFor(
      'the highlight after reload',
      () => painted(page),
      (t) => t.includes(PASSAGE),
    ),
  ).toEqual([PASSAGE]);
  await page.close();
});

test('opens a Word document from an intranet link in the extension’s viewer', async () => {
  // The Firefox e2e build starts with Word auto-open on: the click goes to the viewer, not a download.
  const page = await ff.browser.newPage();
  await page.goto(site.url('/'));
  await page.waitForSelector('qsi-evidence-clipper', { timeout: 20_000 });
  await page.click('a[href="documents/contrast-administration-policy.docx"]');
  const viewer = `moz-extension://${FIREFOX_EXTENSION_UUID}/docx-viewer.html?file=`;
  // The driver does not follow an extension's own navigation of the tab: ask the document.
  await waitFor(
    'the Word viewer',
    () => page.evaluate(() => location.href).catch(() => ''),
    (u) => u.startsWith(viewer),
  );
  await page.waitForSelector('#article[data-ready="1"]', { timeout: 30_000 });
  expect(await page.$eval('.doc-title', (e) => e.textContent)).toBe('Contrast Administration Policy');
  expect(await page.$$eval('#article ul > li', (els) => els.length)).toBe(4);
  expect(await page.$eval('.status-line', (e) => e.textContent)).toContain('No evidence clipped');
  await page.close();
});
