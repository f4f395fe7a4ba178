// The content script's brain: anchors this page's clips and paints them, watches the selection
// for the "Clip as evidence" button, runs the tag dialog, and re-anchors when the page changes.
// It talks to the background only through typed messages; it never opens IndexedDB.
import { h, render } from 'preact';
import browser from 'webextension-polyfill';
import type { Selector } from '../../../shared/schemas';
import { LIMITS, textQuoteSelectorSchema } from '../../../shared/schemas';
import {
  anchorSelectors,
  buildTextModel,
  buildTextModelSliced,
  createHighlightPainter,
  describeRange,
  type HighlightPainter,
  type TextModel,
  watchPageChanges,
} from '../anchoring';
import { logError } from '../log-error';
import { type ClipDraft, type PageStatus, tabCommandSchema } from '../messaging';
import { detectDocMeta, sectionSnapshot } from './page-context';
import { PageUi, type PlacedClip, type UiActions, type UiState } from './page-ui';
import { PAGE_UI_CSS } from './page-ui-css';
import { send } from './send';
import type { TagValues } from './tag-dialog';

const UI_ATTR = 'data-qsi-evidence-ui';
/** Keep each anchoring slice well under the 50 ms long-task line. */
const SLICE_MS = 12;

const quoteOf = (selectors: Selector[]) =>
  selectors.find((s) => s.type === 'TextQuoteSelector' && textQuoteSelectorSchema.safeParse(s).success);

export class ContentController {
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
  private host: HTMLElement;
  private shadow: ShadowRoot;
  private mount: HTMLElement;
  private painter: HighlightPainter;
  private model: TextModel | null = null;
  private ranges = new Map<string, Range>();
  private selectionRange: Range | null = null;
  private pageUrl = location.href;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private hoverFrame = 0;
  private timings = { model: 0, longestSlice: 0, total: 0 };

  constructor(private readonly signal: AbortSignal) {
    this.host = document.createElement('qsi-evidence-clipper');
    this.host.setAttribute(UI_ATTR, '');
    this.shadow = this.host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = PAGE_UI_CSS;
    this.mount = document.createElement('div');
    this.mount.className = 'root';
    this.shadow.append(style, this.mount);
    this.painter = createHighlightPainter(document);
  }

  /** Root of the page's own text: everything in <body> except our UI. */
  private get root(): HTMLElement {
    return document.body;
  }

  async start(): Promise<void> {
    document.documentElement.append(this.host);
    this.signal.addEventListener('abort', () => this.destroy());
    this.listen();
    this.render();
    await this.refresh();
    await this.resumeDraft();
  }

  private destroy(): void {
    this.painter.clearAll();
    render(null, this.mount);
    this.host.remove();
  }

  // ------------------------------------------------------------------ events

  private listen(): void {
    const opts = { signal: this.signal } as const;
    document.addEventListener('selectionchange', () => this.onSelectionChange(), opts);
    document.addEventListener('mouseup', () => this.onSelectionChange(), opts);
    document.addEventListener('keyup', () => this.onSelectionChange(), opts);
    document.addEventListener('mousemove', (e) => this.onHover(e), { ...opts, passive: true });
    document.addEventListener(
      'mousedown',
      (e) => {
        if (e.composedPath().includes(this.host)) return;
        if (this.state.card && this.painter.hitTest(e.clientX, e.clientY).length === 0)
          this.set({ card: null });
      },
      opts,
    );
    window.addEventListener('scroll', () => this.state.button && this.placeButton(), {
      ...opts,
      passive: true,
    });
    const onMessage = (message: unknown) => this.onTabCommand(message);
    browser.runtime.onMessage.addListener(onMessage);
    this.signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onMessage));
    watchPageChanges({
      root: this.root,
      signal: this.signal,
      ignore: (node) => node === this.host || this.host.contains(node),
      onMutation: () => void this.refresh(),
      onNavigate: () => {
        this.pageUrl = location.href;
        void this.refresh();
      },
    });
  }

  private onTabCommand(message: unknown): Promise<unknown> | undefined {
    const command = tabCommandSchema.safeParse(message);
    if (!command.success) return undefined;
    switch (command.data.type) {
      case 'clipSelection':
        if (this.currentSelection()) void this.startClip();
        else if (document.hasFocus() && window === window.top)
          this.showToast('Select the passage you want to clip first, then try again.');
        return undefined;
      case 'refreshHighlights':
        return this.refresh().then(() => true);
      case 'getPageStatus': {
        if (window !== window.top) return undefined;
        const count = (s: string) => this.state.clips.filter((c) => c.status === s).length;
        const status: PageStatus = {
          url: location.href,
          exact: count('exact'),
          relocated: count('relocated'),
          lost: count('lost'),
          timings: this.timings,
        };
        return Promise.resolve(status);
      }
    }
  }

  /** The page selection as a Range, or null when empty or inside our own UI. */
  private currentSelection(): Range | null {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (this.host.contains(range.commonAncestorContainer)) return null;
    if (!this.root.contains(range.commonAncestorContainer)) return null;
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

  /** Just below the end of the selection, so the button never covers the selected text. */
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
      const [id] = this.painter.hitTest(clientX, clientY);
      if (id && this.state.card?.clipId !== id) this.openCard(id, clientX, clientY + 14);
    });
  }

  // ------------------------------------------------------------------ anchoring

  private readonly modelOptions = { exclude: (el: Element) => el.hasAttribute(UI_ATTR) };

  /** The current text model, built at once (for a selection the user just made). */
  private getModel(): TextModel {
    this.model ??= buildTextModel(this.root, this.modelOptions);
    return this.model;
  }

  /** Re-reads this page's clips, anchors each in time slices, paints, and reports outcomes. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = this.doRefresh()
      .catch(logError)
      .finally(() => {
        this.refreshing = null;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          void this.refresh();
        }
      });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const reply = await send('getPageClips', { url: this.pageUrl });
    if (!reply.ok) return;
    const t0 = performance.now();
    // Built in slices: a megabyte page must not freeze (no main-thread task over 50 ms).
    const modelStats = { longestSlice: 0 };
    const model = await buildTextModelSliced(this.root, this.modelOptions, SLICE_MS, modelStats);
    this.model = model;
    const placed: PlacedClip[] = [];
    this.ranges.clear();
    this.painter.clearAll();
    let sliceStart = performance.now();
    const modelMs = sliceStart - t0;
    let longestSlice = modelStats.longestSlice;
    for (const pc of reply.value.clips) {
      const sliceMs = performance.now() - sliceStart;
      if (sliceMs > SLICE_MS) {
        longestSlice = Math.max(longestSlice, sliceMs);
        await new Promise((r) => setTimeout(r, 0));
        sliceStart = performance.now();
      }
      const result = anchorSelectors(model, pc.clip.selectors);
      if (result.range && result.status !== 'lost') {
        this.ranges.set(pc.clip.id, result.range);
        this.painter.paint(
          pc.clip.id,
          result.range,
          result.status === 'relocated' ? 'relocated' : pc.own ? 'own' : 'team',
        );
      }
      placed.push({ ...pc, status: result.status });
    }
    longestSlice = Math.max(longestSlice, performance.now() - sliceStart);
    this.timings = { model: modelMs, longestSlice, total: performance.now() - t0 };
    this.set({ clips: placed, criteria: reply.value.criteria });
    const results = placed.map((p) => ({ id: p.clip.id, status: p.status }));
    if (results.length) await send('reportAnchors', { url: this.pageUrl, results });
  }

  // ------------------------------------------------------------------ clipping

  private draftFromSelection(range: Range): { draft: ClipDraft } | { error: string } {
    const described = describeRange(this.getModel(), range);
    const quote = described ? quoteOf(described) : undefined;
    if (!described || !quote || quote.type !== 'TextQuoteSelector' || !quote.exact.trim())
      return { error: 'The selection is empty or outside the page’s text: select some text to clip.' };
    if (quote.exact.length > LIMITS.quote)
      return {
        error: `The selection is too long (${quote.exact.length.toLocaleString()} characters). Clip at most ${LIMITS.quote.toLocaleString()} characters.`,
      };
    return {
      draft: {
        url: this.pageUrl,
        title: document.title.slice(0, LIMITS.title),
        selectors: described,
        quote: quote.exact,
        criteria: [],
        note: '',
        docMeta: detectDocMeta(),
        snapshotText: sectionSnapshot(range),
      },
    };
  }

  async startClip(): Promise<void> {
    const range = this.currentSelection() ?? this.selectionRange;
    if (!range) {
      this.showToast('Select the passage you want to clip first.');
      return;
    }
    this.model = null;
    const made = this.draftFromSelection(range);
    if ('error' in made) {
      this.showToast(made.error);
      return;
    }
    await this.openDialog(made.draft, range);
  }

  private async resumeDraft(): Promise<void> {
    if (window !== window.top && !document.hasFocus()) return;
    const reply = await send('getDraft', { url: this.pageUrl });
    if (reply.ok && reply.value.draft) await this.openDialog(reply.value.draft, null);
  }

  private async openDialog(draft: ClipDraft, range: Range | null): Promise<void> {
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
            () => void send('saveDraft', { url: this.pageUrl, draft: current }),
            250,
          );
        },
        onSave: async (v: TagValues) => {
          clearTimeout(this.draftTimer);
          const saved = await send('saveClip', { draft: { ...current, ...v } });
          if (!saved.ok) return saved.error.message;
          close();
          document.getSelection()?.removeAllRanges();
          const anchored =
            range ?? anchorSelectors(this.getModel(), saved.value.clip.selectors).range ?? null;
          if (anchored) {
            this.ranges.set(saved.value.clip.id, anchored);
            this.painter.paint(saved.value.clip.id, anchored, 'own');
          }
          void this.refresh();
          this.showToast('Clip saved.');
          return null;
        },
        onCancel: () => {
          void send('saveDraft', { url: this.pageUrl, draft: null });
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

  private findClip(id: string): PlacedClip | undefined {
    return this.state.clips.find((c) => c.clip.id === id);
  }

  private readonly actions: UiActions = {
    startClip: () => void this.startClip(),
    openCard: (id, x, y) => this.openCard(id, x, y),
    closeCard: () => this.set({ card: null }),
    togglePanel: () => this.set({ panelOpen: !this.state.panelOpen }),
    dismissToast: () => this.set({ toast: null }),
    focusClip: (id) => {
      const range = this.ranges.get(id);
      if (!range) {
        this.openCard(id, window.innerWidth - 370, 80);
        return;
      }
      const el =
        range.startContainer instanceof Element ? range.startContainer : range.startContainer.parentElement;
      el?.scrollIntoView({ block: 'center' });
      this.painter.focus(id);
      const rect = range.getBoundingClientRect();
      this.openCard(id, rect.left, rect.bottom + 8);
      queueMicrotask(() => this.shadow.querySelector<HTMLElement>('.card button')?.focus());
    },
    editClip: (id) => void this.editClip(id),
    deleteClip: (id) => void this.deleteClip(id),
    confirmPosition: (id) => {
      const range = this.ranges.get(id);
      if (range) void this.moveTo(id, range, 'Position confirmed.');
    },
    reattach: (id) => {
      const range = this.currentSelection() ?? this.selectionRange;
      if (range) void this.moveTo(id, range, 'Clip re-attached to the selection.');
      else this.showToast('Select the passage on the page first.');
    },
  };

  private async moveTo(id: string, range: Range, done: string): Promise<void> {
    this.model = null;
    const selectors = describeRange(this.getModel(), range);
    const quote = selectors ? quoteOf(selectors) : undefined;
    if (!selectors || quote?.type !== 'TextQuoteSelector') {
      this.showToast('That selection cannot be used: select some text on the page.');
      return;
    }
    const reply = await send('moveClip', { id, selectors, quote: quote.exact, url: this.pageUrl });
    if (!reply.ok) {
      this.showToast(reply.error.message);
      return;
    }
    this.set({ card: null });
    await this.refresh();
    this.showToast(done);
  }

  private async editClip(id: string): Promise<void> {
    const placed = this.findClip(id);
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
          const reply = await send('updateClipTags', {
            id,
            criteria: v.criteria,
            note: v.note,
            docMeta: v.docMeta,
          });
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

  private showToast(message: string, undo?: () => void): void {
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
