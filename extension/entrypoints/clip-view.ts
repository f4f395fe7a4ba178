// Extension scripts may not eval: zod is told not to try (the page-load part carries no zod).
import '../lib/zod-setup';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { describeRange } from '../lib/anchoring/dom-anchoring';
import { ClipOverlayView } from '../lib/clip-ui/clip-view';
import { aboutWebPage } from '../lib/web-page/page-context';
import { deliverView } from '../lib/web-page/view-hook';
import type { WebPageSurface } from '../lib/web-page/web-page-surface';

// The clip UI's view for web pages: not in the manifest, injected into one frame by the background
// when that frame's content script asks for it (lib/web-page/view-loader.ts).
export default defineUnlistedScript(() => {
  deliverView((host) => {
    // Describing a selection is clipping's work: it comes with the view, not at page load.
    (host.surface as WebPageSurface).describer = describeRange;
    return new ClipOverlayView(host, aboutWebPage);
  });
});
