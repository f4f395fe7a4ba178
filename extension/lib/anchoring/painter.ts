// Paints anchored clips without touching the page's DOM: CSS Custom Highlight API
// with registered names `qsi-evidence-own|team|relocated|focus` and `::highlight()` rules in a
// constructed stylesheet adopted by the document. Where `CSS.highlights` is missing, boxes are
// drawn from `range.getClientRects()` inside one shadow-root host marked `data-qsi-evidence-ui`.
//
// API (framework-free; the content script owns the lifecycle):
//   const painter = createHighlightPainter(document);
//   painter.paint(clipId, range, 'own' | 'team' | 'relocated');   // repaint = paint again
//   painter.focus(clipId | null);            // extra emphasis for the clip being shown
//   painter.hitTest(clientX, clientY)        // → clip ids under the point, topmost first
//   painter.clear(clipId); painter.clearAll(); painter.refresh() (fallback: after layout changes;
//   window resizes are handled by the painter itself)
//   painter.destroy();                        // unregister highlights, drop styles and overlay
import { UI_ATTRIBUTE } from './text-model';

export type PaintKind = 'own' | 'team' | 'relocated';
export const HIGHLIGHT_NAMES = {
  own: 'qsi-evidence-own',
  team: 'qsi-evidence-team',
  relocated: 'qsi-evidence-relocated',
  focus: 'qsi-evidence-focus',
} as const;

export interface HighlightPainter {
  /** `css-highlights` (no DOM change) or `overlay` (fallback boxes in our shadow root). */
  readonly mode: 'css-highlights' | 'overlay';
  paint(id: string, range: Range, kind: PaintKind): void;
  focus(id: string | null): void;
  clear(id: string): void;
  clearAll(): void;
  /** Clip ids whose painted rects contain the viewport point (client coordinates). */
  hitTest(x: number, y: number): string[];
  /** Recomputes overlay boxes (no-op with the Highlight API, which follows layout itself). */
  refresh(): void;
  destroy(): void;
}

const COLOURS = {
  own: 'rgba(255, 204, 0, 0.42)',
  team: 'rgba(80, 160, 255, 0.30)',
  relocated: 'rgba(255, 140, 0, 0.35)',
  focus: 'rgba(255, 120, 0, 0.55)',
} as const;

/** The `::highlight()` rules (exported for tests and for frames that style themselves). */
export const HIGHLIGHT_CSS = `
::highlight(${HIGHLIGHT_NAMES.own}) { background-color: ${COLOURS.own}; }
::highlight(${HIGHLIGHT_NAMES.team}) { background-color: ${COLOURS.team}; }
::highlight(${HIGHLIGHT_NAMES.relocated}) { background-color: ${COLOURS.relocated}; text-decoration: underline wavy rgb(200, 90, 0); }
::highlight(${HIGHLIGHT_NAMES.focus}) { background-color: ${COLOURS.focus}; text-decoration: underline 2px rgb(150, 60, 0); }
`;

interface HighlightLike {
  add(range: AbstractRange): unknown;
  delete(range: AbstractRange): boolean;
  clear(): void;
  priority: number;
}
interface HighlightRegistryLike {
  set(name: string, h: HighlightLike): unknown;
  delete(name: string): boolean;
  get(name: string): HighlightLike | undefined;
  /** Chromium ≥ 140 (web-features "highlightsFromPoint"): painted highlights under a point. */
  highlightsFromPoint?: (x: number, y: number) => Array<{ highlight?: unknown; ranges?: AbstractRange[] }>;
}

function highlightApi(win: Window): { registry: HighlightRegistryLike; make: () => HighlightLike } | null {
  const css = (win as unknown as { CSS?: { highlights?: HighlightRegistryLike } }).CSS;
  const Ctor = (win as unknown as { Highlight?: new () => HighlightLike }).Highlight;
  if (!css?.highlights || typeof Ctor !== 'function') return null;
  return { registry: css.highlights, make: () => new Ctor() };
}

interface Painted {
  range: Range;
  kind: PaintKind;
}

/** Creates the painter for `doc` (one per document/frame). */
export function createHighlightPainter(doc: Document): HighlightPainter {
  const win = doc.defaultView;
  const api = win ? highlightApi(win) : null;
  const painted = new Map<string, Painted>();
  let focused: string | null = null;

  const inside = (r: DOMRect, x: number, y: number) =>
    x >= r.left && x <= r.right && y >= r.top && y <= r.bottom && r.width > 0 && r.height > 0;
  const byRange = new Map<AbstractRange, string>();
  const rectHits = (x: number, y: number): string[] => {
    const hits: string[] = [];
    for (const [id, p] of painted) {
      if (!p.range.getBoundingClientRect || !inside(p.range.getBoundingClientRect(), x, y)) continue;
      for (const rect of Array.from(p.range.getClientRects())) {
        if (inside(rect, x, y)) {
          hits.push(id);
          break;
        }
      }
    }
    return hits;
  };
  /** Where the browser can say which painted ranges are under the point, no rects are read. */
  const browserHits = (x: number, y: number, ours: Set<unknown>): string[] | null => {
    const from = api?.registry.highlightsFromPoint;
    if (typeof from !== 'function' || !api) return null;
    try {
      const ids = new Set<string>();
      for (const hit of from.call(api.registry, x, y)) {
        if (!ours.has(hit.highlight)) continue;
        if (!hit.ranges) return null; // an older shape without ranges: measure ourselves
        for (const r of hit.ranges) {
          const id = byRange.get(r);
          if (id) ids.add(id);
        }
      }
      return [...ids];
    } catch {
      return null;
    }
  };
  let ourHighlights = new Set<unknown>();
  const hitTest = (x: number, y: number): string[] => {
    const hits = browserHits(x, y, ourHighlights) ?? rectHits(x, y);
    // Focused first, then the shortest (innermost) passage: what the user most likely means.
    return hits.sort(
      (a, b) =>
        Number(b === focused) - Number(a === focused) ||
        (painted.get(a)?.range.toString().length ?? 0) - (painted.get(b)?.range.toString().length ?? 0),
    );
  };

  if (api) {
    const highlights = {
      own: api.make(),
      team: api.make(),
      relocated: api.make(),
      focus: api.make(),
    };
    ourHighlights = new Set<unknown>(Object.values(highlights));
    highlights.focus.priority = 2;
    highlights.relocated.priority = 1;
    for (const [kind, h] of Object.entries(highlights)) {
      api.registry.set(HIGHLIGHT_NAMES[kind as keyof typeof HIGHLIGHT_NAMES], h);
    }
    const sheet = adoptStyles(doc, HIGHLIGHT_CSS);
    const unpaint = (id: string) => {
      const p = painted.get(id);
      if (!p) return;
      highlights[p.kind].delete(p.range);
      highlights.focus.delete(p.range);
      painted.delete(id);
      byRange.delete(p.range);
    };
    return {
      mode: 'css-highlights',
      paint(id, range, kind) {
        unpaint(id);
        painted.set(id, { range, kind });
        byRange.set(range, id);
        highlights[kind].add(range);
        if (focused === id) highlights.focus.add(range);
      },
      focus(id) {
        highlights.focus.clear();
        focused = id;
        const p = id ? painted.get(id) : undefined;
        if (p) highlights.focus.add(p.range);
      },
      clear: unpaint,
      clearAll() {
        for (const h of Object.values(highlights)) h.clear();
        painted.clear();
        byRange.clear();
      },
      hitTest,
      refresh() {},
      destroy() {
        for (const h of Object.values(highlights)) h.clear();
        for (const name of Object.values(HIGHLIGHT_NAMES)) {
          const h = api.registry.get(name);
          if (h && Object.values(highlights).includes(h)) api.registry.delete(name);
        }
        painted.clear();
        sheet.remove();
      },
    };
  }

  // Fallback: absolutely positioned boxes in our own shadow root, pointer-events off.
  const host = doc.createElement('qsi-evidence-highlights');
  host.setAttribute(UI_ATTRIBUTE, '');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText =
    'position:absolute;left:0;top:0;width:0;height:0;pointer-events:none;z-index:2147483646;';
  const shadow = host.attachShadow({ mode: 'open' });
  const layer = doc.createElement('div');
  shadow.append(layer);
  const boxes = new Map<string, HTMLElement[]>();
  const draw = (id: string) => {
    for (const b of boxes.get(id) ?? []) b.remove();
    const p = painted.get(id);
    if (!p) {
      boxes.delete(id);
      return;
    }
    const sx = win?.scrollX ?? 0;
    const sy = win?.scrollY ?? 0;
    const colour = id === focused ? COLOURS.focus : COLOURS[p.kind];
    const made = Array.from(p.range.getClientRects())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => {
        const box = doc.createElement('div');
        box.dataset.clip = id;
        box.style.cssText = `position:absolute;left:${r.left + sx}px;top:${r.top + sy}px;width:${r.width}px;height:${r.height}px;background:${colour};mix-blend-mode:multiply;${p.kind === 'relocated' ? 'border-bottom:2px dotted rgb(200,90,0);' : ''}`;
        return box;
      });
    layer.append(...made);
    boxes.set(id, made);
  };
  const ensureHost = () => {
    if (!host.isConnected) doc.documentElement.append(host);
  };
  // Boxes sit in document coordinates, so scrolling needs nothing; a resize reflows the text.
  let frame = 0;
  const onResize = () => {
    if (frame) return;
    frame =
      win?.requestAnimationFrame(() => {
        frame = 0;
        for (const id of painted.keys()) draw(id);
      }) ?? 0;
  };
  win?.addEventListener('resize', onResize);
  return {
    mode: 'overlay',
    paint(id, range, kind) {
      ensureHost();
      painted.set(id, { range, kind });
      draw(id);
    },
    focus(id) {
      const before = focused;
      focused = id;
      if (before) draw(before);
      if (id) draw(id);
    },
    clear(id) {
      painted.delete(id);
      draw(id);
    },
    clearAll() {
      painted.clear();
      for (const id of [...boxes.keys()]) draw(id);
    },
    hitTest,
    refresh() {
      for (const id of painted.keys()) draw(id);
    },
    destroy() {
      win?.removeEventListener('resize', onResize);
      if (frame) win?.cancelAnimationFrame(frame);
      painted.clear();
      boxes.clear();
      host.remove();
    },
  };
}

/** Adds rules without touching the page's DOM where possible (adopted constructed sheet). */
function adoptStyles(doc: Document, css: string): { remove(): void } {
  const win = doc.defaultView;
  const Sheet = win?.CSSStyleSheet;
  if (Sheet && Array.isArray(doc.adoptedStyleSheets)) {
    try {
      const sheet = new Sheet();
      sheet.replaceSync(css);
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
      return {
        remove() {
          doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
        },
      };
    } catch {
      // constructed sheets unsupported in this context: fall through
    }
  }
  const style = doc.createElement('style');
  style.setAttribute(UI_ATTRIBUTE, '');
  style.textContent = css;
  (doc.head ?? doc.documentElement).append(style);
  return {
    remove() {
      style.remove();
    },
  };
}
