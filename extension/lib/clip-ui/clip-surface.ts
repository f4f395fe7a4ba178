// What a document surface (a web page, the PDF viewer) supplies to the shared clip UI: its text
// model and anchoring, how highlights are painted and hit, where the UI goes and how commands
// and page changes reach it. Everything the user sees and does lives in ClipUi, not here.
import type { AnchorStatus, Clip, DocMeta, Selector } from '../../../shared/schemas';
import type { ClipDraft, PageClip, PageStatus, RequestOf } from '../messaging';
import type { PassSchedule } from './pacing';

/** What a new clip records about its document besides the passage. */
export interface PassageAbout {
  title: string;
  docMeta: DocMeta;
  snapshotText: string;
}

/** A clip as the last anchoring pass placed it. */
export interface PlacedClip extends PageClip {
  status: AnchorStatus;
  /** The text found now, when the clip is "moved or changed" (its card shows the diff). */
  found?: string;
  /** For a lost clip: the texts of the places that come close, best first (never painted). */
  suggestions?: string[];
}

/** What a surface may ask of the clip UI (from its listeners and hooks). */
export interface ClipUiHandle {
  /** Our UI's host element (page-change watchers must ignore it). */
  readonly host: HTMLElement;
  /** The clips of the last anchoring pass. */
  readonly clips: readonly PlacedClip[];
  /** The selection as a Range, or null when empty, inside our UI or outside the surface's text. */
  currentSelection(): Range | null;
  startClip(): Promise<void>;
  refresh(): Promise<void>;
  showToast(message: string): void;
  openCard(clipId: string, x: number, y: number): void;
  /** Moves focus into the open card (after it renders). */
  focusCard(): void;
}

/**
 * What the clip UI's host (lib/clip-ui/clip-host.ts: our element, closed shadow root, anchoring
 * passes, trusted-input listeners) hands to its view, the part the user sees and acts on.
 */
export interface ClipViewHost<P> extends ClipUiHandle {
  readonly surface: ClipSurface<P>;
  readonly signal: AbortSignal;
  readonly shadow: ShadowRoot;
  /** The element the view renders into (inside the shadow root). */
  readonly mount: HTMLElement;
  /** The criteria named by the last pass's clips (code and title). */
  readonly criteria: Record<string, { code: string; title: string }>;
}

/**
 * The view: the "Clip as evidence" button, tag dialog, hover card, evidence panel and toast
 * (lib/clip-ui/clip-view.ts, Preact). On web pages it is loaded only when the user first needs it;
 * the host forwards the user's (trusted) input to it from then on.
 */
export interface ClipView {
  /** The selection may have changed. */
  selectionChanged(): void;
  /** The pointer rests on a highlight of clip `id` (no button held). */
  hovered(id: string, x: number, y: number): void;
  /** A press outside our UI. */
  pressed(): void;
  scrolled(): void;
  /** A pass placed the clips anew (host.clips, host.criteria). */
  clipsChanged(): void;
  startClip(): Promise<void>;
  showToast(message: string): void;
  openCard(clipId: string, x: number, y: number): void;
  focusCard(): void;
  /** Opens the evidence panel and moves focus to its toggle. */
  openPanel(): void;
  /** Reopens the tag dialog on a draft saved before (one per document). */
  resumeDraft(draft: ClipDraft): Promise<void>;
  /** Removes what it rendered. */
  destroy(): void;
}

/**
 * A surface that clips can be made on and painted over. `P` is how it points at a passage: a DOM
 * Range on web pages, text offsets in the PDF viewer.
 */
export interface ClipSurface<P> {
  /** Where the UI's host element is appended. */
  readonly hostParent: HTMLElement;
  /** Selections outside this are not the document's text. */
  readonly textRoot: Node;
  /** What scrolls the text (the "Clip as evidence" button follows it). */
  readonly scroller: EventTarget;
  /** The document in messages to the background: its URL, and a PDF's fingerprint. */
  readonly doc: RequestOf<'getPageClips'>;
  /** How refresh requests become anchoring passes. */
  readonly schedulePasses: PassSchedule;
  /** Whether a failure to read the clips is shown to the user. */
  readonly toastRefreshErrors: boolean;
  /** Messages that name where the text is. */
  readonly wording: { noText: string; unusable: string; selectFirst: string };
  /** Registers the surface's own listeners (commands, page changes) until `signal` aborts. */
  listen(ui: ClipUiHandle, signal: AbortSignal): void;
  /** Whether this surface resumes a saved draft on start (one frame of a page does). */
  mayResumeDraft(): boolean;
  /** Anchors and paints the clips (in time slices), replacing what was painted. */
  anchor(clips: PageClip[]): Promise<PlacedClip[]>;
  /** Clip ids painted under a viewport point. */
  hitTest(x: number, y: number): string[];
  passageOfSelection(range: Range): P | null;
  passageOfClip(id: string): P | undefined;
  /** A lost clip's `index`-th suggestion from the last pass (never painted until re-attached). */
  passageOfSuggestion(id: string, index: number): P | undefined;
  /** Selectors for a passage, or null when it holds no usable text. */
  describe(passage: P): Selector[] | null;
  /**
   * What a new clip records about the document besides the passage. A web page has it from the
   * view's own script instead (lib/web-page/page-context.ts), so page load does not carry it.
   */
  about?(passage: P): PassageAbout;
  /** A clip was saved from `passage` (null: from a resumed draft); resolves when it may say so. */
  clipSaved(clip: Clip, passage: P | null, ui: ClipUiHandle): Promise<void>;
  /** Shows a clip's passage and its card (the evidence panel's "show" action). */
  focusClip(id: string, ui: ClipUiHandle): void;
  /** Undoes the painting when the UI goes away. */
  destroy(): void;
}

/** A pass's counts by status, for the popup and the viewers' status lines. */
export function countStatus(url: string, clips: readonly PlacedClip[]): PageStatus {
  const count = (s: string) => clips.filter((c) => c.status === s).length;
  return { url, exact: count('exact'), relocated: count('relocated'), lost: count('lost') };
}
