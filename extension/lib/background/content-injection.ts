// Where the content script runs. Least privilege: nothing at install; injected on demand into the
// active tab (activeTab + scripting, after a user gesture), and registered for automatic
// re-highlighting only on origins the user granted through optional_host_permissions.
import browser from 'webextension-polyfill';
import { logError } from '../log-error';
import { ORIGIN_GRANTS_KEY, readOriginGrants, showsEvidence } from '../origin-grants';

export const CONTENT_SCRIPT_FILE = '/content-scripts/content.js';
/** The clip UI's view for web pages (entrypoints/clip-view.ts): injected on request, never listed. */
export const CLIP_VIEW_FILE = '/clip-view.js';
const REGISTRATION_ID = 'qsi-evidence-auto-highlight';

/**
 * Origins (match patterns) the user granted for automatic highlighting: granted host permissions,
 * except a team server's host granted only for sync (lib/origin-grants.ts).
 */
export async function grantedOrigins(): Promise<string[]> {
  const [all, grants] = await Promise.all([browser.permissions.getAll(), readOriginGrants()]);
  return (all.origins ?? []).filter((o) => /^https?:\/\//.test(o) && showsEvidence(o, grants));
}

/** Match pattern for a page's origin, e.g. `https://intranet.example.nhs.uk/*`. */
export function originPattern(pageUrl: string): string | null {
  try {
    const u = new URL(pageUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return null;
  }
}

/** Keeps the dynamic content-script registration in step with the granted origins. */
export async function syncAutoHighlightRegistration(): Promise<void> {
  const origins = await grantedOrigins();
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [REGISTRATION_ID] });
  if (existing.length) await browser.scripting.unregisterContentScripts({ ids: [REGISTRATION_ID] });
  if (origins.length === 0) return;
  await browser.scripting.registerContentScripts([
    {
      id: REGISTRATION_ID,
      matches: origins,
      js: [CONTENT_SCRIPT_FILE],
      allFrames: true,
      runAt: 'document_idle',
      persistAcrossSessions: true,
    },
  ]);
}

/** Injects the content script into every frame of a tab (idempotent: the script guards itself). */
export async function injectInto(tabId: number): Promise<boolean> {
  try {
    await browser.scripting.executeScript({
      target: { tabId, allFrames: true },
      files: [CONTENT_SCRIPT_FILE],
    });
    return true;
  } catch (error) {
    logError(error);
    return false;
  }
}

/**
 * Injects the clip UI's view into one frame whose content script asked for it (the user selected
 * text, pointed at a highlight, opened the panel or gave a clip command there). The page has the
 * content script, so the extension may script it: a granted origin, or activeTab after a gesture.
 * @throws when the frame cannot be scripted (gone, navigated, permission withdrawn).
 */
export async function injectClipView(tabId: number, frameId: number): Promise<void> {
  await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [CLIP_VIEW_FILE] });
}

export function watchPermissionChanges(): void {
  const resync = () => void syncAutoHighlightRegistration().catch(logError);
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && ORIGIN_GRANTS_KEY in changes) resync();
  });
}
