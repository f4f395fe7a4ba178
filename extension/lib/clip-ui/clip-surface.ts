// What a document surface (a web page, the PDF viewer) supplies to the shared clip UI: its text
// model and anchoring, how highlights are painted and hit, where the UI goes and how commands
// and page changes reach it. Everything the user sees and does lives in ClipUi, not here.
import type { Clip, DocMeta, Selector } from '../../../shared/schemas';
import type { PageClip, PageStatus, RequestOf } from '../messaging';
import type { PlacedClip } from './overlay';
import type { PassSchedule } from './pacing';

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
  /** What a new clip records about the document besides the passage. */
  about(passage: P): { title: string; docMeta: DocMeta; snapshotText: string };
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
