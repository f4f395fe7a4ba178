// A hostile page cannot drive our UI: with the shipped, closed shadow root, a page script that
// dispatches synthetic clicks, mouseups and keys (and calls .click() on whatever it can reach)
// opens no tag dialog and saves, edits or deletes nothing; the user's own (trusted) input still
// clips. Our closed root is read through the DevTools protocol, which sees closed roots; the
// page's own world (page.evaluate) sees what a page script sees.
import type { CDPSession, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { E2E_SHIPPED_MODE_KEY } from '../../extension/lib/clip-ui/shadow-mode-key';
import { useExtensionAndSite } from './demo-site';
import { expectPainted, selectText, waitForContentScript } from './page-helpers';

const env = useExtensionAndSite();
const PASSAGE =
  'In these cases the operator must use at least two independent sources and record which sources were used.';

beforeAll(async () => {
  await env.browser.worker.evaluate((key) => chrome.storage.local.set({ [key]: true }), E2E_SHIPPED_MODE_KEY);
});

interface DomNode {
  nodeId: number;
  nodeName: string;
  shadowRootType?: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

/** Our shadow root as DevTools sees it (closed roots included). */
async function ourRoot(page: Page): Promise<{ cdp: CDPSession; root: DomNode }> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  const find = (n: DomNode): DomNode | undefined =>
    n.nodeName === 'QSI-EVIDENCE-CLIPPER'
      ? n
      : [...(n.children ?? []), ...(n.shadowRoots ?? [])].map(find).find((x) => x !== undefined);
  const shadow = find(root)?.shadowRoots?.[0];
  if (!shadow) throw new Error('our shadow root not found');
  return { cdp, root: shadow };
}

async function ourHtml(page: Page): Promise<{ html: string; mode: string | undefined }> {
  const { cdp, root } = await ourRoot(page);
  const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { nodeId: root.nodeId })) as {
    outerHTML: string;
  };
  await cdp.detach();
  return { html: outerHTML, mode: root.shadowRootType };
}

/** A real (trusted) mouse click at the centre of the first element of ours matching `selector`. */
async function userClick(page: Page, selector: string, text?: string): Promise<void> {
  const { cdp, root } = await ourRoot(page);
  const { nodeIds } = (await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector })) as {
    nodeIds: number[];
  };
  for (const nodeId of nodeIds) {
    if (text) {
      const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { nodeId })) as { outerHTML: string };
      if (!outerHTML.includes(text)) continue;
    }
    const { model } = (await cdp.send('DOM.getBoxModel', { nodeId })) as { model: { border: number[] } };
    const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.border;
    await cdp.detach();
    await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
    return;
  }
  await cdp.detach();
  throw new Error(`no ${selector} ${text ?? ''} in our UI`);
}

const liveClips = (): Promise<number> =>
  env.browser.worker.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction('clips').objectStore('clips').getAll();
          all.onsuccess = () => {
            resolve((all.result as { deleted?: boolean }[]).filter((c) => !c.deleted).length);
            req.result.close();
          };
        };
      }),
  );

/** Everything a page's script can try against our UI, from the page's own world. */
const attack = (page: Page) =>
  page.evaluate(() => {
    const host = document.querySelector('qsi-evidence-clipper');
    if (!host) throw new Error('no host');
    const mouse = (type: string, x = 0, y = 0) =>
      new MouseEvent(type, { bubbles: true, composed: true, cancelable: true, clientX: x, clientY: y });
    const key = (type: string, init: KeyboardEventInit) =>
      new KeyboardEvent(type, { bubbles: true, composed: true, cancelable: true, ...init });
    const targets: EventTarget[] = [document, document.body, host];
    // Whatever sits where our button, dialog or card would be is our host (retargeted).
    for (const [x, y] of [
      [640, 400],
      [640, 200],
      [300, 300],
    ] as const) {
      const el = document.elementFromPoint(x, y);
      if (el) targets.push(el);
    }
    for (const t of targets) {
      for (const type of ['mousedown', 'mouseup', 'click', 'dblclick'])
        t.dispatchEvent(mouse(type, 640, 400));
      for (const init of [
        { key: 'Enter' },
        { key: ' ' },
        { key: 'E', code: 'KeyE', altKey: true, shiftKey: true },
        { key: 'Delete' },
      ]) {
        t.dispatchEvent(key('keydown', init));
        t.dispatchEvent(key('keyup', init));
      }
      if (t instanceof HTMLElement) t.click();
    }
    // If our root were reachable, the page would click every button and tick every box in it.
    for (const el of host.shadowRoot?.querySelectorAll<HTMLElement>('button, input') ?? []) el.click();
    (host as HTMLElement).focus();
    document.activeElement?.dispatchEvent(key('keydown', { key: 'Enter' }));
    return {
      shadowRoot: host.shadowRoot === null ? null : 'open',
      reachable: (host.shadowRoot ?? host).querySelectorAll('button, input, textarea').length,
    };
  });

describe('a hostile page cannot drive our UI', () => {
  test('closed root; synthetic input opens, saves, edits and deletes nothing; the user still clips', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.site.url('patient-identification.html'));
    await waitForContentScript(page);

    // The page selects text itself and fakes the rest: no button, no dialog.
    await page.evaluate((text) => {
      const p = [...document.querySelectorAll('p')].find((e) => e.textContent?.includes(text));
      const node = p?.firstChild;
      if (!node) throw new Error('passage not found');
      const range = document.createRange();
      range.selectNodeContents(p);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    }, PASSAGE);
    const reached = await attack(page);
    await page.waitForTimeout(500);
    expect((await ourHtml(page)).html).not.toContain('role="dialog"');
    // Nor could it make the background inject the clip UI's view (its styles would be in our root).
    expect((await ourHtml(page)).html).not.toContain('.clip-button');

    // The user selects (a trusted mouseup) and clicks the button: the dialog opens.
    await selectText(page, PASSAGE);
    await expect.poll(async () => (await ourHtml(page)).html).toContain('Clip as evidence');
    await attack(page);
    await page.waitForTimeout(500);
    expect((await ourHtml(page)).html).not.toContain('aria-modal="true"');
    await selectText(page, PASSAGE);
    await userClick(page, '.clip-button');
    await expect.poll(async () => (await ourHtml(page)).html).toContain('aria-modal="true"');

    // With the dialog open the page fakes ticks, Enter and clicks: nothing is saved.
    await attack(page);
    await page.waitForTimeout(500);
    expect((await ourHtml(page)).html).toContain('aria-modal="true"');
    expect(await liveClips()).toBe(0);

    // The user ticks a criterion and saves: one clip, painted.
    await page.keyboard.type('DEMO-CL-01');
    await page.waitForTimeout(200);
    await userClick(page, '.result input');
    await expect.poll(async () => (await ourHtml(page)).html).toContain('aria-label="Remove DEMO-CL-01"');
    await userClick(page, 'button', 'Save clip');
    await expect.poll(liveClips).toBe(1);
    await expectPainted(page, PASSAGE);

    // The page fakes hovering the highlight and clicking the card's Edit/Delete: nothing opens,
    // nothing is deleted.
    await attack(page);
    await page.evaluate(() => {
      for (const [x, y] of [
        [300, 300],
        [640, 400],
      ] as const)
        document.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: x, clientY: y }));
    });
    await page.waitForTimeout(500);
    expect((await ourHtml(page)).html).not.toContain('Evidence details');
    expect(await liveClips()).toBe(1);

    // Checked last, so that with an open root the attack above runs in full and is caught.
    expect(reached).toEqual({ shadowRoot: null, reachable: 0 });
    expect(await page.evaluate(() => document.querySelector('qsi-evidence-clipper')?.shadowRoot)).toBeNull();
    expect((await ourHtml(page)).mode).toBe('closed');
    await page.close();
  });
});
