// Loads the clip UI's view into a web page when the user first needs it. The content script that
// every granted page runs holds only the text model, anchoring and painting (the host); the view
// (Preact, tag dialog, card, panel) is a separate script that the background injects into the
// asking frame with scripting.executeScript, on request of this content script only: no
// web-accessible resource, nothing a page could load or trigger by itself.
import type { ClipView, ClipViewHost } from '../clip-ui/clip-surface';
import { sendToBackground } from '../send-to-background';
import { receiveView } from './view-hook';

/** Asks the background to inject the view into this frame and attaches it to `host`. */
export async function loadInjectedView(host: ClipViewHost<Range>): Promise<ClipView> {
  const make = await receiveView(async () => {
    const reply = await sendToBackground('loadClipView', {}, 'clip-ui');
    if (!reply.ok) throw new Error(`The clip UI could not be loaded: ${reply.error.message}`);
  });
  if (!make) throw new Error('The clip UI could not be loaded: the injected script did not answer.');
  return make(host);
}
