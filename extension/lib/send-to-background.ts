// The one sender of the typed message map to the background, used by the clip UI (web pages, the
// PDF viewer) and by extension pages (dashboard, popup): one call, one Result back, never a throw.
// The background decides what each sender may ask (team commands are refused from content scripts).
import browser from 'webextension-polyfill';
import { err } from '../../shared/result';
import type { Reply, RequestName, RequestOf } from './messaging';

/**
 * Who is sending: the clip UI runs in a document tab, where reloading the tab reconnects a content
 * script whose extension was updated; an extension page only needs to try again.
 */
export type Sender = 'clip-ui' | 'extension-page';

const UNREACHABLE: Record<Sender, { silent: string; failed: (reason: string) => string }> = {
  'clip-ui': {
    silent: 'The extension did not answer. Reload the page and try again.',
    failed: (reason) => `The extension is not reachable (${reason}). Reload the page and try again.`,
  },
  'extension-page': {
    silent: 'The extension background did not answer. Try again.',
    failed: (reason) => `The extension background is not reachable (${reason}).`,
  },
};

/** Sends `name` to the background; an unreachable background is an `unavailable` Result too. */
export async function sendToBackground<N extends RequestName>(
  name: N,
  body: RequestOf<N>,
  from: Sender = 'extension-page',
): Promise<Reply<N>> {
  try {
    const reply = (await browser.runtime.sendMessage({ name, body })) as Reply<N> | undefined;
    return reply ?? err('unavailable', UNREACHABLE[from].silent);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return err('unavailable', UNREACHABLE[from].failed(reason));
  }
}
