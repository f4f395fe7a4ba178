// Content-script start: one clip UI per frame, even when the script is injected twice
// (registered for a granted origin and injected again on demand).
import '../zod-setup';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { ClipUi } from '../clip-ui/clip-ui';
import { clipUiShadowMode } from '../clip-ui/shadow-mode';
import { logError } from '../log-error';
import { watchDocumentLinks } from './document-links';
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
    const ui = new ClipUi(new WebPageSurface(), ctx.signal, await clipUiShadowMode());
    await ui.start();
  };
  void start().catch(logError);
}
