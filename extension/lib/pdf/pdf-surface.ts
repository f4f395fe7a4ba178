// The PDF viewer as a clip surface, so clipping works as on web pages over the PDF
// text model. Clips anchor once over the whole document's text; highlights are painted on
// whichever pages are rendered and repainted as pages render lazily. Selections may cross pages.
import { describeText, locateText } from '../../../shared/anchoring';
import type { Clip, PageSelector, Selector } from '../../../shared/schemas';
import { createHighlightPainter, type HighlightPainter } from '../anchoring';
import type { PdfTextModel } from '../anchoring/pdf-text-model';
import type { PlacedClip } from '../clip-ui/clip-surface';
import { type ClipSurface, type ClipUiHandle, countStatus } from '../clip-ui/clip-surface';
import { changedText } from '../clip-ui/found-text';
import { mapInSlices, queuedPasses } from '../clip-ui/pacing';
import { logError } from '../log-error';
import type { PageClip, PageStatus } from '../messaging';
import { listenForClipTriggers, VIEWER_WORDING } from '../viewer/viewer-surface';
import type { LoadedPdf } from './load-pdf';
import type { PageView } from './page-view';

/** A passage as offsets into the whole document's text. */
interface Span {
  start: number;
  end: number;
}

interface Anchored extends Span {
  kind: 'own' | 'team' | 'relocated';
}

export interface PdfSurfaceOptions {
  url: string;
  loaded: LoadedPdf;
  model: PdfTextModel;
  view: PageView;
  /** Element holding the pages (selections outside it are ignored). */
  pagesRoot: HTMLElement;
  /** Called after each anchoring pass (the viewer's status line). */
  onStatus?: (status: PageStatus) => void;
}

const SNAPSHOT_MAX = 20_000;
/** Separates a clip id from the page of one of its painted parts. */
const PART = '@page';

export class PdfSurface implements ClipSurface<Span> {
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
  private anchored = new Map<string, Anchored>();
  /** Lost clips' suggestions from the last pass: kept to re-attach to, never painted. */
  private suggestions = new Map<string, Span[]>();
  private status: PageStatus;

  constructor(private readonly o: PdfSurfaceOptions) {
    this.textRoot = o.pagesRoot;
    this.scroller = o.pagesRoot;
    this.doc = { url: o.url, fingerprint: o.loaded.fingerprint };
    this.status = { url: o.url, exact: 0, relocated: 0, lost: 0 };
  }

  /** The whole document's anchoring counts, for the popup's "this page" and the viewer's status line. */
  documentStatus(): PageStatus {
    return this.status;
  }

  /** A page's text layer attached: paint what falls on it (lazy rendering). */
  pageAttached(): void {
    this.repaint();
  }

  listen(ui: ClipUiHandle, signal: AbortSignal): void {
    listenForClipTriggers(ui, signal);
  }

  mayResumeDraft(): boolean {
    return true;
  }

  // ------------------------------------------------------------------ anchoring and painting

  async anchor(clips: PageClip[]): Promise<PlacedClip[]> {
    const prepared = this.o.model.prepared();
    const anchored = new Map<string, Anchored>();
    const suggestions = new Map<string, Span[]>();
    // Fuzzy searches over a long PDF add up: sliced so the viewer stays responsive.
    const placed = await mapInSlices(clips, (pc): PlacedClip => {
      const r = locateText(prepared, pc.clip.selectors);
      if (r.status !== 'lost' && r.start !== undefined && r.end !== undefined) {
        const kind = r.status === 'relocated' ? 'relocated' : pc.own ? 'own' : 'team';
        anchored.set(pc.clip.id, { start: r.start, end: r.end, kind });
      }
      if (r.status === 'lost' && r.suggestions?.length) {
        suggestions.set(pc.clip.id, r.suggestions);
        const texts = r.suggestions.map((s) => this.o.model.text.slice(s.start, s.end));
        return { ...pc, status: r.status, suggestions: texts };
      }
      const found = changedText(this.o.model.text, pc.clip.quote, r);
      return found === undefined ? { ...pc, status: r.status } : { ...pc, status: r.status, found };
    });
    this.anchored = anchored;
    this.suggestions = suggestions;
    this.repaint();
    this.status = countStatus(this.o.url, placed);
    this.o.onStatus?.(this.status);
    return placed;
  }

  /**
   * Paints every anchored clip over the pages rendered now: one range per page, so a passage
   * across a page break does not paint the running footer and header between its halves.
   */
  private repaint(): void {
    this.painter.clearAll();
    const starts = this.o.loaded.text.pageStarts;
    for (const [id, a] of this.anchored) {
      const first = this.o.model.pageOf(a.start);
      const last = this.o.model.pageOf(Math.max(a.start, a.end - 1));
      for (let p = first; p <= last; p++) {
        const s = Math.max(a.start, starts[p] ?? 0);
        const e = Math.min(a.end, starts[p + 1] ?? a.end);
        const range = e > s ? this.o.model.rangeFor(s, e) : null;
        if (range) this.painter.paint(p === first ? id : `${id}${PART}${p}`, range, a.kind);
      }
    }
  }

  /** Clip ids under a point (page parts folded into their clip). */
  hitTest(x: number, y: number): string[] {
    return [...new Set(this.painter.hitTest(x, y).map((id) => id.split(PART)[0] ?? id))];
  }

  /** Scrolls to a clip's passage (rendering its page first) and emphasises it. */
  async showClip(id: string): Promise<boolean> {
    const a = this.anchored.get(id);
    if (!a) return false;
    const page = this.o.model.pageOf(a.start);
    await this.o.view.ensureRendered(page);
    this.repaint();
    const range = this.o.model.rangeFor(a.start, a.end);
    const rect = range?.getClientRects()[0];
    const root = this.o.pagesRoot;
    if (rect) root.scrollTop += rect.top - root.getBoundingClientRect().top - root.clientHeight / 3;
    else this.o.view.goToPage(page);
    this.painter.focus(id);
    return true;
  }

  // ------------------------------------------------------------------ passages

  passageOfSelection(range: Range): Span | null {
    return this.o.model.offsetsOf(range);
  }

  passageOfClip(id: string): Span | undefined {
    return this.anchored.get(id);
  }

  passageOfSuggestion(id: string, index: number): Span | undefined {
    const s = this.suggestions.get(id)?.[index];
    return s && { start: s.start, end: s.end };
  }

  /** Quote and position over the whole text, and the page. */
  describe({ start, end }: Span): Selector[] | null {
    let selectors: Selector[];
    try {
      selectors = describeText(this.o.model.text, start, end);
    } catch {
      return null;
    }
    const page = this.o.model.pageOf(start);
    const pageSelector: PageSelector = {
      type: 'PageSelector',
      index: page,
      label: String(page + 1),
      fingerprint: this.o.loaded.fingerprint,
    };
    return [...selectors, pageSelector];
  }

  /** The snapshot is the text of the page(s) the passage is on. */
  about({ start, end }: Span) {
    const { pageStarts } = this.o.loaded.text;
    const first = this.o.model.pageOf(start);
    const last = this.o.model.pageOf(Math.max(start, end - 1));
    const from = pageStarts[first] ?? 0;
    const to = pageStarts[last + 1] ?? this.o.model.text.length;
    return {
      title: this.o.loaded.title,
      docMeta: this.o.loaded.docMeta,
      snapshotText: this.o.model.text.slice(from, to).replace(/\s+/g, ' ').trim().slice(0, SNAPSHOT_MAX),
    };
  }

  clipSaved(_clip: Clip, _span: Span | null, ui: ClipUiHandle): Promise<void> {
    return ui.refresh();
  }

  focusClip(id: string, ui: ClipUiHandle): void {
    void this.showClip(id).then((shown) => {
      const a = shown ? this.anchored.get(id) : undefined;
      const rect = a ? this.o.model.rangeFor(a.start, a.end)?.getBoundingClientRect() : undefined;
      ui.openCard(id, rect ? rect.left : window.innerWidth - 370, rect ? rect.bottom + 8 : 80);
      ui.focusCard();
    }, logError);
  }

  destroy(): void {
    this.painter.destroy();
  }
}
