// The viewer's pages: one box per page sized from its viewport, rendered (canvas +
// pdf.js text layer) only while near the viewport and released when far, so a 300-page policy
// opens fast. Callers learn when a page's text layer attaches or goes, to map and repaint.
import { OutputScale, type PDFPageProxy, RenderingCancelledException, TextLayer } from 'pdfjs-dist';
import type { TextContent } from 'pdfjs-dist/types/src/display/api';
import { logError } from '../log-error';

export interface PageViewOptions {
  /** Scrolling element that holds the pages. */
  container: HTMLElement;
  pages: PDFPageProxy[];
  contents: TextContent[];
  /** A page's text layer is in the DOM: `spans[j]` shows item j of its text content. */
  onAttach(page: number, spans: HTMLElement[]): void;
  onDetach(page: number): void;
  /** The page most in view changed (zero-based). */
  onPageChange(page: number): void;
}

export interface PageView {
  readonly pageCount: number;
  readonly currentPage: number;
  readonly scale: number;
  setScale(scale: number): void;
  /** Scrolls page `page` (zero-based) to the top of the view. */
  goToPage(page: number): void;
  /** Resolves when page `page` has its text layer (rendering it first if needed). */
  ensureRendered(page: number): Promise<void>;
  pageElement(page: number): HTMLElement | undefined;
  destroy(): void;
}

/** CSS pixels per PDF point at 100 % (pdf.js PixelsPerInch.PDF_TO_CSS_UNITS). */
const CSS_UNITS = 96 / 72;
/** About this many rendered pages are kept around the view; farther ones are released. */
const KEEP = 12;

interface Slot {
  div: HTMLElement;
  rendered: Promise<void> | null;
  cancel: (() => void) | null;
  visible: boolean;
}

export function createPageView(options: PageViewOptions): PageView {
  const { container, pages, contents } = options;
  let scale = 1;
  let current = 0;
  const slots: Slot[] = pages.map((page, i) => {
    const div = document.createElement('div');
    div.className = 'page';
    div.dataset.pageNumber = String(i + 1);
    div.setAttribute('role', 'region');
    div.setAttribute('aria-label', `Page ${i + 1} of ${pages.length}`);
    const [x0, y0, x1, y1] = page.view;
    div.style.setProperty('--page-w', `${(x1 ?? 0) - (x0 ?? 0)}`);
    div.style.setProperty('--page-h', `${(y1 ?? 0) - (y0 ?? 0)}`);
    container.append(div);
    return { div, rendered: null, cancel: null, visible: false };
  });
  const applyScale = () => container.style.setProperty('--scale-factor', String(scale * CSS_UNITS));
  applyScale();

  function release(i: number): void {
    const slot = slots[i];
    if (!slot?.rendered) return;
    slot.cancel?.();
    slot.rendered = null;
    slot.cancel = null;
    slot.div.replaceChildren();
    options.onDetach(i);
  }

  function render(i: number): Promise<void> {
    const slot = slots[i];
    const page = pages[i];
    const content = contents[i];
    if (!slot || !page || !content) return Promise.resolve();
    if (slot.rendered) return slot.rendered;
    const viewport = page.getViewport({ scale: scale * CSS_UNITS });
    const output = new OutputScale();
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width * output.sx);
    canvas.height = Math.floor(viewport.height * output.sy);
    canvas.setAttribute('aria-hidden', 'true');
    const textDiv = document.createElement('div');
    textDiv.className = 'textLayer';
    slot.div.replaceChildren(canvas, textDiv);
    const task = page.render({
      canvas,
      viewport,
      transform: output.scaled ? [output.sx, 0, 0, output.sy, 0, 0] : undefined,
    });
    const textLayer = new TextLayer({ textContentSource: content, container: textDiv, viewport });
    slot.cancel = () => {
      task.cancel();
      textLayer.cancel();
    };
    slot.rendered = (async () => {
      await textLayer.render();
      // pdf.js's trick for stable drag selection: while selecting, this block fills the layer
      // so the pointer between lines or pages does not jump the selection to the page's end.
      const end = document.createElement('div');
      end.className = 'endOfContent';
      textDiv.append(end);
      options.onAttach(i, textLayer.textDivs);
      await task.promise;
    })().catch((error: unknown) => {
      if (!(error instanceof RenderingCancelledException) && !/cancel/i.test(String(error))) logError(error);
    });
    // Release rendered pages out of view and more than KEEP / 2 pages away (canvas memory).
    slots.forEach((s, k) => {
      if (s.rendered && !s.visible && Math.abs(k - i) > KEEP / 2) release(k);
    });
    return slot.rendered;
  }

  const observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        const i = Number((e.target as HTMLElement).dataset.pageNumber) - 1;
        const slot = slots[i];
        if (!slot) continue;
        slot.visible = e.isIntersecting;
        if (e.isIntersecting) void render(i);
      }
    },
    { root: container, rootMargin: '50% 0px' },
  );
  for (const s of slots) observer.observe(s.div);

  const onScroll = () => {
    // The page whose box crosses the upper third of the view.
    const mark = container.scrollTop + container.clientHeight / 3;
    let lo = 0;
    let hi = slots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((slots[mid]?.div.offsetTop ?? 0) <= mark) lo = mid;
      else hi = mid - 1;
    }
    if (lo !== current) {
      current = lo;
      options.onPageChange(lo);
    }
  };
  container.addEventListener('scroll', onScroll, { passive: true });
  const selecting = (on: boolean) => {
    for (const layer of container.querySelectorAll('.textLayer')) layer.classList.toggle('selecting', on);
  };
  const onDown = () => selecting(true);
  const onUp = () => selecting(false);
  container.addEventListener('mousedown', onDown);
  document.addEventListener('mouseup', onUp);

  return {
    pageCount: pages.length,
    get currentPage() {
      return current;
    },
    get scale() {
      return scale;
    },
    setScale(next) {
      const clamped = Math.min(4, Math.max(0.25, next));
      if (clamped === scale) return;
      const keep = current;
      scale = clamped;
      applyScale();
      slots.forEach((s, i) => {
        if (s.rendered) {
          release(i);
          if (s.visible) void render(i);
        }
      });
      this.goToPage(keep);
    },
    goToPage(page) {
      const slot = slots[Math.min(slots.length - 1, Math.max(0, page))];
      if (!slot) return;
      container.scrollTop = slot.div.offsetTop - 8;
      onScroll();
    },
    ensureRendered: (page) => render(page),
    pageElement: (page) => slots[page]?.div,
    destroy() {
      observer.disconnect();
      container.removeEventListener('scroll', onScroll);
      container.removeEventListener('mousedown', onDown);
      document.removeEventListener('mouseup', onUp);
      slots.forEach((_, i) => {
        release(i);
      });
    },
  };
}
