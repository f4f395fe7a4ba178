// The logic the document viewer pages (PDF, Word) share around their own loading and rendering:
// asking for a site's permission, auto-open, a failed fetch or open, find, the test handle, `#…`.
import browser from 'webextension-polyfill';
import { findAll } from '../../../shared/pdf/find-text';
import { parseViewerHref, type ViewerTarget } from '../../../shared/pdf/viewer-link';
import { originPattern } from '../background/content-injection';
import { logError } from '../log-error';
import { type PdfViewerHandle, VIEWER_HANDLE } from '../pdf/viewer-handle';
import type { FindState, ViewerPhase } from './viewer-parts';

// The find highlights the PDF viewer's stylesheet colours (both viewers load it).
const FIND_NAME = 'qsi-pdf-find';
const FIND_CURRENT = 'qsi-pdf-find-current';

/** Asks for a site's permission and reloads once granted (call inside the click's user gesture). */
export function askForOrigin(origin: string): void {
  // Inside the click's user gesture: no await before the request.
  void browser.permissions.request({ origins: [origin] }).then((granted) => {
    if (granted) location.reload();
  }, logError);
}

/** Turns auto-open on or off, asking for the file's site when turning it on; `done` gets the result. */
export function setAutoOpenAsking(
  file: string | undefined,
  on: boolean,
  save: (on: boolean) => Promise<void>,
  done: (on: boolean) => void,
): void {
  const pattern = file ? originPattern(file) : null;
  // Auto-open applies to granted origins: ask for this one when turning it on here.
  const ask = on && pattern ? browser.permissions.request({ origins: [pattern] }) : Promise.resolve(true);
  void ask.then(async (granted) => {
    await save(on && granted);
    done(on && granted);
  }, logError);
}

/** The error phase for a failed fetch: it offers to ask for the site when that is why. */
export async function fetchFailedPhase(
  file: string,
  error: { code: string; message: string },
): Promise<ViewerPhase> {
  const pattern = originPattern(file);
  const granted = pattern ? await browser.permissions.contains({ origins: [pattern] }) : true;
  return {
    kind: 'error',
    message: error.message,
    ...(error.code === 'forbidden' && !granted && pattern ? { askOrigin: pattern } : {}),
  };
}

/** The error phase for a document that could not be opened (logged). */
export function openFailedPhase(what: string, error: unknown): ViewerPhase {
  logError(error);
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'error', message: `${what} could not be opened: ${message}` };
}

/** A find step: the matches of `query` in `text` (found again when the query changed) and where. */
export function stepFind(
  prev: FindState,
  matches: Array<[number, number]>,
  text: string,
  query: string,
  step: 0 | 1 | -1,
): { matches: Array<[number, number]>; find: FindState } {
  const found = query !== prev.query ? findAll(text, query) : matches;
  const count = found.length;
  const index = count ? (prev.index + step + count) % count : 0;
  return { matches: found, find: { query, index: query === prev.query ? index : 0, count } };
}

/** Highlights the find matches that have a range now; returns the current one's range. */
export function paintFindMatches(
  matches: Array<[number, number]>,
  index: number,
  rangeFor: (start: number, end: number) => Range | null | undefined,
): Range | null {
  const registry = (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS?.highlights;
  const HighlightCtor = (globalThis as { Highlight?: new (...r: Range[]) => unknown }).Highlight;
  if (!registry || !HighlightCtor) return null;
  const ranges: Range[] = [];
  let current: Range | null = null;
  matches.forEach(([s, e], i) => {
    const r = rangeFor(s, e);
    if (!r) return;
    if (i === index) current = r;
    else ranges.push(r);
  });
  registry.set(FIND_NAME, new HighlightCtor(...ranges));
  registry.set(FIND_CURRENT, current ? new HighlightCtor(current) : new HighlightCtor());
  return current;
}

/** Publishes the handle the popup (and the bench) read the viewer's state through. */
export function publishViewerHandle(handle: PdfViewerHandle): void {
  (window as unknown as Record<string, unknown>)[VIEWER_HANDLE] = handle;
}

/** Follows later `#clip=…` / `#page=…` changes of the viewer's address. */
export function onViewerHashChange(go: (t: ViewerTarget) => void): void {
  window.addEventListener('hashchange', () => {
    const next = parseViewerHref(location.search, location.hash);
    if (next) go(next);
  });
}

/**
 * Renders the first toolbar, reads the auto-open setting and opens the target named by the
 * address (titling the tab with its file name meanwhile), or says what went wrong.
 */
export function startViewerPage(o: {
  target: ViewerTarget | null;
  /** The kind of document, as in "The PDF could not be opened". */
  what: string;
  /** The tab's title before the document's own is known, when the file name has none. */
  fallbackTitle: string;
  noTarget: string;
  getAutoOpen(): Promise<boolean>;
  update(patch: { phase?: ViewerPhase; autoOpen?: boolean }): void;
  open(t: ViewerTarget): Promise<void>;
}): void {
  o.update({});
  void o.getAutoOpen().then((autoOpen) => o.update({ autoOpen }), logError);
  if (!o.target) {
    o.update({ phase: { kind: 'error', message: o.noTarget } });
    return;
  }
  const name = new URL(o.target.file).pathname.split('/').pop() || o.fallbackTitle;
  document.title = `${name} — Evidence Clipper`;
  void o.open(o.target).catch((error: unknown) => {
    o.update({ phase: openFailedPhase(o.what, error) });
  });
}
