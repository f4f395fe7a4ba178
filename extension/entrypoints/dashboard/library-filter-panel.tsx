// The library's filter form: framework, domain, criterion, author, site, date range and status.
// Presentational: the filter lives in the library view, and each change goes back through `onSet`.
import type { ComponentChildren } from 'preact';
import type { CriterionOption } from '../../components/criteria-picker';
import { STATUS_LABEL } from '../../components/status-badge';
import type { DashboardData } from './data';
import { CLIP_STATUSES, type LibraryFilter } from './library-filter';

export interface FilterPanelProps {
  data: DashboardData;
  filter: LibraryFilter;
  options: CriterionOption[];
  authors: string[];
  sites: string[];
  activeFilters: number;
  onSet: <K extends keyof LibraryFilter>(key: K, value: LibraryFilter[K]) => void;
  onClear: () => void;
}

/** The filter form beside the results; every control writes one field of the filter. */
export function FilterPanel({
  data,
  filter,
  options,
  authors,
  sites,
  activeFilters,
  onSet: set,
  onClear,
}: FilterPanelProps) {
  const fw = data.frameworks.find((f) => f.id === filter.frameworkId);
  return (
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
      <button type="button" class="button secondary" disabled={activeFilters === 0} onClick={onClear}>
        Clear filters
      </button>
    </form>
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
  children: ComponentChildren;
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
