// @vitest-environment happy-dom
// Painter (CSS Custom Highlight API with a stand-in registry; overlay fallback where it is
// missing) and the re-anchoring triggers (debounced mutations, SPA navigation).
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  createHighlightPainter,
  HIGHLIGHT_NAMES,
  UI_ATTRIBUTE,
  watchPageChanges,
} from '../../../extension/lib/anchoring';

function rangeOver(el: Element): Range {
  const r = document.createRange();
  r.selectNodeContents(el);
  return r;
}

function fakeRects(range: Range, rect: { left: number; top: number; width: number; height: number }): void {
  const r = {
    ...rect,
    right: rect.left + rect.width,
    bottom: rect.top + rect.height,
    x: rect.left,
    y: rect.top,
  };
  range.getClientRects = () => [r] as unknown as DOMRectList;
  range.getBoundingClientRect = () => r as DOMRect;
}

class FakeHighlight extends Set<AbstractRange> {
  priority = 0;
}

afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

describe('painter with the CSS Custom Highlight API', () => {
  test('registers qsi-evidence highlights, paints by kind, focuses, clears, hit-tests', () => {
    const registry = new Map<string, FakeHighlight>();
    vi.stubGlobal('CSS', { highlights: registry });
    vi.stubGlobal('Highlight', FakeHighlight);
    document.body.innerHTML = '<p id="a">Alpha</p><p id="b">Beta</p>';
    const before = document.body.innerHTML;
    const sheets = document.adoptedStyleSheets.length;
    const painter = createHighlightPainter(document);
    expect(painter.mode).toBe('css-highlights');
    expect([...registry.keys()].every((k) => k.startsWith('qsi-evidence'))).toBe(true);
    expect([...registry.keys()].sort()).toEqual(Object.values(HIGHLIGHT_NAMES).sort());
    expect(document.adoptedStyleSheets.length).toBe(sheets + 1);

    const a = rangeOver(document.getElementById('a') as Element);
    const b = rangeOver(document.getElementById('b') as Element);
    fakeRects(a, { left: 10, top: 10, width: 100, height: 20 });
    fakeRects(b, { left: 10, top: 40, width: 100, height: 20 });
    painter.paint('clip-a', a, 'own');
    painter.paint('clip-b', b, 'relocated');
    expect(registry.get(HIGHLIGHT_NAMES.own)?.has(a)).toBe(true);
    expect(registry.get(HIGHLIGHT_NAMES.relocated)?.has(b)).toBe(true);
    painter.paint('clip-b', b, 'team'); // repaint moves it
    expect(registry.get(HIGHLIGHT_NAMES.relocated)?.size).toBe(0);
    expect(registry.get(HIGHLIGHT_NAMES.team)?.has(b)).toBe(true);

    painter.focus('clip-a');
    expect(registry.get(HIGHLIGHT_NAMES.focus)?.has(a)).toBe(true);
    expect(painter.hitTest(50, 15)).toEqual(['clip-a']);
    expect(painter.hitTest(50, 45)).toEqual(['clip-b']);
    expect(painter.hitTest(500, 500)).toEqual([]);

    painter.clear('clip-a');
    expect(registry.get(HIGHLIGHT_NAMES.own)?.size).toBe(0);
    expect(registry.get(HIGHLIGHT_NAMES.focus)?.size).toBe(0);
    painter.clearAll();
    expect(painter.hitTest(50, 45)).toEqual([]);
    expect(document.body.innerHTML).toBe(before); // the page's DOM was never touched
    painter.destroy();
    expect(registry.size).toBe(0);
    expect(document.adoptedStyleSheets.length).toBe(sheets);
  });
});

describe('hit-testing through CSS.highlights.highlightsFromPoint', () => {
  test('maps the ranges the browser reports back to clip ids, ignoring other highlights', () => {
    const registry = Object.assign(new Map<string, FakeHighlight>(), {
      highlightsFromPoint: (_x: number, _y: number) => [
        { highlight: new FakeHighlight(), ranges: [] }, // someone else's highlight
        {
          highlight: registry.get(HIGHLIGHT_NAMES.own),
          ranges: [...(registry.get(HIGHLIGHT_NAMES.own) ?? [])],
        },
      ],
    });
    vi.stubGlobal('CSS', { highlights: registry });
    vi.stubGlobal('Highlight', FakeHighlight);
    document.body.innerHTML = '<p id="a">Alpha</p><p id="b">Beta</p>';
    const painter = createHighlightPainter(document);
    const a = rangeOver(document.getElementById('a') as Element);
    a.getClientRects = () => {
      throw new Error('rects must not be read');
    };
    painter.paint('clip-a', a, 'own');
    painter.paint('clip-b', rangeOver(document.getElementById('b') as Element), 'team');
    expect(painter.hitTest(1, 1)).toEqual(['clip-a']);
    painter.clear('clip-a');
    expect(painter.hitTest(1, 1)).toEqual([]);
    painter.destroy();
  });
});

describe('painter fallback without CSS.highlights', () => {
  test('draws boxes in one shadow host marked as our UI, removes them again', () => {
    document.body.innerHTML = '<p id="a">Alpha</p>';
    const painter = createHighlightPainter(document);
    expect(painter.mode).toBe('overlay');
    const a = rangeOver(document.getElementById('a') as Element);
    fakeRects(a, { left: 5, top: 5, width: 50, height: 10 });
    painter.paint('x', a, 'own');
    const host = document.querySelector(`[${UI_ATTRIBUTE}]`);
    expect(host?.shadowRoot?.querySelectorAll('[data-clip="x"]').length).toBe(1);
    expect(painter.hitTest(20, 10)).toEqual(['x']);
    painter.clear('x');
    expect(host?.shadowRoot?.querySelectorAll('[data-clip]').length).toBe(0);
    painter.destroy();
    expect(document.querySelector(`[${UI_ATTRIBUTE}]`)).toBeNull();
  });
});

describe('watchPageChanges', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('debounces page mutations and ignores our own UI', async () => {
    document.body.innerHTML = '<main><p>One</p></main><div data-qsi-evidence-ui><span>ui</span></div>';
    const onMutation = vi.fn();
    const ac = new AbortController();
    watchPageChanges({
      root: document.body,
      signal: ac.signal,
      onMutation,
      onNavigate: () => {},
      debounceMs: 30,
      pollMs: 0,
    });
    const ui = document.querySelector(`[${UI_ATTRIBUTE}]`) as Element;
    ui.append(document.createElement('b'));
    (ui.querySelector('span') as Element).textContent = 'changed';
    await sleep(80);
    expect(onMutation).not.toHaveBeenCalled();
    const main = document.querySelector('main') as Element;
    for (let i = 0; i < 5; i++) main.append(document.createElement('p'));
    await sleep(10);
    (main.querySelector('p') as Element).textContent = 'Two';
    await sleep(80);
    expect(onMutation).toHaveBeenCalledTimes(1);
    ac.abort();
    main.append(document.createElement('p'));
    await sleep(80);
    expect(onMutation).toHaveBeenCalledTimes(1);
  });

  test('reports SPA navigation: pushState (polled), hashchange, popstate', async () => {
    const onNavigate = vi.fn();
    const stop = watchPageChanges({ root: document.body, onMutation: () => {}, onNavigate, pollMs: 10 });
    history.pushState({}, '', '/policies/ct-referrals');
    await sleep(40);
    expect(onNavigate).toHaveBeenLastCalledWith(expect.stringContaining('/policies/ct-referrals'));
    location.hash = '#section-3';
    window.dispatchEvent(new Event('hashchange'));
    await sleep(20);
    expect(onNavigate).toHaveBeenLastCalledWith(expect.stringContaining('#section-3'));
    const calls = onNavigate.mock.calls.length;
    window.dispatchEvent(new Event('popstate')); // same URL: nothing new
    await sleep(20);
    expect(onNavigate.mock.calls.length).toBe(calls);
    stop();
  });
});
