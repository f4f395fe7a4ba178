// Clipping end to end and re-anchoring on edited pages, in real headless
// Chromium with the built extension, against the demo intranet.
import { beforeEach, describe, expect, test } from 'vitest';
import { screenshotPath } from './chromium';
import { useExtensionAndSite } from './demo-site';
import {
  clipPassage,
  openingWords,
  paintedHighlights,
  paintedTexts,
  selectText,
  waitForContentScript,
} from './page-helpers';

const env = useExtensionAndSite();
beforeEach(async () => {
  await fetch(env.site.url('__demo/edits?on=0'), { method: 'POST' });
});

const EXACT =
  'In these cases the operator must use at least two independent sources and record which sources were used.';
const RELOCATED =
  'It does not cover the identification of samples or images after acquisition; that is described in the PACS data quality procedure';
const REMOVED =
  'the operator must not proceed until a unique emergency identifier has been issued by the registration team';

describe('clip, reload, edit', () => {
  test('clipped passages are highlighted again, and re-anchored or reported lost after an edit', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('patient-identification.html'));
    await waitForContentScript(page);

    await selectText(page, EXACT);
    await page.getByRole('button', { name: 'Clip as evidence' }).waitFor();
    await page.screenshot({ path: screenshotPath('clip-button') });
    await page.getByRole('button', { name: 'Clip as evidence' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag evidence' });
    await dialog.waitFor();
    // Detected document control block.
    await expect.poll(() => dialog.getByLabel('Document ID').inputValue()).toBe('IMG-EP-001');
    await expect.poll(() => dialog.getByLabel('Next review date').inputValue()).toBe('2027-03-14');
    await dialog.getByRole('searchbox').fill('DEMO-CL-01');
    await dialog.getByRole('checkbox').first().check();
    await dialog.getByRole('searchbox').fill('training records');
    await dialog.getByRole('checkbox').first().check();
    await dialog
      .getByLabel('Note')
      .fill('Section 4: two independent sources when the patient cannot answer.');
    await page.screenshot({ path: screenshotPath('tag-dialog') });
    await dialog.getByRole('button', { name: 'Save clip' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => paintedTexts(page)).toContain(EXACT);

    await clipPassage(page, RELOCATED, ['DEMO-LM-01']);
    await clipPassage(page, REMOVED, ['DEMO-CL-02']);

    await page.reload();
    await waitForContentScript(page);
    await expect
      .poll(async () => (await paintedTexts(page)).sort())
      .toEqual([EXACT, RELOCATED, REMOVED].sort());
    expect(Object.keys(await paintedHighlights(page)).every((n) => n.startsWith('qsi-evidence'))).toBe(true);
    await page.evaluate((t) => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if ((n.nodeValue ?? '').includes(t.slice(0, 30)))
          n.parentElement?.scrollIntoView({ block: 'center' });
    }, EXACT);
    await page.screenshot({ path: screenshotPath('highlights') });

    // The authors edit the page: same address, new text.
    await fetch(env.site.url('__demo/edits?on=1'), { method: 'POST' });
    await page.reload();
    await waitForContentScript(page);
    const edited = RELOCATED.replace('samples or ', '');
    await expect
      .poll(async () => (await paintedHighlights(page))['qsi-evidence-relocated'] ?? [])
      .toEqual([edited]);
    await expect.poll(() => paintedTexts(page)).toContain(EXACT);
    expect(await paintedTexts(page)).not.toContain(REMOVED);
    // Nothing is painted on text that is not one of our passages.
    for (const t of await paintedTexts(page)) expect([EXACT, edited]).toContain(t);

    const panel = page.getByRole('region', { name: 'Evidence on this page' });
    await panel.getByRole('button', { name: /Evidence on this page: 3/ }).click();
    await expect.poll(() => panel.getByText('Lost — not found on this page').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('lost-and-relocated') });

    // Confirm the relocated clip's new position: it becomes an ordinary highlight.
    await panel.getByRole('button', { name: /Moved or changed/ }).click();
    await page
      .getByRole('dialog', { name: 'Evidence details' })
      .getByRole('button', { name: 'Confirm new position' })
      .click();
    await expect
      .poll(async () => (await paintedHighlights(page))['qsi-evidence-relocated'] ?? [])
      .toEqual([]);
    await expect.poll(() => paintedTexts(page)).toContain(edited);

    // Re-attach the lost clip to a new selection.
    await selectText(page, 'Every modality, including the community diagnostic centre, audits compliance');
    await panel.getByRole('button', { name: 'Re-attach to selection' }).click();
    await expect
      .poll(() => paintedTexts(page))
      .toContain('Every modality, including the community diagnostic centre, audits compliance');
    await page.close();
  });

  test('bad selections get a clear message and are not clipped', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('chaperone-policy.html'));
    await waitForContentScript(page);
    await selectText(page, 'Chaperone');
    await page.getByRole('button', { name: 'Clip as evidence' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag evidence' });
    await dialog.getByRole('button', { name: 'Save clip' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toContain('Choose at least one criterion');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Over the quote limit: said so with the figures, not taken for an empty selection.
    const long = 'Chaperones are offered for every intimate examination. '.repeat(400).trim();
    await page.evaluate((text) => {
      const p = document.createElement('p');
      p.textContent = text;
      document.body.append(p);
    }, long);
    await selectText(page, long);
    await page.getByRole('button', { name: 'Clip as evidence' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContainEqual(expect.stringMatching(/too long \(21,999 characters\)\. Clip at most 20,000/));
    expect(await dialog.count()).toBe(0);
    expect(await paintedTexts(page)).toEqual([]);
    await page.close();
  });
});

describe('hostile text', () => {
  test('notes and quotes are shown as text on the page, never run', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('equipment-qa.html'));
    await waitForContentScript(page);
    const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>‮javascript:alert(1)';
    await clipPassage(page, await openingWords(page, 0, 70), ['DEMO-FR-03'], payload);
    const panel = page.getByRole('region', { name: 'Evidence on this page' });
    await panel.getByRole('button', { name: /Evidence on this page/ }).click();
    await panel.getByRole('button', { name: /Found/ }).click();
    const card = page.getByRole('dialog', { name: 'Evidence details' });
    await expect.poll(() => card.textContent()).toContain('<img src=x onerror="window.__xss=1">');
    expect(await card.locator('img, script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.close();
  });
});

describe('drafts', () => {
  test('a half-finished clip survives the page being reloaded', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('diagnostic-reference-levels.html'));
    await waitForContentScript(page);
    const text = await openingWords(page, 1, 90);
    await selectText(page, text);
    await page.getByRole('button', { name: 'Clip as evidence' }).click();
    let dialog = page.getByRole('dialog', { name: 'Tag evidence' });
    await dialog.getByRole('searchbox').fill('DEMO-CL-04');
    await dialog.getByRole('checkbox').first().check();
    await dialog.getByLabel('Note').fill('Typed before the page went away');
    await page.waitForTimeout(600); // the draft is saved a moment after typing stops
    await page.reload();
    await waitForContentScript(page);
    dialog = page.getByRole('dialog', { name: 'Tag evidence' });
    await expect.poll(() => dialog.getByLabel('Note').inputValue()).toBe('Typed before the page went away');
    await dialog.getByRole('button', { name: 'Save clip' }).click();
    await expect.poll(() => paintedTexts(page)).toContain(text);
    await page.close();
  });
});

describe('dynamic pages and frames', () => {
  test('the JavaScript-rendered page keeps its highlight across a re-render', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('js-rendered.html'));
    await waitForContentScript(page);
    const text = 'Out-of-hours CT requests must be discussed with the on-call radiology registrar';
    await page.getByText(text).first().waitFor();
    await clipPassage(page, text, ['DEMO-CL-07']);
    await page.getByRole('button', { name: 'Refresh handbook' }).click();
    await expect.poll(() => paintedTexts(page)).toContain(text);
    await page.reload();
    await waitForContentScript(page);
    await expect.poll(() => paintedTexts(page), { timeout: 10_000 }).toContain(text);
    await page.close();
  });

  test('a document inside an iframe is clipped and highlighted in its frame', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('framed.html'));
    const frame = page.frame({ name: 'document-frame' });
    if (!frame) throw new Error('no frame');
    await waitForContentScript(frame);
    const text = 'The radiographer completes the contrast safety checklist with the patient';
    await clipPassage(frame, text, ['DEMO-PE-03']);
    await page.reload();
    const again = page.frame({ name: 'document-frame' });
    if (!again) throw new Error('no frame');
    await waitForContentScript(again);
    await expect.poll(() => paintedTexts(again)).toContain(text);
    await page.close();
  });

  test('the keyboard command / context menu path opens the dialog for the selection', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('pregnancy-enquiries.html'));
    await waitForContentScript(page);
    await selectText(page, 'Pregnancy');
    // Both the command and the menu end in the same tab message after injecting the script.
    await env.browser.worker.evaluate(async (url) => {
      const [tab] = await chrome.tabs.query({ url });
      if (tab?.id) await chrome.tabs.sendMessage(tab.id, { type: 'clipSelection' });
    }, page.url());
    await page.getByRole('dialog', { name: 'Tag evidence' }).waitFor();
    await page.keyboard.press('Escape');
    await page.close();
  });
});
