// The clip UI that web pages and the PDF viewer share, in our shadow root: the "Clip as evidence"
// button over a selection, the tag dialog and its saved draft, the hover card, the "Evidence on
// this page" panel and the toast. What differs per document (text, anchoring, painting, wiring)
// comes from a ClipSurface. It talks to the background only through typed messages. It answers
// only the user: its shadow root is closed and untrusted (script-made) input is ignored.
import { h, render } from 'preact';
import { LIMITS, type Selector, type TextQuoteSelector } from '../../../shared/schemas';
import { UI_ATTRIBUTE } from '../anchoring';
import type { ClipDraft, Reply, RequestName, RequestOf } from '../messaging';
import { sendToBackground } from '../send-to-background';
import type { ClipSurface, ClipUiHandle } from './clip-surface';
import { ClipOverlay, type PlacedClip, type UiActions, type UiState } from './overlay';
import { OVERLAY_CSS } from './overlay-css';
import type { TagValues } from './tag-dialog';
import { isTrusted, refuseUntrustedInput } from './trusted-input';

const send = <N extends RequestName>(name: N, body: RequestOf<N>): Promise<Reply<N>> =>
  sendToBackground(name, body, 'clip-ui');

const quoteOf = (selectors: Selector[] | null) =>
  selectors?.find((s): s is TextQuoteSelector => s.type === 'TextQuoteSelector');

export class ClipUi<P> implements ClipUiHandle {
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
  readonly host: HTMLElement;
  /** Our shadow root: closed, so only this object (in the content script's world) holds it. */
  readonly shadow: ShadowRoot;
  private readonly mount: HTMLElement;
  private selectionRange: Range | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private hoverFrame = 0;
  /** Re-reads the document's clips, anchors and paints them, and reports the outcomes. */
  readonly refresh: () => Promise<void>;

  constructor(
    private readonly surface: ClipSurface<P>,
    private readonly signal: AbortSignal,
    shadowMode: ShadowRootMode = 'closed',
  ) {
    this.host = document.createElement('qsi-evidence-clipper');
    this.host.setAttribute(UI_ATTRIBUTE, '');
    this.shadow = this.host.attachShadow({ mode: shadowMode });
    refuseUntrustedInput(this.shadow, signal);
    const style = document.createElement('style');
    style.textContent = OVERLAY_CSS;
    this.mount = document.createElement('div');
    this.mount.className = 'root';
    this.shadow.append(style, this.mount);
    this.refresh = surface.schedulePasses(() => this.pass());
  }

  get clips(): readonly PlacedClip[] {
    return this.state.clips;
  }

  async start(): Promise<void> {
    this.surface.hostParent.append(this.host);
    this.signal.addEventListener('abort', () => {
      this.surface.destroy();
      render(null, this.mount);
      this.host.remove();
    });
    this.listen();
    this.render();
    await this.refresh();
    if (!this.surface.mayResumeDraft()) return;
    const reply = await send('getDraft', { url: this.surface.doc.url });
    if (reply.ok && reply.value.draft) await this.openDialog(reply.value.draft, null);
  }

  // ------------------------------------------------------------------ events

  private listen(): void {
    const opts = { signal: this.signal } as const;
    // A page's script can dispatch any of these on the document: only the user's count.
    const onSelection = (e: Event) => isTrusted(e) && this.onSelectionChange();
    document.addEventListener('selectionchange', onSelection, opts);
    document.addEventListener('mouseup', onSelection, opts);
    document.addEventListener('keyup', onSelection, opts);
    document.addEventListener('mousemove', (e) => isTrusted(e) && this.onHover(e), {
      ...opts,
      passive: true,
    });
    document.addEventListener(
      'mousedown',
      (e) => {
        if (!isTrusted(e) || e.composedPath().includes(this.host)) return;
        // Even on a highlight: a press starts a selection, which the card must not lie across.
        if (this.state.card) this.set({ card: null });
      },
      opts,
    );
    this.surface.scroller.addEventListener('scroll', () => this.state.button && this.placeButton(), {
      ...opts,
      passive: true,
    });
    this.surface.listen(this, this.signal);
  }

  currentSelection(): Range | null {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (this.host.contains(range.commonAncestorContainer)) return null;
    if (!this.surface.textRoot.contains(range.commonAncestorContainer)) return null;
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
    // Not while a button is held: a card opened under a drag would take the selection's end.
    if (this.hoverFrame || this.state.dialog || e.buttons !== 0) return;
    const { clientX, clientY } = e;
    this.hoverFrame = requestAnimationFrame(() => {
      this.hoverFrame = 0;
      const [id] = this.surface.hitTest(clientX, clientY);
      if (id && this.state.card?.clipId !== id) this.openCard(id, clientX, clientY + 14);
    });
  }

  // ------------------------------------------------------------------ anchoring

  private async pass(): Promise<void> {
    const reply = await send('getPageClips', this.surface.doc);
    if (!reply.ok) {
      if (this.surface.toastRefreshErrors) this.showToast(reply.error.message);
      return;
    }
    const placed = await this.surface.anchor(reply.value.clips);
    this.set({ clips: placed, criteria: reply.value.criteria });
    const results = placed.map((p) =>
      p.found === undefined
        ? { id: p.clip.id, status: p.status }
        : { id: p.clip.id, status: p.status, found: p.found.slice(0, LIMITS.quote) },
    );
    if (results.length) await send('reportAnchors', { ...this.surface.doc, results });
  }

  // ------------------------------------------------------------------ clipping

  /** The passage's selectors and quote, or why it cannot be clipped (`noText`: no usable text). */
  private describePassage(
    passage: P,
    noText: string,
  ): { selectors: Selector[]; quote: string } | { error: string } {
    const selectors = this.surface.describe(passage);
    const quote = quoteOf(selectors)?.exact;
    if (!selectors || !quote) return { error: noText };
    if (quote.length > LIMITS.quote)
      return {
        error: `The selection is too long (${quote.length.toLocaleString()} characters). Clip at most ${LIMITS.quote.toLocaleString()} characters.`,
      };
    return { selectors, quote };
  }

  private draftFrom(passage: P | null): { draft: ClipDraft } | { error: string } {
    if (!passage) return { error: this.surface.wording.noText };
    const described = this.describePassage(passage, this.surface.wording.noText);
    if ('error' in described) return described;
    const { selectors, quote } = described;
    const about = this.surface.about(passage);
    return {
      draft: {
        url: this.surface.doc.url,
        title: about.title.slice(0, LIMITS.title),
        selectors,
        quote,
        criteria: [],
        note: '',
        docMeta: about.docMeta,
        snapshotText: about.snapshotText,
      },
    };
  }

  async startClip(): Promise<void> {
    const range = this.currentSelection() ?? this.selectionRange;
    if (!range) {
      this.showToast('Select the passage you want to clip first.');
      return;
    }
    const passage = this.surface.passageOfSelection(range);
    const made = this.draftFrom(passage);
    if ('error' in made) {
      this.showToast(made.error);
      return;
    }
    await this.openDialog(made.draft, passage);
  }

  private async openDialog(draft: ClipDraft, passage: P | null): Promise<void> {
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
            () => void send('saveDraft', { url: this.surface.doc.url, draft: current }),
            250,
          );
        },
        onSave: async (v: TagValues) => {
          clearTimeout(this.draftTimer);
          const saved = await send('saveClip', { draft: { ...current, ...v } });
          if (!saved.ok) return saved.error.message;
          close();
          document.getSelection()?.removeAllRanges();
          await this.surface.clipSaved(saved.value.clip, passage, this);
          this.showToast('Clip saved.');
          return null;
        },
        onCancel: () => {
          void send('saveDraft', { url: this.surface.doc.url, draft: null });
          close();
        },
      },
    });
  }

  // ------------------------------------------------------------------ existing clips

  openCard(clipId: string, x: number, y: number): void {
    this.set({
      card: { clipId, x: Math.min(x, window.innerWidth - 350), y: Math.min(y, window.innerHeight - 200) },
    });
  }

  focusCard(): void {
    queueMicrotask(() => this.shadow.querySelector<HTMLElement>('.card button')?.focus());
  }

  private readonly actions: UiActions = {
    startClip: () => void this.startClip(),
    openCard: (id, x, y) => this.openCard(id, x, y),
    closeCard: () => this.set({ card: null }),
    togglePanel: () => this.set({ panelOpen: !this.state.panelOpen }),
    dismissToast: () => this.set({ toast: null }),
    focusClip: (id) => this.surface.focusClip(id, this),
    editClip: (id) => void this.editClip(id),
    deleteClip: (id) => void this.deleteClip(id),
    confirmPosition: (id) => {
      const passage = this.surface.passageOfClip(id);
      if (passage) void this.moveTo(id, passage, 'Position confirmed.');
    },
    acceptSuggestion: (id, index) => {
      const passage = this.surface.passageOfSuggestion(id, index);
      if (passage) void this.moveTo(id, passage, 'Clip re-attached to the passage.');
      else this.showToast(this.surface.wording.unusable);
    },
    reattach: (id) => {
      const range = this.currentSelection() ?? this.selectionRange;
      const passage = range ? this.surface.passageOfSelection(range) : null;
      if (passage) void this.moveTo(id, passage, 'Clip re-attached to the selection.');
      else this.showToast(this.surface.wording.selectFirst);
    },
  };

  private async moveTo(id: string, passage: P, done: string): Promise<void> {
    const described = this.describePassage(passage, this.surface.wording.unusable);
    if ('error' in described) {
      this.showToast(described.error);
      return;
    }
    const { selectors, quote } = described;
    const reply = await send('moveClip', { id, selectors, quote, url: this.surface.doc.url });
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
    render(h(ClipOverlay, { state: this.state, actions: this.actions }), this.mount);
  }
}
