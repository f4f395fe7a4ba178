// What the document viewers' clip surfaces (PDF, Word) share: their wording, and the shortcut,
// browser command and context menu item that start a clip in an extension page.
import browser, { type Menus, type Tabs } from 'webextension-polyfill';
import { CLIP_COMMAND, CLIP_MENU_ID } from '../background/clip-triggers';
import type { ClipUiHandle } from '../clip-ui/clip-surface';
import { logError } from '../log-error';

/** Where the text is, in the messages that send the user back to it. */
export const VIEWER_WORDING = {
  noText: 'The selection holds no text of the document: select some text to clip.',
  unusable: 'That selection cannot be used: select some text in the document.',
  selectFirst: 'Select the passage in the document first.',
};

/** Starts a clip on Alt+Shift+E, and on the browser's command or menu item for this tab. */
export function listenForClipTriggers(ui: ClipUiHandle, signal: AbortSignal): void {
  document.addEventListener(
    'keydown',
    (e) => {
      // The same shortcut as on web pages (the browser command does not reach extension pages).
      if (e.altKey && e.shiftKey && e.code === 'KeyE') {
        e.preventDefault();
        void ui.startClip();
      }
    },
    { signal },
  );
  // The browser's command and "Clip as evidence" menu item reach extension pages too: act on
  // them when they were for this tab (the background cannot inject into the viewer).
  const ownTab = browser.tabs.getCurrent();
  const forThisTab = (tab: Tabs.Tab | undefined) =>
    void ownTab.then((own) => {
      if (own?.id !== undefined && own.id === tab?.id) void ui.startClip();
    }, logError);
  const onCommand = (command: string, tab?: Tabs.Tab) => command === CLIP_COMMAND && forThisTab(tab);
  const onMenu = (info: Menus.OnClickData, tab?: Tabs.Tab) =>
    info.menuItemId === CLIP_MENU_ID && forThisTab(tab);
  browser.commands.onCommand.addListener(onCommand);
  browser.contextMenus.onClicked.addListener(onMenu);
  signal.addEventListener('abort', () => {
    browser.commands.onCommand.removeListener(onCommand);
    browser.contextMenus.onClicked.removeListener(onMenu);
  });
}
