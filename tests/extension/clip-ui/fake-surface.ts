// A fake clip surface for the ClipUi tests: one <main> element of text, passages as DOM Ranges,
// anchoring that reports the status a test chose, and no painting. Records what it was asked.
import type { ClipSurface, ClipUiHandle, PlacedClip } from '../../../extension/lib/clip-ui/clip-surface';
import type { PageClip } from '../../../extension/lib/messaging';
import type { AnchorStatus, Clip, Selector } from '../../../shared/schemas';

export const URL_ = 'https://intranet.example.nhs.uk/policies/radiation-safety';
export const PASSAGE = 'All staff must complete radiation safety training every year.';

/** A live clip of this document on `quote`, tagged with `criteria`. */
export const clip = (id: string, quote: string, criteria: string[] = ['crit-1']): Clip => ({
  id,
  url: URL_,
  docKey: URL_,
  title: 'Radiation safety policy',
  selectors: [{ type: 'TextQuoteSelector', exact: quote, prefix: '', suffix: '' }],
  quote,
  criteria,
  note: '',
  docMeta: {},
  createdBy: { id: 'm1', name: 'Ada' },
  createdAt: '2026-11-30T09:00:00.000Z',
  updatedAt: '2026-11-30T09:00:00.000Z',
  deleted: false,
});

/**
 * A surface over one <main> element: passages are DOM Ranges, anchoring gives each clip the status
 * the test chose, and painting is not done at all. Records what the clip UI asked of it.
 */
export class FakeSurface implements ClipSurface<Range> {
  readonly hostParent = document.body;
  readonly textRoot: HTMLElement;
  readonly scroller = window;
  readonly doc = { url: URL_ };
  readonly schedulePasses = (pass: () => Promise<void>) => pass;
  readonly toastRefreshErrors = true;
  readonly wording = {
    noText: 'Nothing to clip here.',
    unusable: 'That selection cannot be used.',
    selectFirst: 'Select the passage first.',
  };
  statuses: Record<string, AnchorStatus> = {};
  /** What anchoring adds to a clip besides its status (text found now, suggestion texts). */
  extras: Record<string, Pick<PlacedClip, 'found' | 'suggestions'>> = {};
  /** A lost clip's suggestion passages (the fake never paints anything). */
  suggestionPassages: Record<string, Range[]> = {};
  handle: ClipUiHandle | undefined;
  listenSignal: AbortSignal | undefined;
  resumeDraft = false;
  readonly saved: { clip: Clip; passage: Range | null }[] = [];
  readonly focused: string[] = [];
  destroyed = 0;

  constructor(text: string) {
    this.textRoot = document.createElement('main');
    this.textRoot.textContent = text;
    document.body.append(this.textRoot);
  }

  listen(ui: ClipUiHandle, signal: AbortSignal): void {
    this.handle = ui;
    this.listenSignal = signal;
  }
  mayResumeDraft(): boolean {
    return this.resumeDraft;
  }
  async anchor(clips: PageClip[]): Promise<PlacedClip[]> {
    return clips.map((c) => ({
      ...c,
      status: this.statuses[c.clip.id] ?? 'exact',
      ...this.extras[c.clip.id],
    }));
  }
  hitTest(): string[] {
    return [];
  }
  passageOfSelection(range: Range): Range | null {
    return range.cloneRange();
  }
  passageOfClip(): Range | undefined {
    return undefined;
  }
  passageOfSuggestion(id: string, index: number): Range | undefined {
    return this.suggestionPassages[id]?.[index];
  }
  describe(range: Range): Selector[] | null {
    const exact = range.toString();
    return exact.trim() ? [{ type: 'TextQuoteSelector', exact, prefix: '', suffix: '' }] : null;
  }
  about() {
    return {
      title: 'Radiation safety policy',
      docMeta: { owner: 'Chief physicist' },
      snapshotText: 'section',
    };
  }
  async clipSaved(saved: Clip, passage: Range | null): Promise<void> {
    this.saved.push({ clip: saved, passage });
  }
  focusClip(id: string): void {
    this.focused.push(id);
  }
  destroy(): void {
    this.destroyed++;
  }
}

/** Selects `text` inside `root` (its first text node), then fires `via` as a mouse or keyboard would. */
export function selectIn(root: Node, text: string, via: 'mouseup' | 'keyup' = 'mouseup'): void {
  const node = root.firstChild;
  if (!node?.textContent) throw new Error('nothing to select');
  const start = node.textContent.indexOf(text);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + text.length);
  const sel = document.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
  document.dispatchEvent(new Event(via));
}

// happy-dom has no `isTrusted`: the tests model the browser's flag. Events count as the user's
// input, except those dispatched while `asPageScript` runs (as a page's dispatchEvent or
// `.click()` would be: the browser marks them untrusted).
let pageScriptRunning = false;

/** Installs the model; returns its removal. */
export function modelTrustedInput(): () => void {
  Object.defineProperty(Event.prototype, 'isTrusted', {
    configurable: true,
    get: () => !pageScriptRunning,
  });
  return () => {
    delete (Event.prototype as { isTrusted?: boolean }).isTrusted;
  };
}

/** Runs `script` as a page's own script would: every event it makes is untrusted. */
export function asPageScript(script: () => void): void {
  pageScriptRunning = true;
  try {
    script();
  } finally {
    pageScriptRunning = false;
  }
}
