// The popup's "This page" section against real tabs (opened as a page with ?tab=<id>).
import { expect, test } from 'vitest';
import { screenshotPath } from './chromium';
import { useExtensionAndSite } from './demo-site';
import { clipPassage, openingWords, waitForContentScript } from './page-helpers';

const env = useExtensionAndSite();

const tabIdOf = (url: string) =>
  env.browser.worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id ?? -1, url);

test('counts the clips found on the page and offers the per-site permission', async () => {
  const page = await env.browser.context.newPage();
  await page.goto(env.site.url('radiation-protection.html'));
  await waitForContentScript(page);
  await clipPassage(page, await openingWords(page), ['DEMO-LM-06']);

  const popup = await env.browser.context.newPage();
  await popup.setViewportSize({ width: 420, height: 600 });
  await popup.goto(env.browser.url(`popup.html?tab=${await tabIdOf(page.url())}`));
  const counts = popup.getByRole('list', { name: 'Clips on this page' });
  await expect.poll(() => counts.textContent()).toContain('1 found');
  // Coverage reflects the clip made through the UI (one criterion of the demo framework's 40).
  await expect.poll(() => popup.getByText(/1 of 40 criteria evidenced/).count()).toBe(1);
  expect(await popup.getByRole('checkbox', { name: 'Always show evidence on this site' }).isChecked()).toBe(
    true,
  );
  await popup.screenshot({ path: screenshotPath('popup-this-page') });
  await popup.close();
  await page.close();
});

test('pages closed to extensions get a clear message', async () => {
  const page = await env.browser.context.newPage();
  await page.goto('chrome://version');
  const popup = await env.browser.context.newPage();
  await popup.goto(env.browser.url(`popup.html?tab=${await tabIdOf('chrome://version/')}`));
  await expect.poll(() => popup.getByRole('status').first().textContent()).toContain('can’t run here');
  await popup.close();
  await page.close();
});
