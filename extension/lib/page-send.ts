// Extension-page sender (dashboard, popup) for the typed message map: one call, one Result back.
// Team commands (join, leave, sync, conflicts) are refused from content scripts, so they go here.
import browser from 'webextension-polyfill';
import { err } from '../../shared/errors';
import type { Reply, RequestName, RequestOf } from './messaging';

/** Sends `name` to the background; never throws (an unreachable background is a Result too). */
export async function pageSend<N extends RequestName>(name: N, body: RequestOf<N>): Promise<Reply<N>> {
  try {
    const reply = (await browser.runtime.sendMessage({ name, body })) as Reply<N> | undefined;
    return reply ?? err('unavailable', 'The extension background did not answer. Try again.');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return err('unavailable', `The extension background is not reachable (${message}).`);
  }
}
