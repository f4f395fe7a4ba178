// Evidence library: search, filters, edit tags and notes, bulk re-tag and delete (undoable),
// open the source page scrolled to the passage.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { pdfClipLink } from '../../../shared/pdf/viewer-link';
import { isHttpUrl } from '../../../shared/safe-url';
import type { Clip } from '../../../shared/schemas';
import { textFragmentUrl } from '../../../shared/text-fragment';
import { CriteriaPicker, type CriterionOption } from '../../components/criteria-picker';
import { STATUS_LABEL, StatusBadge } from '../../components/status-badge';
import type { ClipperDb } from '../../lib/db';
import { deleteClips, retagClips, type Undo, updateClip } from '../../lib/mutations';
import { ClipSearch } from '../../lib/search';
import type { DashboardData } from './data';
import {
  CLIP_STATUSES,
  clipStatus,
  EMPTY_FILTER,
  filterClips,
  type LibraryFilter,
  siteOf,
} from './library-filter';

const PAGE = 50;

export function quoteContext(clip: Clip): { prefix: string; suffix: string } {
  const q = clip.selectors.find((s) => s.type === 'TextQuoteSelector');
  return q?.type === 'TextQuoteSelector'
    ? { prefix: q.prefix ?? '', suffix: q.suffix ?? '' }
    : { prefix: '', suffix: '' };
}

/**
 * Link to the source page with a text fragment (a PDF clip: the extension's PDF viewer at the
 * passage), or `undefined` for a non-http(s) URL.
 */
export function sourceLink(clip: Clip): string | undefined {
  if (!isHttpUrl(clip.url)) return undefined;
  const pdf = pdfClipLink(clip, new URL('pdf-viewer.html', location.href).href);
  if (pdf) return pdf;
  const { prefix, suffix } = quoteContext(clip);
  return textFragmentUrl(clip.url, clip.quote, prefix, suffix);
}

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

  const codeOf = (id: string) => data.criteria.get(id)?.code;
  const search = useMemo(() => new ClipSearch((id) => data.criteria.get(id)?.code), [data.criteria]);
  useMemo(() => search.sync(data.clips), [search, data.clips]);
  const ranked = useMemo(() => search.search(filter.query), [search, data.clips, filter.query]);
  const byId = useMemo(() => new Map(data.clips.map((c) => [c.id, c])), [data.clips]);
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
  const fw = data.frameworks.find((f) => f.id === filter.frameworkId);

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
  const allShownSelected = shown.length > 0 && shown.every((c) => selected.has(c.id));
  const activeFilters = (Object.keys(filter) as (keyof LibraryFilter)[]).filter(
    (k) => filter[k] !== '',
  ).length;

  return (
    <section aria-labelledby="library-heading" class="library">
      <div class="view-head">
        <h2 id="library-heading">Evidence library</h2>
        <p class="muted">
          {live.length} clips in total · search covers quotes, notes, page titles, sites and criterion codes
        </p>
      </div>
      <div class="library-layout">
        <form class="filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
          <h3>Filter</h3>
          <Select label="Framework" value={filter.frameworkId} onChange={(v) => set('frameworkId', v)}>
            <option value="">All frameworks</option>
            {data.frameworks.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </Select>
          <Select label="Domain" value={filter.domainId} onChange={(v) => set('domainId', v)} disabled={!fw}>
            <option value="">{fw ? 'All domains' : 'Choose a framework first'}</option>
            {fw?.domains.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </Select>
          <Select label="Criterion" value={filter.criterionId} onChange={(v) => set('criterionId', v)}>
            <option value="">All criteria</option>
            {options
              .filter((o) => {
                const info = data.criteria.get(o.id);
                return (
                  (!filter.frameworkId || info?.frameworkId === filter.frameworkId) &&
                  (!filter.domainId || info?.domainId === filter.domainId)
                );
              })
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.code} — {o.title.length > 60 ? `${o.title.slice(0, 59)}…` : o.title}
                </option>
              ))}
          </Select>
          <Select label="Author" value={filter.author} onChange={(v) => set('author', v)}>
            <option value="">Anyone</option>
            {authors.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
          <Select label="Site" value={filter.site} onChange={(v) => set('site', v)}>
            <option value="">All sites</option>
            {sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
          <div class="field-pair">
            <label class="field">
              <span>Clipped from</span>
              <input
                type="date"
                class="input"
                value={filter.from}
                onInput={(e) => set('from', e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>to</span>
              <input
                type="date"
                class="input"
                value={filter.to}
                onInput={(e) => set('to', e.currentTarget.value)}
              />
            </label>
          </div>
          <Select
            label="Status"
            value={filter.status}
            onChange={(v) => set('status', CLIP_STATUSES.find((s) => s === v) ?? '')}
          >
            <option value="">Any status</option>
            {CLIP_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </Select>
          <button
            type="button"
            class="button secondary"
            disabled={activeFilters === 0}
            onClick={() => {
              setFilter(EMPTY_FILTER);
              setLimit(PAGE);
            }}
          >
            Clear filters
          </button>
        </form>

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
            <section class="bulk-bar" aria-label="Bulk actions">
              <strong>{selected.size} selected</strong>
              <label for="bulk-criterion" class="visually-hidden">
                Criterion for bulk tagging
              </label>
              <select
                id="bulk-criterion"
                class="input"
                value={bulkCriterion}
                onChange={(e) => setBulkCriterion(e.currentTarget.value)}
              >
                <option value="">Choose a criterion…</option>
                {options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.code} — {o.title.length > 50 ? `${o.title.slice(0, 49)}…` : o.title}
                  </option>
                ))}
              </select>
              <button
                type="button"
                class="button secondary"
                disabled={!bulkCriterion}
                onClick={() => void run(() => retagClips(db, [...selected], { add: [bulkCriterion] }))}
              >
                Add tag
              </button>
              <button
                type="button"
                class="button secondary"
                disabled={!bulkCriterion}
                onClick={() => void run(() => retagClips(db, [...selected], { remove: [bulkCriterion] }))}
              >
                Remove tag
              </button>
              <button
                type="button"
                class="button danger"
                onClick={() =>
                  void run(async () => {
                    const undo = await deleteClips(db, [...selected]);
                    setSelected(new Set());
                    return undo;
                  })
                }
              >
                Delete selected
              </button>
              <button type="button" class="button link" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </section>
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
            <table class="clip-table">
              <caption class="visually-hidden">Clips</caption>
              <thead>
                <tr>
                  <th scope="col" class="col-check">
                    <input
                      type="checkbox"
                      aria-label="Select all shown clips"
                      checked={allShownSelected}
                      onChange={() =>
                        setSelected(
                          allShownSelected ? new Set() : new Set([...selected, ...shown.map((c) => c.id)]),
                        )
                      }
                    />
                  </th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Criteria</th>
                  <th scope="col">Clipped</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => {
                  const link = sourceLink(c);
                  return (
                    <tr key={c.id} class={selected.has(c.id) ? 'selected' : ''}>
                      <td class="col-check">
                        <input
                          type="checkbox"
                          aria-label={`Select clip “${c.quote.slice(0, 40)}”`}
                          checked={selected.has(c.id)}
                          onChange={() => {
                            const next = new Set(selected);
                            if (next.has(c.id)) next.delete(c.id);
                            else next.add(c.id);
                            setSelected(next);
                          }}
                        />
                      </td>
                      <td class="col-evidence">
                        <blockquote class="quote">{c.quote}</blockquote>
                        {c.note && <p class="note">{c.note}</p>}
                        <p class="source muted">
                          {c.title || siteOf(c.url)} · {siteOf(c.url)}
                          {c.docMeta.reviewDue && <> · review due {c.docMeta.reviewDue}</>}
                        </p>
                      </td>
                      <td>
                        <ul class="codes">
                          {c.criteria.length === 0 && <li class="muted">Untagged</li>}
                          {c.criteria.map((id) => (
                            <li key={id} class="code-chip" title={data.criteria.get(id)?.title ?? id}>
                              {codeOf(id) ?? id}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td>
                        <span class="nowrap">{c.createdAt.slice(0, 10)}</span>
                        <span class="clipped-by">by {c.createdBy.name}</span>
                      </td>
                      <td>
                        <StatusBadge status={clipStatus(c, data.today, data.conflicted)} />
                      </td>
                      <td class="actions">
                        <button type="button" class="button secondary small" onClick={() => setEditing(c)}>
                          Edit<span class="visually-hidden"> clip “{c.quote.slice(0, 40)}”</span>
                        </button>
                        {link && (
                          <a class="button link small" href={link} target="_blank" rel="noopener noreferrer">
                            Open source<span class="visually-hidden"> page at the passage (new tab)</span>
                          </a>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
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

function Select({
  label,
  value,
  onChange,
  disabled,
  children,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  disabled?: boolean;
  children: preact.ComponentChildren;
}) {
  return (
    <label class="field">
      <span>{label}</span>
      <select
        class="input"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.currentTarget.value)}
      >
        {children}
      </select>
    </label>
  );
}

/** Modal editor for one clip's criteria and note (native <dialog>: focus trap and Escape for free). */
function ClipEditor({
  clip,
  options,
  onClose,
  onSave,
  onDelete,
}: {
  clip: Clip;
  options: CriterionOption[];
  onClose: () => void;
  onSave: (edit: { criteria: string[]; note: string }) => void;
  onDelete: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [criteria, setCriteria] = useState<string[]>(clip.criteria);
  const [note, setNote] = useState(clip.note);
  useEffect(() => {
    const d = ref.current;
    if (d && typeof d.showModal === 'function' && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="edit-heading" onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onSave({ criteria, note });
        }}
      >
        <h2 id="edit-heading">Edit clip</h2>
        <blockquote class="quote full">{clip.quote}</blockquote>
        <p class="muted small">
          {clip.title} · {siteOf(clip.url)} · clipped {clip.createdAt.slice(0, 10)} by {clip.createdBy.name}
        </p>
        <CriteriaPicker
          label="Criteria this passage evidences"
          options={options}
          selected={criteria}
          onChange={setCriteria}
        />
        <label class="field">
          <span>Note</span>
          <textarea class="input" rows={4} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button type="button" class="button danger" onClick={onDelete}>
            Delete clip
          </button>
          <span class="spacer" />
          <button type="button" class="button secondary" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" class="button">
            Save changes
          </button>
        </div>
      </form>
    </dialog>
  );
}
