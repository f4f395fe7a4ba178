// @vitest-environment happy-dom
// On web pages the clip UI's host runs from page load and loads its view (Preact: button, dialog,
// card, panel) only for the user's own input: what loads it, what does not (a page's script), and
// that the view then behaves as if it had always been there.
import { fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ClipHost } from '../../../extension/lib/clip-ui/clip-host';
import type { ClipView, ClipViewHost } from '../../../extension/lib/clip-ui/clip-surface';
import { ClipOverlayView } from '../../../extension/lib/clip-ui/clip-view';
import type { PageClip } from '../../../extension/lib/messaging';
import { sendToBackground } from '../../../extension/lib/send-to-background';
import { ok } from '../../../shared/errors';
import { asPageScript, clip, FakeSurface, modelTrustedInput, PASSAGE, selectIn } from './fake-surface';

vi.mock('../../../extension/lib/send-to-background', () => ({ sendToBackground: vi.fn() }));
const send = vi.mocked(sendToBackground);

let surface: FakeSurface;
let controller: AbortController;
let host: ClipHost<Range>;
let pageClips: PageClip[];
let draft: unknown;
const load = vi.fn(async (h: ClipViewHost<Range>): Promise<ClipView> => new ClipOverlayView(h));
let unmodel: () => void;

async function startHost(): Promise<void> {
  surface = new FakeSurface(`Intro. ${PASSAGE} Outro.`);
  controller = new AbortController();
  host = new ClipHost(surface, controller.signal, 'closed', load);
  await host.start();
}
const $ = (selector: string) => host.shadow.querySelector<HTMLElement>(selector);
const settle = () => new Promise((r) => setTimeout(r, 30));

beforeEach(() => {
  unmodel = modelTrustedInput();
  vi.spyOn(Range.prototype, 'getClientRects').mockReturnValue([
    { left: 100, right: 300, top: 50, bottom: 70, width: 200, height: 20, x: 100, y: 50 },
  ] as unknown as DOMRectList);
  load.mockClear();
  pageClips = [];
  draft = null;
  send.mockImplementation(async (name, body) => {
    if (name === 'getPageClips') return ok({ clips: pageClips, criteria: {} }) as never;
    if (name === 'reportAnchors')
      return ok({ updated: (body as { results: unknown[] }).results.length }) as never;
    if (name === 'getDraft') return ok({ draft }) as never;
    if (name === 'getCriteriaChoices') return ok({ frameworkName: 'QSI', choices: [] }) as never;
    throw new Error(`unexpected request ${name}`);
  });
});

afterEach(() => {
  unmodel();
  controller?.abort();
  document.getSelection()?.removeAllRanges();
  document.body.replaceChildren();
});

describe('page load', () => {
  test('anchors and reports the clips without loading the view', async () => {
    pageClips = [{ clip: clip('c-1', PASSAGE), own: true, authorName: 'Ada' }];
    await startHost();
    expect(send.mock.calls.map(([n]) => n)).toEqual(['getPageClips', 'reportAnchors']);
    expect(host.clips.map((c) => c.clip.id)).toEqual(['c-1']);
    expect(load).not.toHaveBeenCalled();
    expect(host.viewLoaded).toBe(false);
  });

  test('shows the evidence toggle with its counts, as the view renders it, in the closed root', async () => {
    pageClips = [
      { clip: clip('c-1', PASSAGE), own: true, authorName: 'Ada' },
      { clip: clip('c-2', 'Gone'), own: true, authorName: 'Ada' },
    ];
    await startHost();
    surface.statuses = { 'c-2': 'lost' };
    await host.refresh();
    const toggle = $('.panel-toggle');
    expect(toggle?.textContent).toBe('Evidence on this page: 2 · 1 lost');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    expect(host.host.shadowRoot).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });

  test('a page with no clips shows nothing', async () => {
    await startHost();
    expect($('.panel')).toBeNull();
  });
});

describe('what loads the view', () => {
  test('the user’s selection (mouse or keyboard) loads it once and shows the button', async () => {
    await startHost();
    selectIn(surface.textRoot, PASSAGE, 'mouseup');
    await waitFor(() => expect($('.clip-button')?.textContent).toBe('Clip as evidence'));
    selectIn(surface.textRoot, 'Intro.', 'keyup');
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
  });

  test('pressing the toggle loads it and opens the panel, focus on the toggle', async () => {
    pageClips = [{ clip: clip('c-1', PASSAGE), own: true, authorName: 'Ada' }];
    await startHost();
    $('.panel-toggle')?.click();
    await waitFor(() => expect($('.panel-list')).not.toBeNull());
    expect($('.panel-toggle')?.getAttribute('aria-expanded')).toBe('true');
    expect(host.shadow.querySelectorAll('.panel')).toHaveLength(1);
    await waitFor(() => expect(host.shadow.activeElement).toBe($('.panel-toggle')));
  });

  test('a clip command from the background loads it and opens the tag dialog', async () => {
    await startHost();
    selectIn(surface.textRoot, PASSAGE, 'keyup');
    await host.startClip();
    await waitFor(() => expect($('[role="dialog"]')).not.toBeNull());
  });

  test('a saved draft is reopened at start', async () => {
    draft = {
      url: surface.doc.url,
      title: 'Radiation safety policy',
      selectors: [{ type: 'TextQuoteSelector', exact: PASSAGE, prefix: '', suffix: '' }],
      quote: PASSAGE,
      criteria: [],
      note: 'half typed',
      docMeta: {},
      snapshotText: '',
    };
    surface = new FakeSurface('x');
    surface.resumeDraft = true;
    controller = new AbortController();
    host = new ClipHost(surface, controller.signal, 'closed', load);
    await host.start();
    expect(load).toHaveBeenCalledTimes(1);
    expect($('[role="dialog"]')?.textContent).toContain(PASSAGE);
  });

  test('a failed load is tried again on the next need', async () => {
    await startHost();
    load.mockRejectedValueOnce(new Error('frame gone'));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    selectIn(surface.textRoot, PASSAGE);
    await settle();
    expect(logged).toHaveBeenCalled();
    expect($('.clip-button')).toBeNull();
    selectIn(surface.textRoot, PASSAGE);
    await waitFor(() => expect($('.clip-button')).not.toBeNull());
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('a page’s script cannot load it', () => {
  test('script-made mouseups, keys and toggle clicks load nothing', async () => {
    pageClips = [{ clip: clip('c-1', PASSAGE), own: true, authorName: 'Ada' }];
    await startHost();
    const toggle = $('.panel-toggle');
    asPageScript(() => {
      selectIn(surface.textRoot, PASSAGE, 'mouseup');
      document.dispatchEvent(new KeyboardEvent('keyup', { key: 'a' }));
      toggle?.click();
      toggle?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    });
    await settle();
    expect(load).not.toHaveBeenCalled();
  });

  test('a selection change alone (a script can make one) loads nothing', async () => {
    await startHost();
    const range = document.createRange();
    range.selectNodeContents(surface.textRoot);
    document.getSelection()?.addRange(range);
    document.dispatchEvent(new Event('selectionchange')); // the browser's, so trusted
    await settle();
    expect(load).not.toHaveBeenCalled();
  });
});

test('teardown after the view loaded removes both and stops listening', async () => {
  await startHost();
  selectIn(surface.textRoot, PASSAGE);
  await waitFor(() => expect($('.clip-button')).not.toBeNull());
  controller.abort();
  expect(host.host.isConnected).toBe(false);
  expect(surface.destroyed).toBe(1);
  expect($('.root')?.childElementCount).toBe(0);
  fireEvent.mouseUp(document);
  expect($('.clip-button')).toBeNull();
});
