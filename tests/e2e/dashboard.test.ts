// Dashboard end to end in headless Chromium: coverage matches the seeded clips, library search
// and filters, keyboard-only editing with undo, assessments persist, framework import, exports
// and imports round-trip, the evidence pack prints, and axe finds no serious violations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { computeCoverage } from '../../shared/coverage';
import { demoFramework } from '../../shared/frameworks/demo';
import type { Assessment, Clip } from '../../shared/schemas';
import { axeSerious } from './axe';
import { type ExtensionBrowser, launchWithExtension, screenshotPath } from './chromium';
import { clearData, demoAssessments, demoClips, readStore, seed } from './dashboard-fixtures';

const TODAY = new Date().toISOString().slice(0, 10);

let browser: ExtensionBrowser;
let page: Page;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-dash-'));

beforeAll(async () => {
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(browser.url('dashboard.html'));
  await seed(page, { clips: demoClips(), assessments: demoAssessments() });
  await page.reload();
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('popup coverage matches the seeded clips', async () => {
  const expected = computeCoverage({
    framework: demoFramework,
    clips: demoClips(),
    assessments: demoAssessments(),
    today: TODAY,
  });
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 420, height: 900 });
  await popup.goto(browser.url('popup.html'));
  const t = expected.tally;
  const pct = Math.round((t.covered / t.applicable) * 100);
  await expect
    .poll(() => popup.getByText(`${t.covered} of ${t.applicable} criteria evidenced (${pct}%)`).count())
    .toBe(1);
  for (const d of expected.domains) {
    const summary = popup.locator('summary', { hasText: d.title });
    expect(await summary.locator('.count').first().textContent()).toContain(
      `${d.tally.covered}/${d.tally.applicable}`,
    );
  }
  // Stale evidence is marked.
  await popup.locator('summary', { hasText: 'Leadership' }).click();
  await expect.poll(() => popup.getByText('(1 stale)').count()).toBeGreaterThan(0);
  expect(await axeSerious(popup)).toEqual([]);
  await popup.screenshot({ path: screenshotPath('popup-seeded'), fullPage: true });
  await popup.close();
});

test('library: search, filters and a screenshot', async () => {
  await page.goto(`${browser.url('dashboard.html')}#/library`);
  await expect.poll(() => page.getByText('10 clips', { exact: true }).count()).toBe(1);
  await page.screenshot({ path: screenshotPath('dashboard-library'), fullPage: false });
  await page.getByLabel('Search evidence').fill('chaperon');
  await expect.poll(() => page.locator('.clip-table tbody tr').count()).toBe(1);
  await page.getByLabel('Search evidence').fill('');
  await page.getByLabel('Status').selectOption('lost');
  await expect.poll(() => page.locator('.clip-table tbody tr').count()).toBe(1);
  expect(
    await page
      .locator('.clip-table blockquote', { hasText: 'Individuals of childbearing potential' })
      .count(),
  ).toBe(1);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Author').selectOption('Grace Lee');
  await expect.poll(() => page.locator('.clip-table tbody tr').count()).toBe(3);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  // Responsive down to 1024 px: nothing overflows horizontally.
  await page.setViewportSize({ width: 1024, height: 768 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  await page.screenshot({ path: screenshotPath('dashboard-library-1024') });
  await page.setViewportSize({ width: 1280, height: 800 });
  // The formula-looking note is shown as text.
  expect(
    await page.getByText('=HYPERLINK("http://evil.example") test note that must stay text').count(),
  ).toBe(1);
  // Source links carry a text fragment.
  const href = await page.locator('.clip-table a', { hasText: 'Open source' }).first().getAttribute('href');
  expect(href).toMatch(/^https:\/\/.+#:~:text=/);
  expect(await axeSerious(page)).toEqual([]);
});

test('keyboard only: edit tags and note, bulk delete, undo', async () => {
  await page.goto(`${browser.url('dashboard.html')}#/library`);
  await page.getByLabel('Search evidence').fill('training');
  await expect.poll(() => page.locator('.clip-table tbody tr').count()).toBe(1);
  // Tab from the search box to the row's Edit button.
  const edit = page.getByRole('button', { name: /^Edit clip/ });
  for (let i = 0; i < 10 && !(await edit.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  expect(await edit.evaluate((el) => el === document.activeElement)).toBe(true);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Edit clip' });
  await expect.poll(() => dialog.isVisible()).toBe(true);
  await page.getByLabel('Find criterion by code or words').focus();
  await page.keyboard.type('DEMO-FR-04');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.getByLabel('Note').focus();
  await page.keyboard.type('Linked to the training needs analysis.');
  await page.screenshot({ path: screenshotPath('dashboard-edit-dialog') });
  await page.getByRole('button', { name: 'Save changes' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => dialog.count()).toBe(0);
  const clips = await readStore<Clip>(page, 'clips');
  const edited = clips.find((c) => c.quote.includes('mandatory training'));
  expect(edited?.criteria).toEqual(['demo:DEMO-FR-04']);
  expect(edited?.note).toBe('Linked to the training needs analysis.');

  // Bulk: select two Grace Lee clips with the keyboard and delete, then undo.
  await page.getByLabel('Search evidence').fill('');
  await page.getByLabel('Author').selectOption('Grace Lee');
  await expect.poll(() => page.locator('.clip-table tbody tr').count()).toBe(3);
  await page.getByRole('checkbox', { name: 'Select all shown clips' }).focus();
  await page.keyboard.press('Space');
  await expect.poll(() => page.getByText('3 selected').count()).toBe(1);
  await page.screenshot({ path: screenshotPath('dashboard-bulk') });
  await page.getByRole('button', { name: 'Delete selected' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByText('Deleted 3 clips').count()).toBe(1);
  expect((await readStore<Clip>(page, 'clips')).filter((c) => c.deleted).length).toBe(3);
  await page.getByRole('button', { name: 'Undo' }).focus();
  await page.keyboard.press('Enter');
  await expect
    .poll(async () => (await readStore<Clip>(page, 'clips')).filter((c) => c.deleted).length)
    .toBe(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();
});

test('criteria: assessment edits persist; gaps view', async () => {
  await page.goto(`${browser.url('dashboard.html')}#/criteria/${encodeURIComponent('demo:DEMO-LM-03')}`);
  await expect.poll(() => page.getByRole('heading', { name: /DEMO-LM-03/ }).count()).toBe(1);
  await page.getByLabel('Rating').selectOption('amber');
  await page.getByLabel('Owner').fill('Tom Okafor');
  await page.getByLabel('Due date').fill('2027-02-28');
  await page.getByLabel('Action').fill('Re-issue the audit programme with a new review date.');
  await page.getByRole('button', { name: 'Save assessment' }).click();
  await expect.poll(() => page.getByText(/^Saved at/).count()).toBe(1);
  await page.screenshot({ path: screenshotPath('dashboard-criteria'), fullPage: false });
  await page.reload();
  await expect.poll(() => page.getByLabel('Owner').inputValue()).toBe('Tom Okafor');
  expect(await page.getByLabel('Rating').inputValue()).toBe('amber');
  expect(await page.getByLabel('Due date').inputValue()).toBe('2027-02-28');
  const stored = (await readStore<Assessment>(page, 'assessments')).find(
    (a) => a.criterionId === 'demo:DEMO-LM-03',
  );
  expect(stored).toMatchObject({ rating: 'amber', owner: 'Tom Okafor', dueDate: '2027-02-28' });
  expect(await axeSerious(page)).toEqual([]);

  await page.goto(`${browser.url('dashboard.html')}#/gaps`);
  await expect.poll(() => page.getByRole('heading', { name: 'Stale evidence', exact: true }).count()).toBe(1);
  expect(await page.getByText('review was due 2025-03-31').count()).toBe(1);
  await page.screenshot({ path: screenshotPath('dashboard-gaps'), fullPage: false });
  expect(await axeSerious(page)).toEqual([]);
});

test('frameworks: CSV import with mapping preview and bad-row report', async () => {
  await page.goto(`${browser.url('dashboard.html')}#/frameworks`);
  const csv = path.join(tmp, 'local-criteria.csv');
  fs.writeFileSync(
    csv,
    'Domain,Standard,Ref,Criterion,Notes\r\nSafety,Radiation,LOC-01,Local rules are displayed in every room,\r\nSafety,Radiation,LOC-02,Dosimetry results are reviewed monthly,\r\nSafety,Radiation,,Missing code row,\r\nPeople,Training,LOC-03,New starters complete induction within 4 weeks,See HR policy\r\n',
  );
  await page.getByLabel('Criteria file (.json, .csv or .xlsx)').setInputFiles(csv);
  await expect.poll(() => page.getByText(/3 of 4 rows make criteria/).count()).toBe(1);
  await page.screenshot({ path: screenshotPath('dashboard-frameworks-import'), fullPage: true });
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'local-criteria' }).count()).toBe(1);
  await page.screenshot({ path: screenshotPath('dashboard-frameworks'), fullPage: false });
  expect(await axeSerious(page)).toEqual([]);
});

async function download(p: Page, click: () => Promise<void>): Promise<string> {
  const [d] = await Promise.all([p.waitForEvent('download'), click()]);
  const file = path.join(tmp, d.suggestedFilename());
  await d.saveAs(file);
  return file;
}

test('export → import round trips give identical data; malformed files change nothing', async () => {
  await page.goto(`${browser.url('dashboard.html')}#/export`);
  await expect.poll(() => page.getByRole('button', { name: 'Download backup' }).count()).toBe(1);
  await page.screenshot({ path: screenshotPath('dashboard-export'), fullPage: true });
  const before = await readStore<Clip>(page, 'clips');
  const beforeA = await readStore<Assessment>(page, 'assessments');

  const csvFile = await download(page, () => page.getByRole('button', { name: 'Download CSV' }).click());
  const csv = fs.readFileSync(csvFile, 'utf8');
  expect(csv.split('\r\n')[0]).toContain(
    'Code,Criterion,Status (RAG),Self-rating,Evidence,Stale,Owner,Action,Due date',
  );
  expect(csv).toContain('DEMO-LM-03');
  const xlsx = await download(page, () => page.getByRole('button', { name: 'Download XLSX' }).click());
  expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');

  const backup = await download(page, () => page.getByRole('button', { name: 'Download backup' }).click());
  const jsonld = await download(page, () => page.getByRole('button', { name: 'Download JSON-LD' }).click());
  const doc = JSON.parse(fs.readFileSync(jsonld, 'utf8'));
  expect(doc.type).toBe('AnnotationCollection');
  expect(doc.first.items[0].body.some((b: { purpose?: string }) => b.purpose === 'classifying')).toBe(true);

  const byId = (a: Clip, b: Clip) => a.id.localeCompare(b.id);
  const input = page.getByLabel('Annotation or backup file (.json, .jsonld)');

  // Malformed: nothing is imported.
  const bad = path.join(tmp, 'bad.jsonld');
  const broken = structuredClone(doc);
  broken.first.items[3].target.source = 'javascript:alert(1)';
  fs.writeFileSync(bad, JSON.stringify(broken));
  await clearData(page);
  await input.setInputFiles(bad);
  await expect
    .poll(() => page.getByRole('alert').filter({ hasText: 'Nothing was imported' }).count())
    .toBe(1);
  expect(await page.getByRole('alert').textContent()).toContain('Annotation 4');
  expect((await readStore<Clip>(page, 'clips')).length).toBe(0);

  // JSON-LD: clips come back identical.
  await input.setInputFiles(jsonld);
  await page.getByRole('button', { name: /^Import \d+ clips/ }).click();
  await expect.poll(() => page.getByText(/new clips/).count()).toBe(1);
  expect((await readStore<Clip>(page, 'clips')).sort(byId)).toEqual(
    before.filter((c) => !c.deleted).sort(byId),
  );

  // Backup: clips and assessments identical.
  await clearData(page);
  await input.setInputFiles(backup);
  await page.getByRole('button', { name: /^Import \d+ clips/ }).click();
  await expect.poll(() => page.getByText(/new clips/).count()).toBe(1);
  expect((await readStore<Clip>(page, 'clips')).sort(byId)).toEqual([...before].sort(byId));
  const key = (a: Assessment, b: Assessment) => a.criterionId.localeCompare(b.criterionId);
  expect((await readStore<Assessment>(page, 'assessments')).sort(key)).toEqual([...beforeA].sort(key));
  expect(await axeSerious(page)).toEqual([]);
});

test('evidence pack opens, prints to PDF, and its first page was captured', async () => {
  await page.goto(`${browser.url('dashboard.html')}#/library`);
  await page.getByLabel('Active framework').selectOption('demo');
  const pack = await browser.context.newPage();
  await pack.goto(browser.url('evidence-pack.html'));
  await pack.waitForSelector('body[data-ready="true"]');
  expect(await pack.getByRole('heading', { name: demoFramework.name, level: 1 }).count()).toBe(1);
  const link = await pack.locator('a.source-link').first().getAttribute('href');
  expect(link).toMatch(/#:~:text=/);
  await pack.setViewportSize({ width: 900, height: 1270 });
  await pack.screenshot({ path: screenshotPath('evidence-pack-cover') });
  await pack.locator('.domain').first().scrollIntoViewIfNeeded();
  await pack.screenshot({ path: screenshotPath('evidence-pack-domain') });
  const pdf = await pack.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  fs.writeFileSync(path.join(path.dirname(screenshotPath('x')), 'evidence-pack.pdf'), pdf);
  expect(await axeSerious(pack)).toEqual([]);
  await pack.close();
});
