// The popup's "This page" section: clips found exact / relocated / lost on the active tab, the
// on-demand "show evidence" and "clip selection" actions, and the per-site permission toggle.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ManagedNote } from '../../components/managed-note';
import { injectInto, originPattern } from '../../lib/background/content-injection';
import { logError } from '../../lib/log-error';
import { type PageStatus, pageStatusSchema, type TabCommand } from '../../lib/messaging';
import { readOriginGrants, setEvidenceOrigin, showsEvidence } from '../../lib/origin-grants';
import { PdfPage, type PdfView, pdfViewFor } from './pdf-page';

type View =
  | { kind: 'loading' }
  | { kind: 'closed'; reason: string }
  | { kind: 'inactive'; tabId: number; pattern: string; granted: boolean; forSync: boolean; managed: boolean }
  | {
      kind: 'active';
      tabId: number;
      pattern: string;
      granted: boolean;
      forSync: boolean;
      managed: boolean;
      status: PageStatus;
    }
  | PdfView;

/** Why an extension cannot run on `url`, or null when it can. */
export function closedReason(url: string | undefined): string | null {
  if (!url) return 'This tab has no web page.';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'This tab has no web page.';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return 'Browser pages, extension pages and local files are closed to extensions.';
  if (
    /^(chromewebstore\.google\.com|chrome\.google\.com|microsoftedge\.microsoft\.com|addons\.mozilla\.org)$/.test(
      u.hostname,
    )
  )
    return 'Browser extension stores do not allow extensions to run on their pages.';
  if (/\.pdf$/i.test(u.pathname)) return 'PDFs in the browser’s built-in viewer are closed to extensions.';
  if (/\.docx$/i.test(u.pathname)) return 'Word documents open in Evidence Clipper’s own viewer.';
  return null;
}

async function pageStatus(tabId: number): Promise<PageStatus | null> {
  const command: TabCommand = { type: 'getPageStatus' };
  try {
    const reply = await browser.tabs.sendMessage(tabId, command, { frameId: 0 });
    const parsed = pageStatusSchema.safeParse(reply);
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // no content script in this tab yet
  }
}

/** The tab this popup describes: the active one, or `?tab=<id>` when opened as a page (tests, tools). */
async function targetTab() {
  const forced = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(forced) && forced > 0) return browser.tabs.get(forced);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab;
}

async function load(): Promise<View> {
  const tab = await targetTab();
  // PDFs: our viewer, or a PDF in the browser's viewer that can be opened in ours.
  const [pdf, contentStatus] = await Promise.all([
    pdfViewFor(tab),
    tab?.id !== undefined && /^https?:/i.test(tab.url ?? '') ? pageStatus(tab.id) : null,
  ]);
  if (pdf) return pdf;
  const reason = closedReason(tab?.url);
  if (!tab?.id || reason) return { kind: 'closed', reason: reason ?? 'No active tab.' };
  const pattern = originPattern(tab.url ?? '') ?? '';
  const [permitted, grants] = await Promise.all([
    browser.permissions.contains({ origins: [pattern] }),
    readOriginGrants(),
  ]);
  // A team server's host is granted for sync: that alone is not "always show evidence".
  const granted = permitted && showsEvidence(pattern, grants);
  const forSync = grants.sync.includes(pattern);
  // The organisation chose this site and the browser granted it: the toggle is locked on.
  const managed = granted && (grants.managed ?? []).includes(pattern);
  const status = contentStatus;
  return status
    ? { kind: 'active', tabId: tab.id, pattern, granted, forSync, managed, status }
    : { kind: 'inactive', tabId: tab.id, pattern, granted, forSync, managed };
}

export function ThisPage() {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [message, setMessage] = useState<string | null>(null);
  const reload = () => void load().then(setView, logError);
  useEffect(reload, []);

  if (view.kind === 'loading') return <p aria-live="polite">Checking this page…</p>;
  if (view.kind === 'pdf' || view.kind === 'pdf-viewer') return <PdfPage view={view} />;
  if (view.kind === 'closed')
    return (
      <>
        <h2 class="this-page-h">This page</h2>
        <p class="notice" role="status">
          QSI Evidence Clipper can’t run here. {view.reason}
        </p>
      </>
    );

  const showHere = async () => {
    if (await injectInto(view.tabId)) setTimeout(reload, 400);
    else setMessage('The browser did not allow the extension on this page.');
  };
  const clipSelection = async () => {
    await injectInto(view.tabId);
    const command: TabCommand = { type: 'clipSelection' };
    await browser.tabs.sendMessage(view.tabId, command).catch(logError);
    window.close();
  };
  const toggleAlways = (wanted: boolean) => {
    // permissions.request must run inside the click's user gesture: no await before it.
    // Turning it off on the team server's host keeps the permission that sync needs.
    const change = wanted
      ? browser.permissions.request({ origins: [view.pattern] })
      : view.forSync
        ? Promise.resolve(true)
        : browser.permissions.remove({ origins: [view.pattern] });
    void change
      .then(async (done) => {
        if (!done && wanted)
          setMessage('Permission was not granted: evidence shows only when you ask for it.');
        await setEvidenceOrigin(view.pattern, wanted && done);
        reload();
      })
      .catch(logError);
  };

  return (
    <>
      <h2 class="this-page-h">This page</h2>
      {view.kind === 'active' ? (
        <ul class="page-counts" aria-label="Clips on this page">
          <li>
            <strong>{view.status.exact}</strong> found
          </li>
          <li>
            <strong>{view.status.relocated}</strong> moved or changed
          </li>
          <li class={view.status.lost ? 'lost' : ''}>
            <strong>{view.status.lost}</strong> lost
          </li>
        </ul>
      ) : (
        <p class="muted">Evidence is not shown on this page yet.</p>
      )}
      <div class="page-actions">
        {view.kind === 'inactive' && (
          <button type="button" class="button secondary" onClick={() => void showHere()}>
            Show evidence on this page
          </button>
        )}
        <button type="button" class="button" onClick={() => void clipSelection()}>
          Clip selection
        </button>
      </div>
      <label class="toggle">
        <input
          type="checkbox"
          checked={view.granted}
          disabled={view.managed}
          aria-describedby={view.managed ? 'managed-site-note' : undefined}
          onChange={(e) => toggleAlways(e.currentTarget.checked)}
        />
        Always show evidence on this site
      </label>
      {view.managed && <ManagedNote id="managed-site-note" />}
      {message && <p role="alert">{message}</p>}
    </>
  );
}
