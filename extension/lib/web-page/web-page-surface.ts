// A web page as a clip surface (the content script): its text model over <body>, clips anchored
// as DOM Ranges and painted in place, re-anchored when the page changes, and the background's
// tab commands. It never opens IndexedDB.
import browser from 'webextension-polyfill';
import type { Clip, Selector } from '../../../shared/schemas';
import {
  buildTextModel,
  buildTextModelSliced,
  createHighlightPainter,
  createRangeVerifier,
  type HighlightPainter,
  type TextModel,
  UI_ATTRIBUTE,
  watchPageChanges,
} from '../anchoring';
import { type ClipSurface, type ClipUiHandle, countStatus, type PlacedClip } from '../clip-ui/clip-surface';
import { coalescedPasses, mapInSlices, SLICE_MS } from '../clip-ui/pacing';
import {
  paintSavedClip,
  placeRangeClip,
  placeVerifiedClip,
  scrollRangeIntoView,
} from '../clip-ui/range-clips';
import { logError } from '../log-error';
import type { PageClip, PageStatus } from '../messaging';
import { parseTabCommand } from '../tab-commands';

/** Where the text is, in the messages that send the user back to it. */
const WORDING = {
  noText: 'The selection is empty or outside the page’s text: select some text to clip.',
  unusable: 'That selection cannot be used: select some text on the page.',
  selectFirst: 'Select the passage on the page first.',
};

export class WebPageSurface implements ClipSurface<Range> {
  readonly hostParent = document.documentElement;
  readonly scroller = window;
  // Mutations arrive in bursts: a pass at a time, and one more for whatever came meanwhile.
  readonly schedulePasses = coalescedPasses;
  // Every frame of every open page runs this: a failed read is not worth a toast there.
  readonly toastRefreshErrors = false;
  readonly wording = WORDING;
  private readonly painter: HighlightPainter = createHighlightPainter(document);
  private model: TextModel | null = null;
  private ranges = new Map<string, Range>();
  /** Lost clips' suggestions from the last pass: kept to re-attach to, never painted. */
  private suggestions = new Map<string, Range[]>();
  private pageUrl = location.href;
  private timings = { model: 0, longestSlice: 0, total: 0 };
  private readonly modelOptions = { exclude: (el: Element) => el.hasAttribute(UI_ATTRIBUTE) };

  /** Root of the page's own text: everything in <body> except our UI. */
  get textRoot(): HTMLElement {
    return document.body;
  }

  get doc(): { url: string } {
    return { url: this.pageUrl };
  }

  listen(ui: ClipUiHandle, signal: AbortSignal): void {
    // sendResponse + `return true`: the form both browsers' own APIs answer (this script runs
    // without the promise polyfill, wxt.config.ts) as well as the polyfill in tests.
    const onMessage = ((message: unknown, _sender: unknown, sendResponse: (reply: unknown) => void) => {
      const reply = this.onTabCommand(message, ui);
      if (!reply) return undefined;
      void reply.then(sendResponse, logError);
      return true;
    }) as Parameters<typeof browser.runtime.onMessage.addListener>[0];
    browser.runtime.onMessage.addListener(onMessage);
    signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onMessage));
    watchPageChanges({
      root: this.textRoot,
      signal,
      ignore: (node) => node === ui.host || ui.host.contains(node),
      onMutation: () => void ui.refresh(),
      onNavigate: () => {
        this.pageUrl = location.href;
        void ui.refresh();
      },
    });
  }

  private onTabCommand(message: unknown, ui: ClipUiHandle): Promise<unknown> | undefined {
    const command = parseTabCommand(message);
    if (!command) return undefined;
    switch (command.type) {
      case 'clipSelection':
        if (ui.currentSelection()) void ui.startClip();
        else if (document.hasFocus() && window === window.top)
          ui.showToast('Select the passage you want to clip first, then try again.');
        return undefined;
      case 'refreshHighlights':
        return ui.refresh().then(() => true);
      case 'getPageStatus': {
        if (window !== window.top) return undefined;
        const status: PageStatus = { ...countStatus(location.href, ui.clips), timings: this.timings };
        return Promise.resolve(status);
      }
    }
  }

  /** The top frame, or the frame the user is in: not every frame of the page. */
  mayResumeDraft(): boolean {
    return window === window.top || document.hasFocus();
  }

  // ------------------------------------------------------------------ anchoring

  /** The current text model, built at once (for a selection the user just made). */
  private getModel(): TextModel {
    this.model ??= buildTextModel(this.textRoot, this.modelOptions);
    return this.model;
  }

  async anchor(clips: PageClip[]): Promise<PlacedClip[]> {
    const t0 = performance.now();
    const stats = { longestSlice: 0 };
    // Fast path: each clip's stored place, checked against its quote and context; the whole
    // text model only for the clips that fail it (docs/anchoring.md).
    const verifier = createRangeVerifier(this.textRoot, this.modelOptions);
    const verified = await mapInSlices(clips, (pc) => verifier.verify(pc.clip.selectors), stats);
    const t1 = performance.now();
    // Built in slices: a megabyte page must not freeze (no main-thread task over 50 ms).
    const model = verified.some((r) => !r)
      ? await buildTextModelSliced(this.textRoot, this.modelOptions, SLICE_MS, stats)
      : null;
    this.model = model;
    this.ranges.clear();
    this.suggestions.clear();
    this.painter.clearAll();
    const modelMs = performance.now() - t1;
    const finds = { ranges: this.ranges, suggestions: this.suggestions };
    const placed = await mapInSlices(
      clips.map((pc, i) => ({ pc, range: verified[i] })),
      ({ pc, range }): PlacedClip => {
        const r = range ? placeVerifiedClip(pc, range, finds) : placeRangeClip(this.getModel(), pc, finds);
        if (r.paint) this.painter.paint(pc.clip.id, ...r.paint);
        return r.placed;
      },
      stats,
    );
    this.timings = { model: modelMs, longestSlice: stats.longestSlice, total: performance.now() - t0 };
    return placed;
  }

  hitTest(x: number, y: number): string[] {
    return this.painter.hitTest(x, y);
  }

  // ------------------------------------------------------------------ passages

  passageOfSelection(range: Range): Range {
    return range;
  }

  passageOfClip(id: string): Range | undefined {
    return this.ranges.get(id);
  }

  passageOfSuggestion(id: string, index: number): Range | undefined {
    return this.suggestions.get(id)?.[index];
  }

  /**
   * How a selection becomes selectors (`describeRange`). Only the clip view clips, so it hands
   * this over when it is injected and page load does not carry it; null until then.
   */
  describer: ((model: TextModel, range: Range) => Selector[] | null) | undefined;

  /** Read against a fresh model: the page may have changed since the last pass. */
  describe(range: Range): Selector[] | null {
    if (!this.describer) return null;
    this.model = null;
    const selectors = this.describer(this.getModel(), range);
    // A quote over LIMITS.quote still counts here: ClipUi says it is too long, with the figures.
    const valid = selectors?.some((s) => s.type === 'TextQuoteSelector' && s.exact.length > 0);
    return valid ? selectors : null;
  }

  /** Painted at once: on a big page the refresh may still be busy with an earlier pass. */
  async clipSaved(clip: Clip, range: Range | null, ui: ClipUiHandle): Promise<void> {
    paintSavedClip(this.painter, this.ranges, () => this.getModel(), clip, range);
    void ui.refresh();
  }

  focusClip(id: string, ui: ClipUiHandle): void {
    const range = this.ranges.get(id);
    if (!range) {
      ui.openCard(id, window.innerWidth - 370, 80);
      return;
    }
    scrollRangeIntoView(range);
    this.painter.focus(id);
    const rect = range.getBoundingClientRect();
    ui.openCard(id, rect.left, rect.bottom + 8);
    ui.focusCard();
  }

  destroy(): void {
    this.painter.clearAll();
  }
}
