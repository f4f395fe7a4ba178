// The clip UI's view, what the user sees and acts on in our shadow root: the "Clip as evidence"
// button over a selection, the tag dialog and its saved draft, the hover card, the "Evidence on
// this page" panel and the toast (Preact). Its host (clip-host.ts) owns the shadow root, the
// anchoring passes and the listeners, and forwards the user's (trusted) input here. On web pages
// this module is loaded only when the user first needs it (lib/web-page/view-loader.ts).
import { h, render } from 'preact';
import { LIMITS } from '../../../shared/limits';
import type { Selector, TextQuoteSelector } from '../../../shared/schemas';
import type { ClipDraft, Reply, RequestName, RequestOf } from '../messaging';
import { sendToBackground } from '../send-to-background';
import type { ClipSurface, ClipView, ClipViewHost, PassageAbout } from './clip-surface';
import { ClipOverlay, type UiActions, type UiState } from './overlay';
import { OVERLAY_CSS } from './overlay-css';
import type { TagValues } from './tag-dialog';

const send = <N extends RequestName>(name: N, body: RequestOf<N>): Promise<Reply<N>> =>
  sendToBackground(name, body, 'clip-ui');

const quoteOf = (selectors: Selector[] | null) =>
  selectors?.find((s): s is TextQuoteSelector => s.type === 'TextQuoteSelector');

type ViewState = Omit<UiState, 'clips' | 'criteria'>;

export class ClipOverlayView<P> implements ClipView {
  private state: ViewState = {
    button: null,
    card: null,
    dialog: null,
    panelOpen: false,
    hasSelection: false,
    toast: null,
  };
  private readonly surface: ClipSurface<P>;
  private readonly about: (passage: P) => PassageAbout;
  private selectionRange: Range | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;

  /** `about`: what a new clip records about the document, when the surface does not say. */
  constructor(
    private readonly host: ClipViewHost<P>,
    about?: (passage: P) => PassageAbout,
  ) {
    const surface = host.surface;
    this.surface = surface;
    const own = surface.about;
    if (!about && !own) throw new Error('The clip view cannot describe this document.');
    this.about = about ?? ((passage) => (own as NonNullable<typeof own>).call(surface, passage));
    const style = document.createElement('style');
    style.textContent = OVERLAY_CSS;
    host.shadow.append(style);
    this.render();
  }

  destroy(): void {
    clearTimeout(this.toastTimer);
    clearTimeout(this.draftTimer);
    render(null, this.host.mount);
  }

  // ------------------------------------------------------------------ the user's input

  selectionChanged(): void {
    if (this.state.dialog) return;
    const range = this.host.currentSelection();
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

  hovered(id: string, x: number, y: number): void {
    if (this.state.dialog || this.state.card?.clipId === id) return;
    this.openCard(id, x, y);
  }

  pressed(): void {
    // Even on a highlight: a press starts a selection, which the card must not lie across.
    if (this.state.card) this.set({ card: null });
  }

  scrolled(): void {
    if (this.state.button) this.placeButton();
  }

  clipsChanged(): void {
    this.render();
  }

  openPanel(): void {
    this.set({ panelOpen: true });
    queueMicrotask(() => this.host.shadow.querySelector<HTMLElement>('.panel-toggle')?.focus());
  }

  resumeDraft(draft: ClipDraft): Promise<void> {
    return this.openDialog(draft, null);
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
    const about = this.about(passage);
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
    const range = this.host.currentSelection() ?? this.selectionRange;
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
          await this.surface.clipSaved(saved.value.clip, passage, this.host);
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
    queueMicrotask(() => this.host.shadow.querySelector<HTMLElement>('.card button')?.focus());
  }

  private readonly actions: UiActions = {
    startClip: () => void this.startClip(),
    openCard: (id, x, y) => this.openCard(id, x, y),
    closeCard: () => this.set({ card: null }),
    togglePanel: () => this.set({ panelOpen: !this.state.panelOpen }),
    dismissToast: () => this.set({ toast: null }),
    focusClip: (id) => this.surface.focusClip(id, this.host),
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
      const range = this.host.currentSelection() ?? this.selectionRange;
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
    await this.host.refresh();
    this.showToast(done);
  }

  private async editClip(id: string): Promise<void> {
    const placed = this.host.clips.find((c) => c.clip.id === id);
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
          await this.host.refresh();
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
    await this.host.refresh();
    this.showToast('Clip deleted.', async () => {
      this.set({ toast: null });
      const restored = await send('restoreClip', { id });
      if (restored.ok) await this.host.refresh();
      else this.showToast(restored.error.message);
    });
  }

  // ------------------------------------------------------------------ rendering

  showToast(message: string, undo?: () => void): void {
    clearTimeout(this.toastTimer);
    this.set({ toast: { message, undo } });
    this.toastTimer = setTimeout(() => this.set({ toast: null }), undo ? 10_000 : 5_000);
  }

  private set(patch: Partial<ViewState>): void {
    this.state = { ...this.state, ...patch };
    this.render();
  }

  private render(): void {
    const state: UiState = { ...this.state, clips: this.host.clips, criteria: this.host.criteria };
    render(h(ClipOverlay, { state, actions: this.actions }), this.host.mount);
  }
}
