// Reminders before evidence goes stale, in the built extension: a demo policy whose review date
// is 30 days from today (filled in by the demo server) is clipped; it appears in the popup's and
// the dashboard's "Due soon" with its owner, and — once the user opts in — on the toolbar badge,
// which the background keeps current when an overdue assessment action is added and when the
// window changes. axe on both views; screenshots of both.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { localToday } from '../../demo/demo-dates';
import { addDays, formatDueDate } from '../../shared/reminders';
import { axeSerious } from './axe';
import { screenshotPath } from './chromium';
import { useExtensionAndSite } from './demo-site';
import { clipPassage, waitForContentScript } from './page-helpers';

const env = useExtensionAndSite();

const TITLE = 'Lone working in imaging';
const OWNER = 'Sam Whitfield, Radiology Services Manager';
const PASSAGE = 'Every lone worker carries a personal alarm linked to the security control room';

/** The toolbar badge as the browser shows it, read from the extension's service worker. */
const badge = () => env.browser.worker.evaluate(() => chrome.action.getBadgeText({}));

async function dashboard(hash: string): Promise<Page> {
  const page = await env.browser.context.newPage();
  await page.goto(`${env.browser.url('dashboard.html')}${hash}`);
  return page;
}

test('a document due for review in 30 days is in "Due soon" and, opted in, on the badge', async () => {
  const today = localToday();
  const due = addDays(today, 30);

  // 1. Clip a passage of the policy: its control table says "Next review date" = today + 30.
  const page = await env.browser.context.newPage();
  await page.goto(env.site.url('lone-working.html'));
  await waitForContentScript(page);
  await clipPassage(page, PASSAGE, ['DEMO-CL-01']);

  // 2. The popup's "Due soon" (from its live chunk) lists it, with the owner.
  const popup = await env.browser.context.newPage();
  await popup.setViewportSize({ width: 420, height: 640 });
  await popup.goto(env.browser.url('popup.html'));
  const list = popup.getByRole('list', { name: 'Due soon' });
  await expect.poll(() => list.getByText(TITLE).count(), { timeout: 15_000 }).toBe(1);
  const item = list.getByRole('listitem').filter({ hasText: TITLE });
  expect(await item.textContent()).toContain('due in 30 days');
  expect(await item.textContent()).toContain(formatDueDate(due));
  expect(await item.textContent()).toContain(`Owner: ${OWNER}`);
  expect(await axeSerious(popup)).toEqual([]);
  await popup.screenshot({ path: screenshotPath('popup-due-soon'), fullPage: true });

  // 3. The badge is opt-in: empty until the user turns it on in the dashboard.
  expect(await badge()).toBe('');
  const dash = await dashboard('#/due-soon');
  const docs = dash.getByRole('table', { name: 'Documents due for review' });
  await expect.poll(() => docs.getByRole('row').filter({ hasText: TITLE }).count()).toBe(1);
  const row = docs.getByRole('row').filter({ hasText: TITLE });
  expect(await row.textContent()).toContain(OWNER);
  expect(await row.textContent()).toContain('due in 30 days');
  expect(await row.getByRole('button', { name: /DEMO-CL-01/ }).count()).toBe(1);
  // Keyboard only: focus the checkbox and press Space.
  const badgeBox = dash.getByRole('checkbox', { name: /number of items due on the toolbar button/ });
  await badgeBox.focus();
  await dash.keyboard.press('Space');
  await expect.poll(badge, { timeout: 10_000 }).toBe('1');

  // 4. An overdue assessment action counts too, as soon as it is saved.
  await dash.goto(`${env.browser.url('dashboard.html')}#/criteria/${encodeURIComponent('demo:DEMO-LM-02')}`);
  await expect.poll(() => dash.getByRole('heading', { name: /DEMO-LM-02/ }).count()).toBe(1);
  await dash.getByLabel('Owner').fill('Priya Shah');
  await dash.getByLabel('Due date').fill(addDays(today, -3));
  await dash.getByLabel('Action').fill('Re-audit the lone working risk assessments.');
  await dash.getByRole('button', { name: 'Save assessment' }).click();
  await expect.poll(badge, { timeout: 10_000 }).toBe('2');
  await dash.goto(`${env.browser.url('dashboard.html')}#/due-soon`);
  const actions = dash.getByRole('table', { name: 'Assessment actions due or overdue' });
  await expect.poll(() => actions.getByRole('row').filter({ hasText: 'Priya Shah' }).count()).toBe(1);
  expect(await actions.getByRole('row').filter({ hasText: 'Priya Shah' }).textContent()).toContain(
    'overdue by 3 days',
  );
  expect(await axeSerious(dash)).toEqual([]);
  await dash.setViewportSize({ width: 1280, height: 1000 });
  await dash.screenshot({ path: screenshotPath('dashboard-due-soon'), fullPage: true });

  // 5. A shorter window (20 days) leaves the document out; the badge follows.
  await dash.getByLabel(/this many days before/).fill('20');
  await dash.getByRole('button', { name: 'Save window' }).click();
  await expect.poll(badge, { timeout: 10_000 }).toBe('1');
  await expect
    .poll(() => dash.getByText('No clipped document reaches its review date in this window.').count())
    .toBe(1);

  // 6. Turned off again, the badge is empty.
  await dash.getByRole('checkbox', { name: /number of items due on the toolbar button/ }).uncheck();
  await expect.poll(badge, { timeout: 10_000 }).toBe('');
  for (const p of [page, popup, dash]) await p.close();
});
