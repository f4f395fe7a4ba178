// Re-anchoring on the demo intranet's revised MRI safety policy, in headless Chromium with the
// built extension: what changed is shown on the card, a moved passage is found, and a passage
// whose number changed is only offered ("Is it this passage?"), never painted before the user
// confirms it. The revision is described at the top of demo/site/edited/mri-safety.html.
import { beforeEach, describe, expect, test } from 'vitest';
import { screenshotPath } from './chromium';
import { useExtensionAndSite } from './demo-site';
import { clipPassage, paintedHighlights, paintedTexts, waitForContentScript } from './page-helpers';

const env = useExtensionAndSite();
beforeEach(async () => {
  await fetch(env.site.url('__demo/edits?on=0'), { method: 'POST' });
});

const CASE =
  'The MR Safety Expert, provided by the regional medical physics service, gives scientific advice on implants, equipment and the safety of new sequences.';
const WORD =
  'Only equipment labelled MR safe, or MR conditional with conditions that are met, may be taken into Zone 4.';
const MOVED =
  'Staff from other departments who need to enter Zone 4 do so only when accompanied by an authorised MR operator.';
const NUMBER =
  'If a patient collapses in the scanner, the operator stops the scan, removes the patient from the scanner room to Zone 3 and starts resuscitation there.';
const REMOVED =
  'A ferromagnetic detector at the door to Zone 4 gives an extra check, but it does not replace screening, and an alarm must always be investigated before anyone enters.';

const CASE_NOW = CASE.replace('Safety Expert', 'safety expert');
const WORD_NOW = WORD.replace('taken', 'brought');
const NUMBER_NOW = NUMBER.replace('Zone 3', 'Zone 2');

describe('a revised policy', () => {
  test('changed passages show their diff, a moved one is found, a changed number is only offered until confirmed', async () => {
    const page = await env.browser.context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(env.site.url('mri-safety.html'));
    await waitForContentScript(page);
    for (const text of [CASE, WORD, MOVED, NUMBER, REMOVED]) await clipPassage(page, text, ['DEMO-CL-01']);

    // The authors publish the revision: same address, new text.
    await fetch(env.site.url('__demo/edits?on=1'), { method: 'POST' });
    await page.reload();
    await waitForContentScript(page);
    await expect
      .poll(async () => ((await paintedHighlights(page))['qsi-evidence-relocated'] ?? []).sort())
      .toEqual([CASE_NOW, WORD_NOW, MOVED].sort());
    // Nothing else is painted: not the suggestion for the changed number, not the removed text.
    expect((await paintedTexts(page)).sort()).toEqual([CASE_NOW, WORD_NOW, MOVED].sort());

    const panel = page.getByRole('region', { name: 'Evidence on this page' });
    await panel.getByRole('button', { name: /Evidence on this page: 5/ }).click();
    await expect.poll(() => panel.getByText('Lost — not found on this page').count()).toBe(2);
    await expect.poll(() => panel.getByText('Moved or changed — confirm').count()).toBe(3);

    // The case-changed clip: the card marks the words removed and added.
    const card = page.getByRole('dialog', { name: 'Evidence details' });
    await panel.getByRole('button', { name: /The MR Safety Expert/ }).click();
    await expect.poll(() => card.locator('del').allTextContents()).toEqual(['[removed: Safety Expert,]']);
    expect(await card.locator('ins').allTextContents()).toEqual(['[added: safety expert,]']);
    await page.screenshot({ path: screenshotPath('moved-or-changed-card') });

    // The one-word change.
    await panel.getByRole('button', { name: /Only equipment labelled/ }).click();
    await expect.poll(() => card.locator('del').allTextContents()).toEqual(['[removed: taken]']);
    expect(await card.locator('ins').allTextContents()).toEqual(['[added: brought]']);

    // The moved sentence has the very same words: nothing to show but its new place.
    await panel.getByRole('button', { name: /Staff from other departments/ }).click();
    await expect.poll(() => card.locator('.quote-diff').count()).toBe(0);
    await expect.poll(() => card.textContent()).toContain('Moved or changed');

    // The changed number: lost, offered as "Is it this passage?", the number flagged, not painted.
    await panel.getByRole('button', { name: /If a patient collapses/ }).click();
    const offer = card.getByRole('region', { name: 'Is it this passage?' });
    await offer.waitFor();
    await expect
      .poll(() => offer.locator('.diff-flags').textContent())
      .toContain('Number changed: “3” → “2”');
    expect(await paintedTexts(page)).not.toContain(NUMBER_NOW);
    await page.screenshot({ path: screenshotPath('lost-suggestion') });
    await offer.getByRole('button', { name: 'Re-attach to passage 1' }).click();
    await expect.poll(() => paintedTexts(page)).toContain(NUMBER_NOW);
    expect((await paintedHighlights(page))['qsi-evidence-relocated'] ?? []).not.toContain(NUMBER_NOW);

    // The removed sentence is lost with nothing to offer.
    await panel.getByRole('button', { name: /A ferromagnetic detector/ }).click();
    await expect.poll(() => card.textContent()).toContain('Lost');
    expect(await card.getByRole('region', { name: 'Is it this passage?' }).count()).toBe(0);

    // Confirming the case-changed clip stores the new text: an ordinary highlight from now on.
    await panel.getByRole('button', { name: /The MR Safety Expert/ }).click();
    await card.getByRole('button', { name: 'Confirm new position' }).click();
    await expect
      .poll(async () => ((await paintedHighlights(page))['qsi-evidence-relocated'] ?? []).sort())
      .toEqual([WORD_NOW, MOVED].sort());
    await expect.poll(() => paintedTexts(page)).toContain(CASE_NOW);

    // The library shows the one-word change too.
    const dash = await env.browser.context.newPage();
    await dash.setViewportSize({ width: 1300, height: 900 });
    await dash.goto(`${env.browser.url('dashboard.html')}#/library`);
    const row = dash.getByRole('row').filter({ hasText: 'Only equipment labelled' });
    await expect.poll(() => row.locator('del').allTextContents()).toEqual(['[removed: taken]']);
    expect(await row.locator('ins').allTextContents()).toEqual(['[added: brought]']);
    await row.scrollIntoViewIfNeeded();
    await dash.screenshot({ path: screenshotPath('library-diff') });
    await dash.close();
    await page.close();
  });
});
