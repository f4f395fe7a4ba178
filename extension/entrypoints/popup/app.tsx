import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import {
  type Coverage,
  type CriterionCoverage,
  computeCoverage,
  type StandardCoverage,
} from '../../../shared/coverage';
import { CoverageBar } from '../../components/coverage-bar';
import { RagBadge } from '../../components/rag-badge';
import type { ClipperDb } from '../../lib/db';
import { getActiveFramework } from '../../lib/frameworks';
import { logError } from '../../lib/log-error';
import { todayIso } from '../../lib/today';
import { useLiveQuery } from '../../lib/use-live-query';
import { type PopupData, readCoverageCache, writeCoverageCache } from './coverage-cache';

const rank = { red: 0, amber: 1, green: 2, 'n/a': 3 } as const;
/** Gaps first: red, then amber, then green, then not applicable; stable within a status. */
const gapsFirst = (a: CriterionCoverage, b: CriterionCoverage) => rank[a.rag] - rank[b.rag];

function openDashboard(hash: string): void {
  void browser.tabs.create({ url: `${browser.runtime.getURL('/dashboard.html')}${hash}` });
}

async function loadCoverage(db: ClipperDb): Promise<PopupData | null> {
  const framework = await getActiveFramework(db);
  if (!framework) return null;
  const [clips, assessments] = await Promise.all([db.clips.toArray(), db.assessments.toArray()]);
  return {
    name: framework.name,
    notice: framework.notice,
    coverage: computeCoverage({ framework, clips, assessments, today: todayIso() }),
  };
}

export interface PopupProps {
  db: ClipperDb;
  /**
   * SLOT — "This page" section (clips found exact / relocated / lost, grant automatic highlighting).
   * Owned by the content/anchoring engineers; rendered above the coverage tree when given.
   */
  thisPage?: ComponentChildren;
  /** SLOT — one-line sync status (synced / pending N / offline / …), owned by the sync engineer. */
  syncStatus?: ComponentChildren;
}

export function PopupApp({ db, thisPage, syncStatus }: PopupProps) {
  const [cached, setCached] = useState<PopupData | undefined>(undefined);
  // The fresh computation reads every clip; it starts once the cached counts are painted, so
  // that deserialising thousands of clips does not delay the first paint.
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    void readCoverageCache(db)
      .then((c) => setCached((prev) => prev ?? c))
      .catch(logError)
      .finally(() => requestAnimationFrame(() => setTimeout(() => setPainted(true), 0)));
  }, []);
  const fresh = useLiveQuery(() => (painted ? loadCoverage(db) : undefined), [painted]);
  useEffect(() => {
    if (fresh) void writeCoverageCache(db, fresh).catch(logError);
  }, [fresh]);
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
      {thisPage && (
        <section class="this-page" aria-label="This page" data-slot="this-page">
          {thisPage}
        </section>
      )}
      {data === undefined ? (
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
        {syncStatus !== undefined && (
          <p class="sync-status" data-slot="sync-status">
            {syncStatus}
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
  coverage: Coverage;
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

function StandardList({ standard }: { standard: StandardCoverage }) {
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
