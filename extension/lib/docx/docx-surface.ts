// The Word document viewer as a clip surface: the rendered document is plain HTML in the
// viewer's page, so the web page's text model, anchoring and painter serve as they are. The
// document never changes once rendered, so its model is built once. Clips carry a FileSelector
// with the file's fingerprint: the same file through another DMS link finds them too.
import type { Clip, DocMeta, FileSelector, Selector } from '../../../shared/schemas';
import {
  buildTextModel,
  buildTextModelSliced,
  createHighlightPainter,
  describeRange,
  type HighlightPainter,
  type PaintKind,
  type TextModel,
} from '../anchoring';
import type { PlacedClip } from '../clip-ui/clip-surface';
import { type ClipSurface, type ClipUiHandle, countStatus } from '../clip-ui/clip-surface';
import { mapInSlices, queuedPasses, SLICE_MS } from '../clip-ui/pacing';
import { paintSavedClip, placeRangeClip, type RangeFinds, scrollRangeIntoView } from '../clip-ui/range-clips';
import type { PageClip, PageStatus } from '../messaging';
import { listenForClipTriggers, VIEWER_WORDING } from '../viewer/viewer-surface';
import { sectionSnapshot } from '../web-page/page-context';

export interface DocxSurfaceOptions {
  url: string;
  fingerprint: string;
  title: string;
  docMeta: DocMeta;
  /** The rendered document (selections outside it are ignored). */
  article: HTMLElement;
  /** What scrolls the document. */
  scroller: HTMLElement;
  /** Called after each anchoring pass (the viewer's status line). */
  onStatus?: (status: PageStatus) => void;
}

// The rendered document has no hidden parts: block layout by tag name, no style lookups.
const MODEL_OPTIONS = { computedStyle: false };

export class DocxSurface implements ClipSurface<Range> {
  readonly hostParent = document.body;
  readonly textRoot: HTMLElement;
  readonly scroller: HTMLElement;
  readonly doc: { url: string; fingerprint: string };
  // Each refresh follows a save, an edit or a delete whose toast waits for its own pass.
  readonly schedulePasses = queuedPasses;
  // The user opened this document to work on it: say when its clips cannot be read.
  readonly toastRefreshErrors = true;
  readonly wording = VIEWER_WORDING;
  private readonly painter: HighlightPainter = createHighlightPainter(document);
  private model: TextModel | null = null;
  private ranges = new Map<string, Range>();
  /** Lost clips' suggestions from the last pass: kept to re-attach to, never painted. */
  private suggestions = new Map<string, Range[]>();
  private status: PageStatus;
  /** Model build and anchoring of the last pass, in ms (the bench reads them). */
  timings = { model: 0, longestSlice: 0, total: 0 };

  constructor(private readonly o: DocxSurfaceOptions) {
    this.textRoot = o.article;
    this.scroller = o.scroller;
    this.doc = { url: o.url, fingerprint: o.fingerprint };
    this.status = { url: o.url, exact: 0, relocated: 0, lost: 0 };
  }

  /** The document's anchoring counts, for the popup and the viewer's status line. */
  documentStatus(): PageStatus {
    return this.status;
  }

  /** The text model (built on first use, then kept: the rendered document does not change). */
  textModel(): TextModel {
    this.model ??= buildTextModel(this.o.article, MODEL_OPTIONS);
    return this.model;
  }

  listen(ui: ClipUiHandle, signal: AbortSignal): void {
    listenForClipTriggers(ui, signal);
  }

  mayResumeDraft(): boolean {
    return true;
  }

  // ------------------------------------------------------------------ anchoring and painting

  async anchor(clips: PageClip[]): Promise<PlacedClip[]> {
    const t0 = performance.now();
    const stats = { longestSlice: 0 };
    // Built in slices the first time: a 200-page document must not freeze the viewer.
    this.model ??= await buildTextModelSliced(this.o.article, MODEL_OPTIONS, SLICE_MS, stats);
    const model = this.model;
    const modelMs = performance.now() - t0;
    const finds: RangeFinds = { ranges: new Map(), suggestions: new Map() };
    const kinds: Array<[string, Range, PaintKind]> = [];
    const placed = await mapInSlices(
      clips,
      (pc): PlacedClip => {
        const r = placeRangeClip(model, pc, finds);
        if (r.paint) kinds.push([pc.clip.id, ...r.paint]);
        return r.placed;
      },
      stats,
    );
    this.ranges = finds.ranges;
    this.suggestions = finds.suggestions;
    this.painter.clearAll();
    for (const [id, range, kind] of kinds) this.painter.paint(id, range, kind);
    this.status = countStatus(this.o.url, placed);
    this.timings = { model: modelMs, longestSlice: stats.longestSlice, total: performance.now() - t0 };
    this.o.onStatus?.(this.status);
    return placed;
  }

  hitTest(x: number, y: number): string[] {
    return this.painter.hitTest(x, y);
  }

  /** Scrolls to a clip's passage and emphasises it. */
  showClip(id: string): boolean {
    const range = this.ranges.get(id);
    if (!range) return false;
    scrollRangeIntoView(range);
    this.painter.focus(id);
    return true;
  }

  // ------------------------------------------------------------------ passages

  passageOfSelection(range: Range): Range {
    return range;
  }

  passageOfSuggestion(id: string, index: number): Range | undefined {
    return this.suggestions.get(id)?.[index];
  }

  passageOfClip(id: string): Range | undefined {
    return this.ranges.get(id);
  }

  /** Quote and position over the rendered document's text, and the file they were read in. */
  describe(range: Range): Selector[] | null {
    const selectors = describeRange(this.textModel(), range);
    // A quote over LIMITS.quote still counts here: ClipUi says it is too long, with the figures.
    if (!selectors?.some((s) => s.type === 'TextQuoteSelector' && s.exact.length > 0)) return null;
    const file: FileSelector = { type: 'FileSelector', format: 'docx', fingerprint: this.o.fingerprint };
    return [...selectors, file];
  }

  about(range: Range) {
    return { title: this.o.title, docMeta: this.o.docMeta, snapshotText: sectionSnapshot(range) };
  }

  /** Painted at once, then the pass that counts it. */
  async clipSaved(clip: Clip, range: Range | null, ui: ClipUiHandle): Promise<void> {
    paintSavedClip(this.painter, this.ranges, () => this.textModel(), clip, range);
    await ui.refresh();
  }

  focusClip(id: string, ui: ClipUiHandle): void {
    if (!this.showClip(id)) {
      ui.openCard(id, window.innerWidth - 370, 80);
      return;
    }
    const rect = this.ranges.get(id)?.getBoundingClientRect();
    ui.openCard(id, rect ? rect.left : window.innerWidth - 370, rect ? rect.bottom + 8 : 80);
    ui.focusCard();
  }

  destroy(): void {
    this.painter.destroy();
  }
}
