// Clipping and highlighting in the PDF viewer (issue #9), the same experience as on web pages:
// the "Clip as evidence" button, the "Tag evidence" dialog, the hover card and the "Evidence on
// this page" panel (lib/content's components), over the PDF text model. Clips anchor once over
// the whole document's text; highlights are painted on whichever pages are rendered and
// repainted as pages render lazily. Selections may cross page breaks.
import { h, render } from 'preact';
import browser, { type Menus, type Tabs } from 'webextension-polyfill';
import { describeText, locateText } from '../../../shared/anchoring';
import { LIMITS, type PageSelector, type Selector, type TextQuoteSelector } from '../../../shared/schemas';
import { createHighlightPainter, type HighlightPainter, UI_ATTRIBUTE } from '../anchoring';
import type { PdfTextModel } from '../anchoring/pdf-text-model';
import { CLIP_COMMAND, CLIP_MENU_ID } from '../clip-triggers';
import { PageUi, type PlacedClip, type UiActions, type UiState } from '../content/page-ui';
import { PAGE_UI_CSS } from '../content/page-ui-css';
import { send } from '../content/send';
import type { TagValues } from '../content/tag-dialog';
import { logError } from '../log-error';
import type { ClipDraft, PageStatus } from '../messaging';
import type { LoadedPdf } from './load-pdf';
import type { PageView } from './page-view';

interface Anchored {
  start: number;
  end: number;
  kind: 'own' | 'team' | 'relocated';
}

export interface PdfControllerOptions {
  url: string;
  loaded: LoadedPdf;
  model: PdfTextModel;
  view: PageView;
  /** Element holding the pages (selections outside it are ignored). */
  pagesRoot: HTMLElement;
  signal: AbortSignal;
  /** Called after each anchoring pass (the viewer's status line). */
  onStatus?: (status: PageStatus) => void;
}

const SNAPSHOT_MAX = 20_000;
/** Longest anchoring slice before yielding (ms), as in the content script. */
const SLICE_MS = 12;
/** Separates a clip id from the page of one of its painted parts. */
const PART = '@page';

export class PdfController {
  private state: UiState = {
    button: null,
    card: null,
    dialog: null,
    clips: [],
    criteria: {},
    panelOpen: false,
    hasSelection: false,
    toast: null,
  };
  private readonly host: HTMLElement;
  private readonly shadow: ShadowRoot;
  private readonly mount: HTMLElement;
  readonly painter: HighlightPainter;
  private anchored = new Map<string, Anchored>();
  private refreshing: Promise<void> = Promise.resolve();
  private selectionRange: Range | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private hoverFrame = 0;
  private status: PageStatus;

  constructor(private readonly o: PdfControllerOptions) {
    this.host = document.createElement('qsi-evidence-clipper');
    this.host.setAttribute(UI_ATTRIBUTE, '');
    this.shadow = this.host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = PAGE_UI_CSS;
    this.mount = document.createElement('div');
    this.mount.className = 'root';
    this.shadow.append(style, this.mount);
    this.painter = createHighlightPainter(document);
    this.status = { url: o.url, exact: 0, relocated: 0, lost: 0 };
  }

  async start(): Promise<void> {
    document.body.append(this.host);
    this.o.signal.addEventListener('abort', () => {
      this.painter.destroy();
      render(null, this.mount);
      this.host.remove();
    });
    this.listen();
    this.render();
    await this.refresh();
    const reply = await send('getDraft', { url: this.o.url });
    if (reply.ok && reply.value.draft) await this.openDialog(reply.value.draft);
  }

  /** Counts for the popup's "this page" and the viewer's status line. */
  pageStatus(): PageStatus {
    return this.status;
  }

  /** A page's text layer attached: paint what falls on it (lazy rendering). */
  pageAttached(): void {
    this.repaint();
  }

  // ------------------------------------------------------------------ events

  private listen(): void {
    const opts = { signal: this.o.signal } as const;
    document.addEventListener('selectionchange', () => this.onSelectionChange(), opts);
    document.addEventListener('mouseup', () => this.onSelectionChange(), opts);
    document.addEventListener('keyup', () => this.onSelectionChange(), opts);
    document.addEventListener('mousemove', (e) => this.onHover(e), { ...opts, passive: true });
    document.addEventListener(
      'mousedown',
      (e) => {
        if (e.composedPath().includes(this.host)) return;
        if (this.state.card && this.hits(e.clientX, e.clientY).length === 0) this.set({ card: null });
      },
      opts,
    );
    document.addEventListener(
      'keydown',
      (e) => {
        // The same shortcut as on web pages (the browser command does not reach extension pages).
        if (e.altKey && e.shiftKey && e.code === 'KeyE') {
          e.preventDefault();
          void this.startClip();
        }
      },
      opts,
    );
    // The browser's command and "Clip as evidence" menu item reach extension pages too: act on
    // them when they were for this tab (the background cannot inject into the viewer).
    const ownTab = browser.tabs.getCurrent();
    const forThisTab = (tab: Tabs.Tab | undefined) =>
      void ownTab.then((own) => {
        if (own?.id !== undefined && own.id === tab?.id) void this.startClip();
      }, logError);
    const onCommand = (command: string, tab?: Tabs.Tab) => command === CLIP_COMMAND && forThisTab(tab);
    const onMenu = (info: Menus.OnClickData, tab?: Tabs.Tab) =>
      info.menuItemId === CLIP_MENU_ID && forThisTab(tab);
    browser.commands.onCommand.addListener(onCommand);
    browser.contextMenus.onClicked.addListener(onMenu);
    this.o.signal.addEventListener('abort', () => {
      browser.commands.onCommand.removeListener(onCommand);
      browser.contextMenus.onClicked.removeListener(onMenu);
    });
    this.o.pagesRoot.addEventListener('scroll', () => this.state.button && this.placeButton(), {
      ...opts,
      passive: true,
    });
  }

  private currentSelection(): Range | null {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!this.o.pagesRoot.contains(range.commonAncestorContainer)) return null;
    if (!sel.toString().trim()) return null;
    return range;
  }

  private onSelectionChange(): void {
    if (this.state.dialog) return;
    const range = this.currentSelection();
    this.selectionRange = range ? range.cloneRange() : null;
    this.set({ hasSelection: range !== null });
    if (range) this.placeButton();
    else if (this.state.button) this.set({ button: null });
  }

  private placeButton(): void {
    const rects = this.selectionRange?.getClientRects();
    const last = rects?.[rects.length - 1];
    if (!last) return;
    const x = Math.min(Math.max(4, last.right - 60), window.innerWidth - 150);
    const below = last.bottom + 8;
    const y = below + 34 < window.innerHeight ? below : Math.max(4, (rects?.[0]?.top ?? last.top) - 40);
    this.set({ button: { x, y } });
  }

  private onHover(e: MouseEvent): void {
    if (this.hoverFrame || this.state.dialog) return;
    const { clientX, clientY } = e;
    this.hoverFrame = requestAnimationFrame(() => {
      this.hoverFrame = 0;
      const [id] = this.hits(clientX, clientY);
      if (id && this.state.card?.clipId !== id) this.openCard(id, clientX, clientY + 14);
    });
  }

  // ------------------------------------------------------------------ anchoring and painting

  /** Re-reads the document's clips, anchors each over the whole text, paints, reports. */
  refresh(): Promise<void> {
    // One pass at a time (a save during the first pass queues another).
    this.refreshing = this.refreshing.then(() => this.doRefresh()).catch(logError);
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const reply = await send('getPageClips', { url: this.o.url, fingerprint: this.o.loaded.fingerprint });
    if (!reply.ok) {
      this.showToast(reply.error.message);
      return;
    }
    const prepared = this.o.model.prepared();
    const placed: PlacedClip[] = [];
    const anchored = new Map<string, Anchored>();
    let sliceStart = performance.now();
    for (const pc of reply.value.clips) {
      // Fuzzy searches over a long PDF add up: yield between slices so the viewer stays responsive.
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        sliceStart = performance.now();
      }
      const r = locateText(prepared, pc.clip.selectors);
      if (r.status !== 'lost' && r.start !== undefined && r.end !== undefined) {
        const kind = r.status === 'relocated' ? 'relocated' : pc.own ? 'own' : 'team';
        anchored.set(pc.clip.id, { start: r.start, end: r.end, kind });
      }
      placed.push({ ...pc, status: r.status });
    }
    this.anchored = anchored;
    this.repaint();
    const count = (s: string) => placed.filter((c) => c.status === s).length;
    this.status = {
      url: this.o.url,
      exact: count('exact'),
      relocated: count('relocated'),
      lost: count('lost'),
    };
    this.o.onStatus?.(this.status);
    this.set({ clips: placed, criteria: reply.value.criteria });
    const results = placed.map((p) => ({ id: p.clip.id, status: p.status }));
    if (results.length)
      await send('reportAnchors', { url: this.o.url, fingerprint: this.o.loaded.fingerprint, results });
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
  private hits(x: number, y: number): string[] {
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

  // ------------------------------------------------------------------ clipping

  /** Selectors for document offsets: quote + position over the whole text, and the page. */
  private describe(start: number, end: number): Selector[] | null {
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

  private draftFromSelection(range: Range): { draft: ClipDraft } | { error: string } {
    const at = this.o.model.offsetsOf(range);
    const selectors = at ? this.describe(at.start, at.end) : null;
    const quote = selectors?.find((s): s is TextQuoteSelector => s.type === 'TextQuoteSelector');
    if (!at || !selectors || !quote)
      return { error: 'The selection holds no text of the document: select some text to clip.' };
    if (quote.exact.length > LIMITS.quote)
      return {
        error: `The selection is too long (${quote.exact.length.toLocaleString()} characters). Clip at most ${LIMITS.quote.toLocaleString()} characters.`,
      };
    // Snapshot: the text of the page(s) the passage is on.
    const { pageStarts } = this.o.loaded.text;
    const first = this.o.model.pageOf(at.start);
    const last = this.o.model.pageOf(Math.max(at.start, at.end - 1));
    const from = pageStarts[first] ?? 0;
    const to = pageStarts[last + 1] ?? this.o.model.text.length;
    return {
      draft: {
        url: this.o.url,
        title: this.o.loaded.title.slice(0, LIMITS.title),
        selectors,
        quote: quote.exact,
        criteria: [],
        note: '',
        docMeta: this.o.loaded.docMeta,
        snapshotText: this.o.model.text.slice(from, to).replace(/\s+/g, ' ').trim().slice(0, SNAPSHOT_MAX),
      },
    };
  }

  async startClip(): Promise<void> {
    const range = this.currentSelection() ?? this.selectionRange;
    if (!range) {
      this.showToast('Select the passage you want to clip first.');
      return;
    }
    const made = this.draftFromSelection(range);
    if ('error' in made) {
      this.showToast(made.error);
      return;
    }
    await this.openDialog(made.draft);
  }

  private async openDialog(draft: ClipDraft): Promise<void> {
    const choices = await send('getCriteriaChoices', {});
    if (!choices.ok) {
      this.showToast(choices.error.message);
      return;
    }
    const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let current = draft;
    const close = () => {
      this.set({ dialog: null, button: null });
      clearTimeout(this.draftTimer);
      returnFocus?.focus();
    };
    this.set({
      button: null,
      card: null,
      dialog: {
        mode: 'create',
        quote: draft.quote,
        frameworkName: choices.value.frameworkName,
        choices: choices.value.choices,
        initial: { criteria: draft.criteria, note: draft.note, docMeta: draft.docMeta },
        onChange: (v: TagValues) => {
          current = { ...current, ...v };
          clearTimeout(this.draftTimer);
          this.draftTimer = setTimeout(
            () => void send('saveDraft', { url: this.o.url, draft: current }),
            250,
          );
        },
        onSave: async (v: TagValues) => {
          clearTimeout(this.draftTimer);
          const saved = await send('saveClip', { draft: { ...current, ...v } });
          if (!saved.ok) return saved.error.message;
          close();
          document.getSelection()?.removeAllRanges();
          await this.refresh();
          this.showToast('Clip saved.');
          return null;
        },
        onCancel: () => {
          void send('saveDraft', { url: this.o.url, draft: null });
          close();
        },
      },
    });
  }

  // ------------------------------------------------------------------ existing clips

  private openCard(clipId: string, x: number, y: number): void {
    this.set({
      card: { clipId, x: Math.min(x, window.innerWidth - 350), y: Math.min(y, window.innerHeight - 200) },
    });
  }

  private readonly actions: UiActions = {
    startClip: () => void this.startClip(),
    openCard: (id, x, y) => this.openCard(id, x, y),
    closeCard: () => this.set({ card: null }),
    togglePanel: () => this.set({ panelOpen: !this.state.panelOpen }),
    dismissToast: () => this.set({ toast: null }),
    focusClip: (id) => {
      void this.showClip(id).then((shown) => {
        const range = shown ? this.rangeOf(id) : null;
        const rect = range?.getBoundingClientRect();
        this.openCard(id, rect ? rect.left : window.innerWidth - 370, rect ? rect.bottom + 8 : 80);
        queueMicrotask(() => this.shadow.querySelector<HTMLElement>('.card button')?.focus());
      }, logError);
    },
    editClip: (id) => void this.editClip(id),
    deleteClip: (id) => void this.deleteClip(id),
    confirmPosition: (id) => {
      const a = this.anchored.get(id);
      if (a) void this.moveTo(id, a.start, a.end, 'Position confirmed.');
    },
    reattach: (id) => {
      const range = this.currentSelection() ?? this.selectionRange;
      const at = range ? this.o.model.offsetsOf(range) : null;
      if (at) void this.moveTo(id, at.start, at.end, 'Clip re-attached to the selection.');
      else this.showToast('Select the passage in the document first.');
    },
  };

  private rangeOf(id: string): Range | null {
    const a = this.anchored.get(id);
    return a ? this.o.model.rangeFor(a.start, a.end) : null;
  }

  private async moveTo(id: string, start: number, end: number, done: string): Promise<void> {
    const selectors = this.describe(start, end);
    const quote = selectors?.find((s): s is TextQuoteSelector => s.type === 'TextQuoteSelector');
    if (!selectors || !quote) {
      this.showToast('That selection cannot be used: select some text in the document.');
      return;
    }
    const reply = await send('moveClip', { id, selectors, quote: quote.exact, url: this.o.url });
    if (!reply.ok) {
      this.showToast(reply.error.message);
      return;
    }
    this.set({ card: null });
    await this.refresh();
    this.showToast(done);
  }

  private async editClip(id: string): Promise<void> {
    const placed = this.state.clips.find((c) => c.clip.id === id);
    const choices = await send('getCriteriaChoices', {});
    if (!placed || !choices.ok) return;
    const clip = placed.clip;
    this.set({
      card: null,
      dialog: {
        mode: 'edit',
        quote: clip.quote,
        frameworkName: choices.value.frameworkName,
        choices: choices.value.choices,
        initial: { criteria: clip.criteria, note: clip.note, docMeta: clip.docMeta },
        onChange: () => {},
        onSave: async (v) => {
          const reply = await send('updateClipTags', { id, ...v });
          if (!reply.ok) return reply.error.message;
          this.set({ dialog: null });
          await this.refresh();
          this.showToast('Clip updated.');
          return null;
        },
        onCancel: () => this.set({ dialog: null }),
      },
    });
  }

  private async deleteClip(id: string): Promise<void> {
    const reply = await send('deleteClip', { id });
    if (!reply.ok) {
      this.showToast(reply.error.message);
      return;
    }
    this.set({ card: null });
    await this.refresh();
    this.showToast('Clip deleted.', async () => {
      this.set({ toast: null });
      const restored = await send('restoreClip', { id });
      if (restored.ok) await this.refresh();
      else this.showToast(restored.error.message);
    });
  }

  // ------------------------------------------------------------------ rendering

  showToast(message: string, undo?: () => void): void {
    clearTimeout(this.toastTimer);
    this.set({ toast: { message, undo } });
    this.toastTimer = setTimeout(() => this.set({ toast: null }), undo ? 10_000 : 5_000);
  }

  private set(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch };
    this.render();
  }

  private render(): void {
    render(h(PageUi, { state: this.state, actions: this.actions }), this.mount);
  }
}
