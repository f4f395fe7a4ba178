// @vitest-environment happy-dom
// The clip UI that web pages and the PDF viewer share, driven over a fake surface: what the user
// sees in its shadow root and what it asks the background, with no real anchoring or painting.
import { fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ClipUi } from '../../../extension/lib/clip-ui/clip-ui';
import type { PageClip, Reply, RequestName, RequestOf } from '../../../extension/lib/messaging';
import { sendToBackground } from '../../../extension/lib/send-to-background';
import { err, ok } from '../../../shared/errors';
import { LIMITS } from '../../../shared/schemas';
import { asPageScript, clip, FakeSurface, modelTrustedInput, PASSAGE, selectIn, URL_ } from './fake-surface';

vi.mock('../../../extension/lib/send-to-background', () => ({ sendToBackground: vi.fn() }));
const send = vi.mocked(sendToBackground);

/** The background's answers, by request name (a test replaces the ones it needs). */
type Handlers = { [N in RequestName]?: (body: RequestOf<N>) => Reply<N> };

let handlers: Handlers;
let pageClips: PageClip[];

function fakeBackground(): void {
  send.mockImplementation(async (name, body) => {
    const handler = handlers[name] as ((b: typeof body) => Reply<typeof name>) | undefined;
    if (!handler) throw new Error(`unexpected request ${name}`);
    return handler(body);
  });
}

let surface: FakeSurface;
let controller: AbortController;
let ui: ClipUi<Range>;

async function startUi(text = `Intro. ${PASSAGE} Outro.`): Promise<void> {
  surface = new FakeSurface(text);
  controller = new AbortController();
  ui = new ClipUi(surface, controller.signal);
  await ui.start();
}

/** Our shadow root (closed: only the ClipUi object holds it). */
const shadow = (): ShadowRoot => ui.shadow;
const $ = <E extends Element = HTMLElement>(selector: string) => shadow().querySelector<E>(selector);
const button = (name: string | RegExp): HTMLButtonElement => {
  const found = [...shadow().querySelectorAll('button')].find((b) =>
    typeof name === 'string' ? b.textContent?.trim() === name : name.test(b.textContent ?? ''),
  );
  if (!found) throw new Error(`no button ${name}`);
  return found;
};
const toast = () => $('.toast span')?.textContent ?? null;
const requests = (name: RequestName) => send.mock.calls.filter(([n]) => n === name);

/** Selects `text` in the surface's text (or in `root`), as a mouse or keyboard would. */
const select = (text: string, root: Node = surface.textRoot, via: 'mouseup' | 'keyup' = 'mouseup') =>
  selectIn(root, text, via);

let unmodel: () => void;

beforeEach(() => {
  unmodel = modelTrustedInput();
  // happy-dom does no layout: give every range one line box, so the button has somewhere to go.
  vi.spyOn(Range.prototype, 'getClientRects').mockReturnValue([
    { left: 100, right: 300, top: 50, bottom: 70, width: 200, height: 20, x: 100, y: 50 },
  ] as unknown as DOMRectList);
  pageClips = [];
  handlers = {
    getPageClips: () =>
      ok({ clips: pageClips, criteria: { 'crit-1': { code: 'SA1.1', title: 'Training' } } }),
    reportAnchors: (b) => ok({ updated: b.results.length }),
    getCriteriaChoices: () =>
      ok({
        frameworkName: 'QSI',
        choices: [
          {
            id: 'crit-1',
            code: 'SA1.1',
            title: 'Training',
            domain: 'Safety',
            standard: 'S1',
            uses: 0,
            lastUsed: null,
          },
          {
            id: 'crit-2',
            code: 'SA1.2',
            title: 'Audit',
            domain: 'Safety',
            standard: 'S1',
            uses: 0,
            lastUsed: null,
          },
        ],
      }),
    saveDraft: () => ok({ saved: true }),
    saveClip: (b) =>
      ok({ clip: { ...clip('new-clip', b.draft.quote, b.draft.criteria), note: b.draft.note } }),
    moveClip: (b) => ok({ clip: { ...clip(b.id, b.quote) } }),
    getDraft: () => ok({ draft: null }),
  };
  fakeBackground();
});

afterEach(() => {
  unmodel();
  controller?.abort();
  document.getSelection()?.removeAllRanges();
  document.body.replaceChildren();
});

describe('selection', () => {
  test('a selection in the text shows the "Clip as evidence" button below it; clearing it hides it', async () => {
    await startUi();
    expect($('.clip-button')).toBeNull();
    select(PASSAGE);
    const clipButton = $('.clip-button');
    expect(clipButton?.textContent).toBe('Clip as evidence');
    expect(clipButton?.style.top).toBe('78px'); // 8 px below the selection's last line
    document.getSelection()?.removeAllRanges();
    document.dispatchEvent(new Event('mouseup'));
    expect($('.clip-button')).toBeNull();
  });

  test('a selection outside the surface’s text, or of blank text, shows no button', async () => {
    await startUi();
    const aside = document.createElement('aside');
    aside.textContent = 'Site navigation';
    document.body.append(aside);
    select('navigation', aside);
    expect($('.clip-button')).toBeNull();
    expect(ui.currentSelection()).toBeNull();
    select(' ');
    expect($('.clip-button')).toBeNull();
  });
});

describe('clipping', () => {
  test('button → tag dialog → save sends the draft with the chosen criterion and note', async () => {
    await startUi();
    select(PASSAGE);
    $('.clip-button')?.click();
    await waitFor(() => expect($('[role="dialog"][aria-modal="true"]')).not.toBeNull());
    expect($('.quote')?.textContent).toBe(PASSAGE);
    expect($('.clip-button')).toBeNull();

    // Saving without a criterion is refused in the dialog, with nothing sent.
    fireEvent.click(button('Save clip'));
    await waitFor(() => expect($('[role="alert"]')?.textContent).toBe('Choose at least one criterion.'));
    expect(requests('saveClip')).toHaveLength(0);

    const training = [...shadow().querySelectorAll<HTMLInputElement>('.result input')][0];
    if (!training) throw new Error('no criterion choice');
    fireEvent.click(training);
    const note = $<HTMLTextAreaElement>('textarea');
    if (!note) throw new Error('no note field');
    fireEvent.input(note, { target: { value: 'Annual refresher' } });
    fireEvent.click(button('Save clip'));

    await waitFor(() => expect(toast()).toBe('Clip saved.'));
    expect(requests('saveClip')).toEqual([
      [
        'saveClip',
        {
          draft: {
            url: URL_,
            title: 'Radiation safety policy',
            selectors: [{ type: 'TextQuoteSelector', exact: PASSAGE, prefix: '', suffix: '' }],
            quote: PASSAGE,
            criteria: ['crit-1'],
            note: 'Annual refresher',
            docMeta: { owner: 'Chief physicist' },
            snapshotText: 'section',
          },
        },
        'clip-ui',
      ],
    ]);
    expect($('[role="dialog"][aria-modal="true"]')).toBeNull();
    expect(surface.saved.map((s) => [s.clip.id, s.passage?.toString()])).toEqual([['new-clip', PASSAGE]]);
    expect(document.getSelection()?.isCollapsed ?? true).toBe(true);
    // Every request went out as the clip UI (its unreachable-background advice says to reload).
    expect(send.mock.calls.every((call) => call[2] === 'clip-ui')).toBe(true);
  });

  test('a refused save keeps the dialog open with the background’s message', async () => {
    handlers.saveClip = () => err('bad_request', 'This page cannot be clipped.');
    await startUi();
    select(PASSAGE);
    $('.clip-button')?.click();
    await waitFor(() => expect($('.result input')).not.toBeNull());
    fireEvent.click($('.result input') as HTMLInputElement);
    fireEvent.click(button('Save clip'));
    await waitFor(() => expect($('[role="alert"]')?.textContent).toBe('This page cannot be clipped.'));
    expect($('[role="dialog"][aria-modal="true"]')).not.toBeNull();
    expect(surface.saved).toHaveLength(0);
  });

  test('a selection longer than a clip may hold is refused with its length, and no dialog opens', async () => {
    const long = 'x'.repeat(LIMITS.quote + 1);
    await startUi(long);
    select(long);
    await ui.startClip();
    expect(toast()).toBe(
      `The selection is too long (${(LIMITS.quote + 1).toLocaleString()} characters). Clip at most ${LIMITS.quote.toLocaleString()} characters.`,
    );
    expect(requests('getCriteriaChoices')).toHaveLength(0);
    expect($('[role="dialog"][aria-modal="true"]')).toBeNull();
  });
});

describe('draft', () => {
  test('a saved draft for this document reopens the dialog on start', async () => {
    handlers.getDraft = () =>
      ok({
        draft: {
          url: URL_,
          title: 'Radiation safety policy',
          selectors: [{ type: 'TextQuoteSelector', exact: PASSAGE, prefix: '', suffix: '' }],
          quote: PASSAGE,
          criteria: ['crit-2'],
          note: 'half-typed',
          docMeta: {},
          snapshotText: '',
        },
      });
    surface = new FakeSurface(PASSAGE);
    surface.resumeDraft = true;
    controller = new AbortController();
    ui = new ClipUi(surface, controller.signal);
    await ui.start();
    expect($('.quote')?.textContent).toBe(PASSAGE);
    expect($<HTMLTextAreaElement>('textarea')?.value).toBe('half-typed');
    expect([...shadow().querySelectorAll('.chips li span')].map((s) => s.textContent)).toEqual(['SA1.2']);
  });
});

describe('keyboard', () => {
  test('a keyboard selection shows the button; the clip command from the surface opens the dialog; Escape cancels', async () => {
    await startUi();
    select(PASSAGE, surface.textRoot, 'keyup');
    expect($('.clip-button')).not.toBeNull();
    // The browser's keyboard command reaches the clip UI through its surface's listener.
    const handle = surface.handle;
    if (!handle) throw new Error('the surface was not given the clip UI');
    await handle.startClip();
    const dialog = $('[role="dialog"][aria-modal="true"]');
    expect(dialog).not.toBeNull();
    fireEvent.keyDown(dialog as HTMLElement, { key: 'Escape' });
    expect($('[role="dialog"][aria-modal="true"]')).toBeNull();
    // Cancelling forgets the saved draft for this document.
    expect(requests('saveDraft')).toEqual([['saveDraft', { url: URL_, draft: null }, 'clip-ui']]);
  });

  test('the clip command with nothing selected says to select first', async () => {
    await startUi();
    await surface.handle?.startClip();
    expect(toast()).toBe('Select the passage you want to clip first.');
    expect(requests('getCriteriaChoices')).toHaveLength(0);
  });
});

describe('evidence on this page', () => {
  beforeEach(() => {
    pageClips = [
      { clip: clip('c-exact', 'Found passage'), own: true, authorName: 'Ada' },
      { clip: clip('c-moved', 'Moved passage'), own: false, authorName: 'Grace' },
      { clip: clip('c-lost', 'Lost passage', ['crit-1', 'crit-9']), own: true, authorName: 'Ada' },
    ];
  });

  test('the panel lists every clip with its status and codes, and shows one on request', async () => {
    await startUi();
    surface.statuses = { 'c-moved': 'relocated', 'c-lost': 'lost' };
    await ui.refresh();
    expect(requests('reportAnchors').at(-1)?.[1]).toEqual({
      url: URL_,
      results: [
        { id: 'c-exact', status: 'exact' },
        { id: 'c-moved', status: 'relocated' },
        { id: 'c-lost', status: 'lost' },
      ],
    });
    const toggle = $('.panel-toggle');
    expect(toggle?.textContent).toBe('Evidence on this page: 3 · 1 lost');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle as HTMLElement);
    const items = [...shadow().querySelectorAll('.panel-item')].map((li) => ({
      status: li.querySelector('.status')?.textContent,
      quote: li.querySelector('.panel-quote')?.textContent,
      codes: li.querySelector('.panel-codes')?.textContent,
    }));
    expect(items).toEqual([
      { status: 'Found', quote: '“Found passage”', codes: 'SA1.1' },
      { status: 'Moved or changed — confirm', quote: '“Moved passage”', codes: 'SA1.1' },
      { status: 'Lost — not found on this page', quote: '“Lost passage”', codes: 'SA1.1, crit-9' },
    ]);
    fireEvent.click(shadow().querySelectorAll<HTMLElement>('.panel-clip')[1] as HTMLElement);
    expect(surface.focused).toEqual(['c-moved']);
  });

  test('no clips, no panel; a failed read is shown as a toast', async () => {
    pageClips = [];
    await startUi();
    expect($('.panel')).toBeNull();
    handlers.getPageClips = () => err('unavailable', 'The extension did not answer.');
    await ui.refresh();
    expect(toast()).toBe('The extension did not answer.');
  });

  test('a lost clip is re-attached to the current selection', async () => {
    await startUi();
    surface.statuses = { 'c-lost': 'lost' };
    await ui.refresh();
    fireEvent.click($('.panel-toggle') as HTMLElement);
    const reattach = () => button('Re-attach to selection');
    expect(reattach().disabled).toBe(true);
    select(PASSAGE);
    expect(reattach().disabled).toBe(false);

    surface.statuses = {};
    const before = requests('getPageClips').length;
    fireEvent.click(reattach());
    await waitFor(() => expect(toast()).toBe('Clip re-attached to the selection.'));
    expect(requests('moveClip')).toEqual([
      [
        'moveClip',
        {
          id: 'c-lost',
          selectors: [{ type: 'TextQuoteSelector', exact: PASSAGE, prefix: '', suffix: '' }],
          quote: PASSAGE,
          url: URL_,
        },
        'clip-ui',
      ],
    ]);
    // The clips are read and anchored again, so the panel shows the clip found.
    expect(requests('getPageClips').length).toBe(before + 1);
    expect($('.lost-count')).toBeNull();
  });

  test('a refused re-attach says why and reads nothing again', async () => {
    handlers.moveClip = () => err('not_found', 'That clip no longer exists.');
    await startUi();
    surface.statuses = { 'c-lost': 'lost' };
    await ui.refresh();
    fireEvent.click($('.panel-toggle') as HTMLElement);
    select(PASSAGE);
    const before = requests('getPageClips').length;
    fireEvent.click(button('Re-attach to selection'));
    await waitFor(() => expect(toast()).toBe('That clip no longer exists.'));
    expect(requests('getPageClips').length).toBe(before);
  });
});

describe('teardown', () => {
  test('aborting the signal removes the UI, undoes the surface and stops listening', async () => {
    pageClips = [{ clip: clip('c-exact', 'Found passage'), own: true, authorName: 'Ada' }];
    await startUi();
    expect(ui.host.isConnected).toBe(true);
    expect($('.panel')).not.toBeNull();
    controller.abort();
    expect(surface.destroyed).toBe(1);
    expect(surface.listenSignal?.aborted).toBe(true);
    expect(ui.host.isConnected).toBe(false);
    expect($('.root')?.childElementCount).toBe(0);
    // A selection after teardown renders nothing (the document listeners are gone).
    select(PASSAGE);
    expect($('.clip-button')).toBeNull();
    expect($('.root')?.childElementCount).toBe(0);
  });
});

describe('a hostile page cannot drive the UI', () => {
  const dialog = () => $('[role="dialog"][aria-modal="true"]');
  const settle = () => new Promise((r) => setTimeout(r, 50));

  test('the shadow root is closed: the page sees no shadowRoot on our host', async () => {
    await startUi();
    expect(ui.host.shadowRoot).toBeNull();
    expect(ui.shadow.mode).toBe('closed');
  });

  test('script-made clicks, mouseups and keys never open the tag dialog', async () => {
    await startUi();
    select(PASSAGE); // the user's selection: the button shows
    const clipButton = $('.clip-button');
    if (!clipButton) throw new Error('no clip button');
    asPageScript(() => {
      clipButton.click();
      clipButton.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      clipButton.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      document.dispatchEvent(new KeyboardEvent('keyup', { key: 'E', altKey: true, shiftKey: true }));
    });
    await settle();
    expect(dialog()).toBeNull();
    expect(requests('getCriteriaChoices')).toHaveLength(0);
    // The same click by the user opens it: the guard stops the page, not the user.
    clipButton.click();
    await waitFor(() => expect(dialog()).not.toBeNull());
  });

  test('a script-made mouseup over a script-made selection shows no button', async () => {
    await startUi();
    asPageScript(() => {
      const node = surface.textRoot.firstChild as Text;
      const range = document.createRange();
      range.setStart(node, 7);
      range.setEnd(node, 7 + PASSAGE.length);
      document.getSelection()?.addRange(range);
      document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    });
    expect($('.clip-button')).toBeNull();
  });

  test('with the dialog open, script-made ticks, typing and Save change and save nothing', async () => {
    await startUi();
    select(PASSAGE);
    $('.clip-button')?.click();
    await waitFor(() => expect($('.result input')).not.toBeNull());
    const tick = $<HTMLInputElement>('.result input');
    const note = $<HTMLTextAreaElement>('textarea');
    if (!tick || !note) throw new Error('no dialog fields');
    asPageScript(() => {
      tick.click();
      note.value = 'forged';
      note.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await new Promise((r) => setTimeout(r, 300)); // past the draft's 250 ms save delay
    asPageScript(() => {
      button('Save clip').click();
      $('[role="dialog"]')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    await settle();
    expect(tick.checked).toBe(false);
    expect(requests('saveClip')).toHaveLength(0);
    expect(requests('saveDraft')).toHaveLength(0);
    expect(dialog()).not.toBeNull();
  });

  test('script-made clicks on a clip card’s Edit and Delete do nothing', async () => {
    pageClips = [{ clip: clip('c1', PASSAGE), own: true, authorName: 'Me' }];
    handlers.deleteClip = (b) => ok({ clip: clip(b.id, PASSAGE) });
    await startUi();
    ui.openCard('c1', 10, 10);
    await waitFor(() => expect($('.card')).not.toBeNull());
    asPageScript(() => {
      button('Delete').click();
      button('Edit').click();
      $('.card')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    await settle();
    expect(requests('deleteClip')).toHaveLength(0);
    expect(requests('getCriteriaChoices')).toHaveLength(0);
    expect($('.card')).not.toBeNull();
    button('Delete').click(); // the user's click still deletes
    await waitFor(() => expect(requests('deleteClip')).toHaveLength(1));
  });
});
