// The popup shell. Its first paint needs only Preact and the cached coverage (read with raw
// IndexedDB by main.tsx); everything that needs Dexie, zod or messaging — the live coverage,
// "This page", "Due soon" and the sync status — arrives from live.tsx, loaded after that paint.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { Coverage, CriterionStatus, StandardCoverage } from '../../../shared/coverage';
import { CoverageBar } from '../../components/coverage-bar';
import { RagBadge } from '../../components/rag-badge';
import type { PopupData } from './cache-read';

const rank = { red: 0, amber: 1, green: 2, 'n/a': 3 } as const;
/** Gaps first: red, then amber, then green, then not applicable; stable within a status. */
const gapsFirst = (a: CriterionStatus, b: CriterionStatus) => rank[a.rag] - rank[b.rag];

function openDashboard(hash: string): void {
  void browser.tabs.create({ url: `${browser.runtime.getURL('/dashboard.html')}${hash}` });
}

/** What the popup gets once its second chunk has loaded. */
export interface LiveParts {
  /** "This page" section (clips found exact / relocated / lost, grant automatic highlighting). */
  thisPage?: ComponentChildren;
  /** One-line sync status (synced / pending N / offline / …). */
  syncStatus?: ComponentChildren;
  /** "Due soon": document reviews and assessment actions due within the reminder window. */
  dueSoon?: ComponentChildren;
  /** Calls `onData` with fresh coverage now and whenever clips, assessments or frameworks change
   *  (`null`: no framework installed). @returns unsubscribe. */
  watchCoverage(onData: (data: PopupData | null) => void): () => void;
}

export interface PopupProps {
  /** Coverage from the last computation, painted at once (undefined: none cached). */
  cached: PopupData | undefined;
  /** Loads the live parts; called once the first paint is on screen. */
  loadLive: () => Promise<LiveParts>;
}

export function PopupApp({ cached, loadLive }: PopupProps) {
  const [live, setLive] = useState<LiveParts | undefined>(undefined);
  const [fresh, setFresh] = useState<PopupData | null | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    // After the first paint: the live parts load Dexie and zod, which must not delay it.
    requestAnimationFrame(() =>
      setTimeout(() => {
        loadLive()
          .then((parts) => {
            performance.mark('qsi:popup-live-loaded');
            if (cancelled) return;
            setLive(parts);
            stop = parts.watchCoverage(setFresh);
          })
          .catch((error: unknown) => {
            console.error('[qsi] popup failed to load', error);
            setFailed(true);
          });
      }, 0),
    );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);
  // Until the fresh computation lands, the last one is shown and marked as updating.
  const data = fresh === undefined ? cached : fresh;
  const updating = fresh === undefined && cached !== undefined;
  useEffect(() => {
    // Timing marks for bench/ui.bench.ts (User Timing marks cost nothing otherwise).
    if (data !== undefined && performance.getEntriesByName('qsi:popup-rendered').length === 0) {
      performance.mark('qsi:popup-rendered');
    }
    if (fresh !== undefined) performance.mark('qsi:popup-fresh');
  }, [data === undefined, fresh === undefined]);
  return (
    <main class="popup">
      <header class="popup-header">
        <h1>QSI Evidence Clipper</h1>
        <button type="button" class="button" onClick={() => openDashboard('')}>
          Open dashboard
        </button>
      </header>
      <section class="this-page" aria-label="This page" data-slot="this-page">
        {live ? live.thisPage : <p class="muted">Checking this page…</p>}
      </section>
      {live?.dueSoon}
      {failed ? (
        <p role="alert">The popup could not load its data. Close it and open it again.</p>
      ) : data === undefined ? (
        <p aria-live="polite">Loading…</p>
      ) : data === null ? (
        <p role="alert">No framework is installed. Open the dashboard to import one.</p>
      ) : (
        <>
          <p class="updating" role="status">
            {updating ? 'Updating…' : ''}
          </p>
          <FrameworkCoverage name={data.name} notice={data.notice} coverage={data.coverage} />
        </>
      )}
      <footer class="popup-footer">
        {live?.syncStatus !== undefined && (
          <p class="sync-status" data-slot="sync-status">
            {live.syncStatus}
          </p>
        )}
      </footer>
    </main>
  );
}

function FrameworkCoverage({
  name,
  notice,
  coverage,
}: {
  name: string;
  notice?: string;
  coverage: Coverage<CriterionStatus>;
}) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  return (
    <section aria-labelledby="fw-name">
      <h2 id="fw-name" class="fw-name">
        {name}
      </h2>
      {notice && <p class="notice">{notice}</p>}
      <CoverageBar tally={coverage.tally} label="Overall coverage" />
      {coverage.domains.length === 0 && <p>This framework has no domains yet.</p>}
      <ul class="tree" aria-label="Domains">
        {coverage.domains.map((d) => (
          <li key={d.id} class="domain">
            <details
              open={open.has(d.id)}
              onToggle={(e) => {
                const isOpen = e.currentTarget.open;
                setOpen((prev) => {
                  if (prev.has(d.id) === isOpen) return prev;
                  const next = new Set(prev);
                  if (isOpen) next.add(d.id);
                  else next.delete(d.id);
                  return next;
                });
              }}
            >
              <summary>
                <span class="domain-title">{d.title}</span>
                <span class="count">
                  {d.tally.covered}/{d.tally.applicable}
                  <span class="visually-hidden"> criteria evidenced</span>
                </span>
                {d.tally.stale > 0 && (
                  <span class="stale-flag">
                    <span aria-hidden="true">↻</span> {d.tally.stale}
                    <span class="visually-hidden"> stale</span>
                  </span>
                )}
                <RagBadge rag={d.rag} />
              </summary>
              {/* Criteria are rendered only once a domain is opened: a 200-criterion tree stays fast. */}
              {open.has(d.id) &&
                (d.standards.length === 0 ? (
                  <p class="muted">No criteria imported for this domain.</p>
                ) : (
                  d.standards.map((s) => <StandardList key={s.id} standard={s} />)
                ))}
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

function StandardList({ standard }: { standard: StandardCoverage<CriterionStatus> }) {
  return (
    <div class="standard">
      <h3>
        {standard.title} <RagBadge rag={standard.rag} />
      </h3>
      <ul aria-label={`Criteria in ${standard.title}`}>
        {[...standard.criteria].sort(gapsFirst).map((c) => (
          <li key={c.id} class="criterion">
            <button
              type="button"
              class="code code-link"
              title="Open this criterion in the dashboard"
              onClick={() => openDashboard(`#/criteria/${encodeURIComponent(c.id)}`)}
            >
              {c.code}
            </button>
            <span class="title">{c.title}</span>
            <span class="count" title="pieces of evidence">
              {c.evidence}
              <span class="visually-hidden"> pieces of evidence</span>
              {c.stale > 0 && <span class="stale"> ({c.stale} stale)</span>}
            </span>
            <RagBadge rag={c.rag} />
          </li>
        ))}
      </ul>
    </div>
  );
}
