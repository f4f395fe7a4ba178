// @vitest-environment happy-dom
// A clip's card explains its anchoring: a "moved or changed" clip shows what changed in its text
// (marked without relying on colour, number/date/negation changes called out), a lost one offers
// its closest passages as "Is it this passage?" and re-attaches to one in a click.
import { fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ClipUi } from '../../../extension/lib/clip-ui/clip-ui';
import type { PageClip, Reply, RequestName, RequestOf } from '../../../extension/lib/messaging';
import { sendToBackground } from '../../../extension/lib/send-to-background';
import { ok } from '../../../shared/errors';
import { clip, FakeSurface, modelTrustedInput, URL_ } from './fake-surface';

vi.mock('../../../extension/lib/send-to-background', () => ({ sendToBackground: vi.fn() }));
const send = vi.mocked(sendToBackground);

const QUOTE = 'Staff must renew their MRI safety training every 12 months.';
const FOUND = 'Staff must not renew their MRI safety training every 24 months.';
const NEW_TEXT = 'Staff renew MRI safety training each year, recorded by the unit lead.';

type Handlers = { [N in RequestName]?: (body: RequestOf<N>) => Reply<N> };
let handlers: Handlers;
let pageClips: PageClip[];
let surface: FakeSurface;
let controller: AbortController;
let ui: ClipUi<Range>;

const pageClip = (id: string, quote: string): PageClip => ({
  clip: clip(id, quote),
  own: true,
  authorName: 'Ada',
});

let unmodel: () => void;

beforeEach(() => {
  // The clip UI acts only on trusted input; these clicks stand for the user's.
  unmodel = modelTrustedInput();
  pageClips = [];
  handlers = {
    getPageClips: () => ok({ clips: pageClips, criteria: {} }),
    reportAnchors: (b) => ok({ updated: b.results.length }),
    moveClip: (b) => ok({ clip: clip(b.id, b.quote) }),
  };
  send.mockImplementation(async (name, body) => {
    const handler = handlers[name] as ((b: typeof body) => Reply<typeof name>) | undefined;
    if (!handler) throw new Error(`unexpected request ${name}`);
    return handler(body);
  });
});

afterEach(() => {
  unmodel();
  controller?.abort();
  document.body.replaceChildren();
});

async function startUi(text: string): Promise<void> {
  surface = new FakeSurface(text);
  controller = new AbortController();
  ui = new ClipUi(surface, controller.signal);
  await ui.start();
}

/** Our shadow root (closed: only the ClipUi object holds it). */
const shadow = (): ShadowRoot => ui.shadow;
const card = () => shadow().querySelector<HTMLElement>('.card');

describe('a "moved or changed" clip', () => {
  test('its card shows the word-level diff, marked in words, with number and negation changes flagged', async () => {
    pageClips = [pageClip('c-moved', QUOTE)];
    await startUi(`Intro. ${FOUND}`);
    surface.statuses = { 'c-moved': 'relocated' };
    surface.extras = { 'c-moved': { found: FOUND } };
    await ui.refresh();
    ui.openCard('c-moved', 10, 10);

    const c = card();
    expect(c?.textContent).toContain('Moved or changed');
    const del = [...(c?.querySelectorAll('del') ?? [])].map((d) => d.textContent);
    const ins = [...(c?.querySelectorAll('ins') ?? [])].map((d) => d.textContent);
    // Screen readers hear "removed"/"added": the change is not told by colour alone.
    expect(del).toEqual(['[removed: 12]']);
    expect(ins).toEqual(['[added: not]', '[added: 24]']);
    const flags = [...(c?.querySelectorAll('.diff-flags li') ?? [])].map((l) => l.textContent);
    expect(flags).toEqual(['⚠ Negation changed: “not” added', '⚠ Number changed: “12” → “24”']);
    expect(c?.querySelector('.diff-flags')?.getAttribute('aria-label')).toBe('Changes to the meaning');
    expect(c?.querySelector('button.primary')?.textContent).toBe('Confirm new position');
  });

  test('the text found now is reported with its status, so the library can show the diff too', async () => {
    pageClips = [pageClip('c-moved', QUOTE), pageClip('c-found', 'Unchanged.')];
    await startUi(FOUND);
    surface.statuses = { 'c-moved': 'relocated' };
    surface.extras = { 'c-moved': { found: FOUND } };
    await ui.refresh();
    const reports = send.mock.calls.filter(([n]) => n === 'reportAnchors');
    expect(reports.at(-1)?.[1]).toEqual({
      url: URL_,
      results: [
        { id: 'c-moved', status: 'relocated', found: FOUND },
        { id: 'c-found', status: 'exact' },
      ],
    });
  });

  test('markup in the clipped or found text is shown as text, never parsed', async () => {
    const evil = 'Staff must <img src=x onerror="alert(1)"> renew training.';
    pageClips = [pageClip('c-moved', QUOTE)];
    await startUi(evil);
    surface.statuses = { 'c-moved': 'relocated' };
    surface.extras = { 'c-moved': { found: evil } };
    await ui.refresh();
    ui.openCard('c-moved', 10, 10);
    expect(card()?.querySelector('img')).toBeNull();
    expect(card()?.textContent).toContain('<img');
  });

  test('a clip that only moved (same words) shows no diff', async () => {
    pageClips = [pageClip('c-moved', QUOTE)];
    await startUi(QUOTE);
    surface.statuses = { 'c-moved': 'relocated' };
    await ui.refresh();
    ui.openCard('c-moved', 10, 10);
    expect(card()?.querySelector('.quote-diff')).toBeNull();
  });
});

describe('a lost clip', () => {
  test('offers "Is it this passage?" and re-attaches to the chosen one in one click', async () => {
    pageClips = [pageClip('c-lost', QUOTE)];
    await startUi(`Intro. ${NEW_TEXT} Outro.`);
    const node = surface.textRoot.firstChild as Text;
    const range = document.createRange();
    const at = node.data.indexOf(NEW_TEXT);
    range.setStart(node, at);
    range.setEnd(node, at + NEW_TEXT.length);
    surface.statuses = { 'c-lost': 'lost' };
    surface.extras = { 'c-lost': { suggestions: [NEW_TEXT] } };
    surface.suggestionPassages = { 'c-lost': [range] };
    await ui.refresh();
    ui.openCard('c-lost', 10, 10);

    const offer = card()?.querySelector('section[aria-label="Is it this passage?"]');
    expect(offer?.querySelector('h3')?.textContent).toBe('Is it this passage?');
    expect(offer?.textContent).toContain('each year');
    const yes = offer?.querySelector<HTMLButtonElement>('button');
    expect(yes?.getAttribute('aria-label')).toBe('Re-attach to passage 1');
    fireEvent.click(yes as HTMLButtonElement);
    await waitFor(() =>
      expect(send.mock.calls.filter(([n]) => n === 'moveClip').map(([, b]) => b)).toEqual([
        {
          id: 'c-lost',
          selectors: [{ type: 'TextQuoteSelector', exact: NEW_TEXT, prefix: '', suffix: '' }],
          quote: NEW_TEXT,
          url: URL_,
        },
      ]),
    );
    await waitFor(() =>
      expect(shadow().querySelector('.toast span')?.textContent).toBe('Clip re-attached to the passage.'),
    );
  });

  test('without suggestions it offers none', async () => {
    pageClips = [pageClip('c-lost', QUOTE)];
    await startUi('Nothing like it.');
    surface.statuses = { 'c-lost': 'lost' };
    await ui.refresh();
    ui.openCard('c-lost', 10, 10);
    expect(card()?.textContent).toContain('Lost');
    expect(card()?.querySelector('.suggestions')).toBeNull();
  });
});
