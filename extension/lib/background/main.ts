// Background wiring: owns Dexie, answers messages, the context menu and the keyboard command,
// and keeps automatic highlighting registered for granted origins.
import '../zod-setup';
import browser from 'webextension-polyfill';
import { createDb } from '../db';
import { createDocxMenu, onDocxMenuClick, watchGrantsForDocumentMenu } from '../docx/docx-routing';
import { seedFrameworks } from '../frameworks';
import { logError } from '../log-error';
import { watchManagedPolicy } from '../managed/apply-policy';
import type { TabCommand } from '../messaging';
import { markTeamServerOrigin } from '../origin-grants';
import { createPdfMenu, onPdfMenuClick, watchPdfNavigations } from '../pdf/pdf-routing';
import { startBackgroundSync } from '../sync/background-sync';
import { readTeam } from '../sync/state';
import { CLIP_COMMAND, CLIP_MENU_ID } from './clip-triggers';
import { injectInto, syncAutoHighlightRegistration, watchPermissionChanges } from './content-injection';
import { handleMessage } from './handlers';
import { startReminders } from './reminders';

export { CLIP_COMMAND, CLIP_MENU_ID };

/** Injects (if needed) and asks the tab's frames to open the tag dialog for their selection. */
export async function startClipInTab(tabId: number, frameId?: number): Promise<void> {
  await injectInto(tabId);
  const command: TabCommand = { type: 'clipSelection' };
  await browser.tabs.sendMessage(tabId, command, frameId === undefined ? undefined : { frameId });
}

/** Our own pages (the PDF and Word viewers) run their own clipping; nothing to inject there. */
const isOwnPage = (url: string | undefined) => !!url && url.startsWith(browser.runtime.getURL('/'));

export function startBackground(): void {
  const db = createDb();

  browser.runtime.onInstalled.addListener(() => {
    void seedFrameworks(db).catch(logError);
    browser.contextMenus.create(
      { id: CLIP_MENU_ID, title: 'Clip as evidence', contexts: ['selection'] },
      () => {
        // Re-creating on update reports "duplicate id": harmless.
        void browser.runtime.lastError;
      },
    );
    createPdfMenu();
    createDocxMenu();
  });
  watchPdfNavigations();
  watchGrantsForDocumentMenu();
  // Also on every start: a profile whose install event was missed still gets the shipped frameworks.
  void seedFrameworks(db).catch(logError);
  watchPermissionChanges();
  // A team joined before sync grants were recorded: its server's host is for sync only.
  void readTeam(db)
    .then((team) => markTeamServerOrigin(team?.serverUrl))
    .then(syncAutoHighlightRegistration)
    .catch(logError);
  // The organisation's policy (storage.managed): applied now, on change, and after each sync.
  let reapplyPolicy: (() => void) | undefined;
  const { controls: sync } = startBackgroundSync(db, { afterSync: () => reapplyPolicy?.() });
  reapplyPolicy = watchManagedPolicy(db, {
    join: (serverUrl, inviteCode, displayName) => sync.join(serverUrl, inviteCode, displayName),
  });
  startReminders(db);

  // sendResponse + `return true`: the form that both real browsers and WXT's fake browser accept.
  browser.runtime.onMessage.addListener(((message: unknown, sender, sendResponse: (r: unknown) => void) => {
    void handleMessage(message, sender, db, sync).then(sendResponse);
    return true;
  }) as Parameters<typeof browser.runtime.onMessage.addListener>[0]);

  browser.contextMenus.onClicked.addListener((info, tab) => {
    void onPdfMenuClick(info, tab).catch(logError);
    void onDocxMenuClick(info, tab).catch(logError);
    if (info.menuItemId !== CLIP_MENU_ID || tab?.id === undefined) return;
    if (isOwnPage(info.pageUrl ?? tab.url)) return; // the PDF viewer handles its own
    void startClipInTab(tab.id, info.frameId).catch(logError);
  });
  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== CLIP_COMMAND || isOwnPage(tab?.url)) return;
    const run = async () => {
      const tabId = tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
      if (tabId !== undefined) await startClipInTab(tabId);
    };
    void run().catch(logError);
  });
}
