// Content-side sender for the typed message map: one call, one validated Result back.
import browser from 'webextension-polyfill';
import { err } from '../../../shared/errors';
import type { Reply, RequestName, RequestOf } from '../messaging';

export async function send<N extends RequestName>(name: N, body: RequestOf<N>): Promise<Reply<N>> {
  try {
    const reply = (await browser.runtime.sendMessage({ name, body })) as Reply<N> | undefined;
    return reply ?? err('unavailable', 'The extension did not answer. Reload the page and try again.');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return err('unavailable', `The extension is not reachable (${message}). Reload the page and try again.`);
  }
}
