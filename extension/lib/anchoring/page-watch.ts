// Re-anchoring triggers for dynamic pages: a debounced MutationObserver on the
// content root that ignores our own UI, and SPA navigation (popstate, hashchange, the Navigation
// API where present, and a cheap location.href poll, because a content script's isolated world
// cannot see the page's own history.pushState calls).
//
// API: watchPageChanges({ root, signal, onMutation, onNavigate, ignore?, debounceMs?, maxWaitMs?,
//   pollMs? }) → stop(). Callbacks run at most once per quiet period; `signal` or stop() ends it.
import { UI_ATTRIBUTE } from './text-model';

export interface PageWatchOptions {
  root: Node;
  /** Aborting it stops watching. */
  signal?: AbortSignal;
  /** The root's text may have changed (debounced). Receives the mutation count since last call. */
  onMutation: (count: number) => void;
  /** The URL changed without a page load (pushState/replaceState, popstate, hashchange). */
  onNavigate: (url: string) => void;
  /** Nodes whose mutations are ours or irrelevant (UI marked `data-qsi-evidence-ui` always are). */
  ignore?: (node: Node) => boolean;
  /** Quiet time before onMutation (default 300 ms). */
  debounceMs?: number;
  /** Longest delay under continuous mutation (default 2 000 ms). */
  maxWaitMs?: number;
  /** location.href poll interval (default 500 ms; 0 disables the poll). */
  pollMs?: number;
}

function isOurs(node: Node, ignore?: (node: Node) => boolean): boolean {
  if (ignore?.(node)) return true;
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return !!el?.closest(`[${UI_ATTRIBUTE}]`);
}

/** True when a mutation can change the text model (not only our own UI coming and going). */
export function isRelevantMutation(m: MutationRecord, ignore?: (node: Node) => boolean): boolean {
  if (m.type === 'childList') {
    const changed = [...Array.from(m.addedNodes), ...Array.from(m.removedNodes)];
    // Removed nodes are detached: judge them by themselves, not by their (gone) ancestors.
    return changed.some(
      (n) => !(ignore?.(n) || (n.nodeType === 1 && (n as Element).hasAttribute(UI_ATTRIBUTE))),
    )
      ? !isOurs(m.target, ignore)
      : false;
  }
  return !isOurs(m.target, ignore);
}

/** Starts watching; returns a function that stops it (also done by `signal`). */
export function watchPageChanges(options: PageWatchOptions): () => void {
  const debounce = options.debounceMs ?? 300;
  const maxWait = options.maxWaitMs ?? 2000;
  const doc = options.root.ownerDocument ?? (options.root as Document);
  const win = doc.defaultView;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAt = 0;
  let count = 0;
  let stopped = false;

  const fire = () => {
    timer = undefined;
    const n = count;
    count = 0;
    firstAt = 0;
    if (!stopped && n > 0) options.onMutation(n);
  };
  const observer = new (win?.MutationObserver ?? MutationObserver)((records) => {
    const relevant = records.filter((m) => isRelevantMutation(m, options.ignore)).length;
    if (relevant === 0) return;
    count += relevant;
    const now = Date.now();
    if (!firstAt) firstAt = now;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(
      fire,
      now - firstAt + debounce >= maxWait ? Math.max(0, maxWait - (now - firstAt)) : debounce,
    );
  });
  observer.observe(options.root, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['hidden', 'open'],
  });

  let lastUrl = win?.location.href ?? '';
  const checkUrl = () => {
    const url = win?.location.href ?? '';
    if (stopped || url === lastUrl) return;
    lastUrl = url;
    options.onNavigate(url);
  };
  win?.addEventListener('popstate', checkUrl);
  win?.addEventListener('hashchange', checkUrl);
  const nav = (win as unknown as { navigation?: EventTarget } | null)?.navigation;
  nav?.addEventListener?.('navigatesuccess', checkUrl);
  const poll = (options.pollMs ?? 500) > 0 ? setInterval(checkUrl, options.pollMs ?? 500) : undefined;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    observer.disconnect();
    if (timer !== undefined) clearTimeout(timer);
    if (poll !== undefined) clearInterval(poll);
    win?.removeEventListener('popstate', checkUrl);
    win?.removeEventListener('hashchange', checkUrl);
    nav?.removeEventListener?.('navigatesuccess', checkUrl);
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  return stop;
}
