// How the clip UI's view, injected on demand into a web page (lib/web-page/view-loader.ts),
// reaches the content script that asked for it. Both run in the extension's isolated world of the
// frame, which shares the DOM with the page but not JavaScript objects: a function on a
// symbol-keyed property of that world's global is out of reach of the page's scripts. The property
// exists only while a request is pending, so an injection nobody asked for attaches nothing.
import type { ClipView, ClipViewHost } from '../clip-ui/clip-surface';

const KEY = Symbol.for('qsi-evidence-clipper.clip-view');

/** What the injected script hands over: how to make the view for a web page's host. */
export type ViewFactory = (host: ClipViewHost<Range>) => ClipView;

type Scope = Record<symbol, ((make: ViewFactory) => void) | undefined>;

/** Receives the factory while `run` is pending (the injection): null if none was delivered. */
export async function receiveView(run: () => Promise<void>): Promise<ViewFactory | null> {
  const scope = globalThis as unknown as Scope;
  let received: ViewFactory | null = null;
  Object.defineProperty(scope, KEY, {
    configurable: true,
    value: (make: ViewFactory) => {
      received = make;
    },
  });
  try {
    await run();
  } finally {
    delete scope[KEY];
  }
  return received;
}

/** Called by the injected script: hands the factory to a pending request (false: none pending). */
export function deliverView(make: ViewFactory): boolean {
  const receive = (globalThis as unknown as Scope)[KEY];
  if (typeof receive !== 'function') return false;
  receive(make);
  return true;
}
