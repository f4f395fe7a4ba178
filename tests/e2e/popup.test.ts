import { afterAll, beforeAll, expect, test } from 'vitest';
import { demoFramework } from '../../shared/frameworks/demo';
import { type ExtensionBrowser, launchWithExtension, screenshotPath } from './chromium';

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

test('the popup lists the demo framework’s domains and criteria', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 420, height: 640 });
  await page.goto(browser.url('popup.html'));
  await expect.poll(() => page.getByRole('heading', { name: demoFramework.name }).count()).toBe(1);
  const domains = page.getByRole('list', { name: 'Domains' }).locator(':scope > li summary .domain-title');
  expect(await domains.allTextContents()).toEqual(demoFramework.domains.map((d) => d.title));
  // Nothing clipped yet: every criterion is a gap.
  await expect.poll(() => page.getByText('0 of 40 criteria evidenced (0%)').count()).toBe(1);
  // Domains open on demand (keyboard: Tab to the summary, Enter); criteria are listed gaps first.
  await page.locator('summary', { hasText: 'Clinical practice' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('button', { name: 'DEMO-CL-01', exact: true }).count()).toBe(1);
  await page.screenshot({ path: screenshotPath('popup'), fullPage: true });
  await page.close();
});
