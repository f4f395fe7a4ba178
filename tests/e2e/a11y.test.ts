// Accessibility (WCAG 2.2 AA): axe on the page's tag dialog and evidence card (the extension pages
// are covered in dashboard.test.ts), a keyboard-only walkthrough of the dialog, panel, card, popup
// and dashboard (Tab, Shift+Tab, Enter, Space, Escape only), a visible focus indicator on every
// control reached by Tab, and RAG status carried by a word, not only by colour.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { axeSerious as axeSeriousIn } from './axe';
import { useExtensionAndSite } from './demo-site';
import { expectPainted, openingWords, paintedTexts, selectText, waitForContentScript } from './page-helpers';

const env = useExtensionAndSite();
const figures = { axeRuns: 0, violations: 0, focusChecks: 0 };

/** axe, counted for the closing figures. */
async function axeSerious(p: Page, within?: string): Promise<string[]> {
  figures.axeRuns++;
  const bad = await axeSeriousIn(p, within);
  figures.violations += bad.length;
  return bad;
}

interface Focused {
  tag: string;
  name: string;
  visible: boolean;
  /** In our UI: an extension page, or the content script's shadow root (not the host page's own controls). */
  ours: boolean;
}

/** The deepest focused element (through shadow roots) and whether its focus is visible. */
async function focused(p: Page): Promise<Focused> {
  return p.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return { tag: 'body', name: '', visible: false, ours: false };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && Number.parseFloat(cs.outlineWidth) >= 2;
    const ring = cs.boxShadow !== 'none' && cs.boxShadow !== '';
    const name =
      (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40) ||
      el.outerHTML.slice(0, 80);
    // A date input's calendar button lives in the browser's own shadow tree (the input is then
    // active but not :focus) and draws the browser's focus ring: not ours to style.
    const ours =
      el.matches(':focus') && (location.protocol.endsWith('-extension:') || el.getRootNode() !== document);
    return { tag: el.tagName.toLowerCase(), name, visible: outline || ring, ours };
  });
}

/** Presses Tab until `match` is focused (at most `max` presses); every stop must show its focus. */
async function tabTo(p: Page, match: (f: Focused) => boolean, max = 40, key = 'Tab'): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press(key);
    const f = await focused(p);
    if (f.ours) {
      figures.focusChecks++;
      expect(f.visible, `focus not visible on <${f.tag}> "${f.name}"`).toBe(true);
    }
    if (match(f)) return f;
  }
  throw new Error(`never reached the control after ${max} × ${key}`);
}

describe('the page UI by keyboard', () => {
  test('tag dialog, evidence panel and card: keyboard only, visible focus, no serious axe violation', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('mri-safety.html'));
    await waitForContentScript(page);
    const text = await openingWords(page, 0, 70);
    await selectText(page, text);
    // Alt+Shift+E (a browser command, which headless Chromium cannot press) sends this message.
    await env.browser.worker.evaluate(async (url) => {
      const [tab] = await chrome.tabs.query({ url });
      if (tab?.id) await chrome.tabs.sendMessage(tab.id, { type: 'clipSelection' });
    }, page.url());
    const dialog = page.getByRole('dialog', { name: 'Tag evidence' });
    await dialog.waitFor();
    expect(await axeSerious(page, 'qsi-evidence-clipper')).toEqual([]);

    // The dialog opens on its search box.
    await expect.poll(async () => (await focused(page)).tag).toBe('input');
    await page.keyboard.type('DEMO-CL-05');
    await tabTo(page, (f) => f.name.includes('checkbox'), 5);
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.tag === 'textarea', 10);
    await page.keyboard.type('Typed with the keyboard only.');
    await tabTo(page, (f) => f.name === 'Save clip', 20);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expectPainted(page, text);

    // Escape closes the dialog without saving.
    await selectText(page, await openingWords(page, 1, 60));
    await page.getByRole('button', { name: 'Clip as evidence' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await paintedTexts(page)).toEqual([text]);

    // Panel → clip → card, then Escape.
    await page.getByRole('button', { name: /Evidence on this page: 1/ }).focus();
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.name.startsWith('Found'), 5);
    await page.keyboard.press('Enter');
    const card = page.getByRole('dialog', { name: 'Evidence details' });
    await card.waitFor();
    expect(await axeSerious(page, 'qsi-evidence-clipper')).toEqual([]);
    // The card takes the focus on its first action; Tab walks its actions.
    await expect.poll(async () => (await focused(page)).name).toBe('Edit');
    await tabTo(page, (f) => f.name === 'Delete', 3);
    await tabTo(page, (f) => f.name === 'Close', 3);
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    await page.close();
  });
});

describe('extension pages by keyboard', () => {
  test('popup: expand a domain and open the dashboard with Enter; RAG shown as words', async () => {
    const popup = await env.browser.context.newPage();
    await popup.setViewportSize({ width: 420, height: 800 });
    await popup.goto(env.browser.url('popup.html'));
    await popup.locator('summary').first().waitFor();
    const summary = await tabTo(popup, (f) => f.tag === 'summary');
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.locator('details[open]').count()).toBe(1);
    // Every RAG badge carries a word, not only a colour.
    const badges = await popup.locator('.rag').allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    for (const b of badges) expect(b).toMatch(/\b(Red|Amber|Green|N\/A)\b/);
    expect(summary.visible).toBe(true);
    const [dashboard] = await Promise.all([
      env.browser.context.waitForEvent('page'),
      tabTo(popup, (f) => /dashboard/i.test(f.name), 80).then(() => popup.keyboard.press('Enter')),
    ]);
    await dashboard.waitForURL(/dashboard\.html/);
    await dashboard.close();
    await popup.close();
  });

  test('dashboard: skip link, section navigation and a form by keyboard, focus always visible', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(`${env.browser.url('dashboard.html')}#/library`);
    await page.getByRole('navigation').first().waitFor();
    // Each section opens with the focus on its main region.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Back into the navigation with Shift+Tab, then Enter on "Criteria".
    await tabTo(page, (f) => f.tag === 'a' && f.name === 'Criteria', 30, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/#\/criteria/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    // The skip link is the first stop of the page and is shown when focused.
    const skip = await tabTo(page, (f) => /skip to content/i.test(f.name), 40, 'Shift+Tab');
    expect(skip.visible).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    // RAG in the criteria list: words beside the colours.
    const rag = await page.locator('.rag').allTextContents();
    expect(rag.length).toBeGreaterThan(0);
    for (const r of rag) expect(r).toMatch(/\b(Red|Amber|Green|N\/A)\b/);
    // Walk the first 40 tab stops of the page: each one shows its focus.
    for (let i = 0; i < 40; i++) await tabTo(page, () => true, 1);
    await page.close();
  });

  test('evidence pack: links reachable by Tab with visible focus', async () => {
    const pack = await env.browser.context.newPage();
    await pack.goto(env.browser.url('evidence-pack.html'));
    await pack.waitForSelector('body[data-ready="true"]');
    for (let i = 0; i < 10; i++) await tabTo(pack, () => true, 1);
    expect(await axeSerious(pack)).toEqual([]);
    await pack.close();
    console.log(
      `[a11y] ${figures.axeRuns} axe runs, ${figures.violations} serious/critical violations, ${figures.focusChecks} focus stops checked`,
    );
  });
});
