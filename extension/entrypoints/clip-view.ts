import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { ClipOverlayView } from '../lib/clip-ui/clip-view';
import { aboutWebPage } from '../lib/web-page/page-context';
import { deliverView } from '../lib/web-page/view-hook';

// The clip UI's view for web pages: not in the manifest, injected into one frame by the background
// when that frame's content script asks for it (lib/web-page/view-loader.ts).
export default defineUnlistedScript(() => {
  deliverView((host) => new ClipOverlayView(host, aboutWebPage));
});
