// Dashboard shell: masthead, section navigation (hash routes, so Back works and sections can be
// linked), the live data, and the undo bar shared by every section.
import { useEffect, useState } from 'preact/hooks';
import { ManagedNote } from '../../components/managed-note';
import { RagBadge } from '../../components/rag-badge';
import { SyncStatus } from '../../components/sync-status';
import { UndoBar } from '../../components/undo-bar';
import type { ClipperDb } from '../../lib/db';
import { setActiveFramework } from '../../lib/frameworks';
import { logError } from '../../lib/log-error';
import { type Undo, undoChange } from '../../lib/mutations';
import { readActiveCoverage } from '../../lib/store/read-coverage';
import { useLiveQuery } from '../../lib/use-live-query';
import { ConflictsView } from './conflicts-view';
import { CriteriaView } from './criteria-view';
import { loadDashboard } from './data';
import { DueSoonView } from './due-soon-view';
import { FrameworksView } from './frameworks-view';
import { GapsView } from './gaps-view';
import { LibraryView } from './library';
import { SubmissionsView } from './submissions-view';
import { TeamView } from './team-view';
import { TransferView } from './transfer-view';

const SECTIONS = [
  { id: 'library', label: 'Library' },
  { id: 'criteria', label: 'Criteria' },
  { id: 'gaps', label: 'Gaps & stale' },
  { id: 'due-soon', label: 'Due soon' },
  { id: 'submissions', label: 'Submissions' },
  { id: 'frameworks', label: 'Frameworks' },
  { id: 'export', label: 'Export & import' },
  { id: 'team', label: 'Team' },
  { id: 'conflicts', label: 'Conflicts' },
] as const;
type SectionId = (typeof SECTIONS)[number]['id'];

interface Route {
  section: SectionId;
  arg: string | undefined;
}

function parseHash(hash: string): Route {
  const [head, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const section = SECTIONS.find((s) => s.id === head)?.id ?? 'library';
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  return { section, arg };
}

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function DashboardApp({ db }: { db: ClipperDb }) {
  // The headline figure has its own query over the small aggregates table: it paints before the
  // clips are read (their read would hold the main thread) and follows a change without waiting
  // for them to be read again. A failed read shows no headline rather than no dashboard.
  const headline = useLiveQuery(
    () =>
      readActiveCoverage(db).catch((error: unknown) => {
        logError(error);
        return null;
      }),
    [],
  );
  const [headlinePainted, setHeadlinePainted] = useState(false);
  useEffect(() => {
    if (headline === undefined) return;
    // Timing mark for bench/ui.bench.ts (User Timing marks cost nothing otherwise).
    if (performance.getEntriesByName('qsi:dashboard-coverage').length === 0)
      performance.mark('qsi:dashboard-coverage');
    setHeadlinePainted(true);
  }, [headline === undefined]);
  const data = useLiveQuery(() => (headlinePainted ? loadDashboard(db) : undefined), [headlinePainted]);
  const route = useHashRoute();
  const [undo, setUndo] = useState<Undo | undefined>(undefined);
  const section = SECTIONS.find((s) => s.id === route.section);

  useEffect(() => {
    document.title = `${section?.label ?? 'Dashboard'} — QSI Evidence Clipper`;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [route.section]);

  return (
    <div class="page">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="masthead">
        <div class="masthead-inner">
          <div class="brand">
            <span class="logo" aria-hidden="true">
              QSI
            </span>
            <div>
              <p class="product">QSI Evidence Clipper</p>
              <p class="tagline">Evidence for the Quality Standard for Imaging</p>
            </div>
          </div>
          {((data && data.frameworks.length > 0) || headline) && (
            <div class="masthead-tools">
              {data && data.frameworks.length > 0 && (
                <label class="field inline">
                  <span>Active framework</span>
                  <select
                    class="input"
                    value={data.activeId}
                    disabled={data.managedFrameworkId !== undefined}
                    aria-describedby={data.managedFrameworkId ? 'managed-framework-note' : undefined}
                    onChange={(e) => void setActiveFramework(db, e.currentTarget.value).catch(logError)}
                  >
                    {data.frameworks.map((f) => (
                      <option key={f.id} value={f.id}>
                        {f.name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {data?.managedFrameworkId && (
                <ManagedNote id="managed-framework-note" detail="the active framework" />
              )}
              {headline && (
                <p class="masthead-summary">
                  <RagBadge rag={headline.coverage.rag} /> {headline.coverage.tally.covered}/
                  {headline.coverage.tally.applicable} criteria evidenced
                </p>
              )}
            </div>
          )}
          <SyncStatus db={db} compact />
        </div>
        <nav class="tabs" aria-label="Dashboard sections">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <a href={`#/${s.id}`} aria-current={s.id === route.section ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {data === undefined && <p aria-live="polite">Loading…</p>}
        {data && route.section === 'library' && (
          <LibraryView
            key={route.arg ?? ''}
            db={db}
            data={data}
            initialFilter={route.arg ? { criterionId: route.arg } : {}}
            onChange={setUndo}
          />
        )}
        {data && route.section === 'criteria' && (
          <CriteriaView
            db={db}
            data={data}
            selectedId={route.arg}
            onSelect={(id) => {
              location.hash = `#/criteria/${encodeURIComponent(id)}`;
            }}
          />
        )}
        {data && route.section === 'gaps' && (
          <GapsView
            data={data}
            onOpenCriterion={(id) => {
              location.hash = `#/criteria/${encodeURIComponent(id)}`;
            }}
          />
        )}
        {data && route.section === 'due-soon' && (
          <DueSoonView
            data={data}
            onOpenCriterion={(id) => {
              location.hash = `#/criteria/${encodeURIComponent(id)}`;
            }}
          />
        )}
        {data && route.section === 'submissions' && (
          <SubmissionsView db={db} data={data} selectedId={route.arg} />
        )}
        {data && route.section === 'frameworks' && <FrameworksView db={db} data={data} />}
        {data && route.section === 'export' && <TransferView db={db} data={data} />}
        {route.section === 'team' && <TeamView db={db} />}
        {route.section === 'conflicts' && <ConflictsView db={db} />}
      </main>
      <UndoBar
        message={undo?.label}
        onUndo={
          undo
            ? () => {
                const u = undo;
                setUndo(undefined);
                void undoChange(db, u).catch(logError);
              }
            : undefined
        }
        onDismiss={() => setUndo(undefined)}
      />
    </div>
  );
}
