// Evidence library: search, filters, edit tags and notes, bulk re-tag and delete (undoable),
// open the source page scrolled to the passage. This view holds the state; the panels render it.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Clip } from '../../../shared/schemas';
import type { CriterionOption } from '../../components/criteria-picker';
import { QUOTE_DIFF_CSS } from '../../components/quote-diff';
import type { ClipperDb } from '../../lib/db';
import { deleteClips, retagClips, type Undo, updateClip } from '../../lib/mutations';
import { ClipEditor } from './clip-editor';
import { memberNames } from './clip-history';
import type { DashboardData } from './data';
import { BulkBar } from './library-bulk-bar';
import { EMPTY_FILTER, filterClips, type LibraryFilter, siteOf } from './library-filter';
import { FilterPanel } from './library-filter-panel';
import { ClipTable } from './library-table';
import { useClipSearch } from './use-clip-search';

/** How many more clips "Show more" adds. */
const PAGE = 50;

/** Criteria as picker options, the active framework's first, grouped by domain (and framework when several). */
export function criterionOptions(data: DashboardData): CriterionOption[] {
  const many =
    data.frameworks.filter((f) => f.domains.some((d) => d.standards.some((s) => s.criteria.length))).length >
    1;
  const activeFirst = (id: string) => (id === data.activeId ? 0 : 1);
  return [...data.criteria.values()]
    .sort((a, b) => activeFirst(a.frameworkId) - activeFirst(b.frameworkId))
    .map((c) => ({
      id: c.id,
      code: c.code,
      title: c.title,
      group: many ? `${c.frameworkName} · ${c.domainTitle}` : c.domainTitle,
    }));
}

/** The library tab: owns the filter, the selection, the paging and the clip being edited. */
export function LibraryView({
  db,
  data,
  initialFilter,
  onChange,
}: {
  db: ClipperDb;
  data: DashboardData;
  initialFilter?: Partial<LibraryFilter>;
  onChange: (undo: Undo) => void;
}) {
  const [filter, setFilter] = useState<LibraryFilter>({ ...EMPTY_FILTER, ...initialFilter });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [limit, setLimit] = useState(PAGE);
  const [editing, setEditing] = useState<Clip | undefined>(undefined);
  const [bulkCriterion, setBulkCriterion] = useState('');
  const [error, setError] = useState('');

  const ranked = useClipSearch(data.clips, data.criteria, filter.query);
  const byId = useMemo(() => new Map(data.clips.map((c) => [c.id, c])), [data.clips]);
  const names = useMemo(() => memberNames(data.clips), [data.clips]);
  const results = useMemo(
    () =>
      filterClips(data.clips, filter, {
        today: data.today,
        criteria: data.criteria,
        ranked,
        byId,
        conflicted: data.conflicted,
      }),
    [data.clips, filter, ranked, data.today, data.criteria, byId, data.conflicted],
  );
  const options = useMemo(() => criterionOptions(data), [data.criteria, data.activeId]);

  const live = useMemo(() => data.clips.filter((c) => !c.deleted), [data.clips]);
  const authors = useMemo(() => [...new Set(live.map((c) => c.createdBy.name))].sort(), [live]);
  const sites = useMemo(() => [...new Set(live.map((c) => siteOf(c.url)))].filter(Boolean).sort(), [live]);

  // Selection only ever holds visible, live clips.
  useEffect(() => {
    setSelected((s) => {
      if (s.size === 0) return s;
      const visible = new Set(results.map((c) => c.id));
      const kept = [...s].filter((id) => visible.has(id));
      return kept.length === s.size ? s : new Set(kept);
    });
  }, [results]);

  const set = <K extends keyof LibraryFilter>(key: K, value: LibraryFilter[K]) => {
    setLimit(PAGE);
    setFilter((f) => {
      const next = { ...f, [key]: value };
      if (key === 'frameworkId') {
        next.domainId = '';
        next.criterionId = '';
      }
      return next;
    });
  };
  const run = async (work: () => Promise<Undo>) => {
    setError('');
    try {
      onChange(await work());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const shown = results.slice(0, limit);
  const activeFilters = (Object.keys(filter) as (keyof LibraryFilter)[]).filter(
    (k) => filter[k] !== '',
  ).length;

  return (
    <section aria-labelledby="library-heading" class="library">
      <style>{QUOTE_DIFF_CSS}</style>
      <div class="view-head">
        <h2 id="library-heading">Evidence library</h2>
        <p class="muted">
          {live.length} clips in total · search covers quotes, notes, page titles, sites and criterion codes
        </p>
      </div>
      <div class="library-layout">
        <FilterPanel
          data={data}
          filter={filter}
          options={options}
          authors={authors}
          sites={sites}
          activeFilters={activeFilters}
          onSet={set}
          onClear={() => {
            setFilter(EMPTY_FILTER);
            setLimit(PAGE);
          }}
        />

        <div class="results">
          <div class="search-row">
            <label for="library-search" class="visually-hidden">
              Search evidence
            </label>
            <input
              id="library-search"
              type="search"
              class="input search"
              placeholder="Search quotes, notes, titles, codes…"
              value={filter.query}
              onInput={(e) => set('query', e.currentTarget.value)}
            />
          </div>
          <p class="result-count" aria-live="polite">
            {results.length === 1 ? '1 clip' : `${results.length} clips`}
            {activeFilters > 0 ? ' match' : ''}
          </p>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {selected.size > 0 && (
            <BulkBar
              count={selected.size}
              options={options}
              criterion={bulkCriterion}
              onCriterion={setBulkCriterion}
              onAddTag={() => void run(() => retagClips(db, [...selected], { add: [bulkCriterion] }))}
              onRemoveTag={() => void run(() => retagClips(db, [...selected], { remove: [bulkCriterion] }))}
              onDelete={() =>
                void run(async () => {
                  const undo = await deleteClips(db, [...selected]);
                  setSelected(new Set());
                  return undo;
                })
              }
              onClearSelection={() => setSelected(new Set())}
            />
          )}
          {results.length === 0 ? (
            <div class="empty card">
              {live.length === 0 ? (
                <>
                  <h3>No evidence clipped yet</h3>
                  <p>
                    Select a passage on an intranet page and choose <strong>Clip as evidence</strong>, or
                    import annotations under <a href="#/export">Export &amp; import</a>.
                  </p>
                </>
              ) : (
                <p>No clip matches these filters.</p>
              )}
            </div>
          ) : (
            <ClipTable
              data={data}
              shown={shown}
              selected={selected}
              onSelect={setSelected}
              onEdit={setEditing}
            />
          )}
          {results.length > limit && (
            <button type="button" class="button secondary more" onClick={() => setLimit(limit + PAGE)}>
              Show {Math.min(PAGE, results.length - limit)} more of {results.length - limit}
            </button>
          )}
        </div>
      </div>
      {editing && (
        <ClipEditor
          clip={editing}
          options={options}
          names={names}
          onClose={() => setEditing(undefined)}
          onSave={(edit) =>
            void run(async () => {
              const undo = await updateClip(db, editing.id, edit);
              setEditing(undefined);
              return undo;
            })
          }
          onDelete={() =>
            void run(async () => {
              const undo = await deleteClips(db, [editing.id]);
              setEditing(undefined);
              return undo;
            })
          }
        />
      )}
    </section>
  );
}
