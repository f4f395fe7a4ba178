// On a granted page, with "open Word documents automatically" on: a click on a link to a .docx
// file asks the background to open it in the viewer instead of letting the browser download it
// (a download is not a navigation the background could redirect). Modified clicks open a new tab.
import browser from 'webextension-polyfill';
import { DOCX_CONTENT_TYPE, looksLikeDocxUrl } from '../../../shared/docx/docx-link';
import { DOCX_AUTO_OPEN_KEY as AUTO_OPEN_KEY, docxAutoOpenFrom } from '../docx/docx-settings';
import { logError } from '../log-error';
import { sendToBackground } from '../send-to-background';

/** Watches link clicks until `signal` aborts. The setting is cached: the click must be answered at once. */
export function watchDocumentLinks(signal: AbortSignal): void {
  let on = false;
  void browser.storage.local.get(AUTO_OPEN_KEY).then((v) => {
    on = docxAutoOpenFrom(v[AUTO_OPEN_KEY]);
  }, logError);
  const onChanged = (changes: Record<string, { newValue?: unknown }>) => {
    if (AUTO_OPEN_KEY in changes) on = docxAutoOpenFrom(changes[AUTO_OPEN_KEY]?.newValue);
  };
  browser.storage.onChanged.addListener(onChanged);
  signal.addEventListener('abort', () => browser.storage.onChanged.removeListener(onChanged));
  document.addEventListener(
    'click',
    (e) => {
      if (!on || e.defaultPrevented || e.button > 1) return;
      const link = e.target instanceof Element ? e.target.closest('a[href]') : null;
      if (!(link instanceof HTMLAnchorElement)) return;
      if (!looksLikeDocxUrl(link.href) && link.type !== DOCX_CONTENT_TYPE) return;
      e.preventDefault();
      const newTab = link.target === '_blank' || e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1;
      void sendToBackground('openDocument', { url: link.href, newTab }, 'clip-ui').then((reply) => {
        // Refused (auto-open just turned off, origin no longer granted): what the click would have done.
        if (!reply.ok || !reply.value.opened) location.assign(link.href);
      }, logError);
    },
    { capture: true, signal },
  );
}
