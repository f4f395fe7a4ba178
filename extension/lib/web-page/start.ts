// Content-script start: one clip UI host per frame, even when the script is injected twice
// (registered for a granted origin and injected again on demand). What runs on every page load
// is the host (anchoring and painting); the view is injected when the user first needs it.
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { ClipHost } from '../clip-ui/clip-host';
import { clipUiShadowMode } from '../clip-ui/shadow-mode';
import { logError } from '../log-error';
import { watchDocumentLinks } from './document-links';
import { loadInjectedView } from './view-loader';
import { WebPageSurface } from './web-page-surface';

const FLAG = '__qsiEvidenceClipper';

export function startContent(ctx: ContentScriptContext): void {
  const scope = window as unknown as Record<string, unknown>;
  if (scope[FLAG] || !document.body) return;
  scope[FLAG] = true;
  ctx.onInvalidated(() => {
    scope[FLAG] = false;
  });
  watchDocumentLinks(ctx.signal);
  const start = async () => {
    const mode = await clipUiShadowMode();
    const host = new ClipHost(new WebPageSurface(), ctx.signal, mode, loadInjectedView);
    await host.start();
  };
  void start().catch(logError);
}
