// The library's table of clips: one row per shown clip with its quote, criteria, author, status
// and actions, and the checkboxes that make the selection. The selection lives in the library view.

import type { Clip } from '../../../shared/schemas';
import { QuoteDiff } from '../../components/quote-diff';
import { StatusBadge } from '../../components/status-badge';
import type { DashboardData } from './data';
import { editedByText } from './edited-by';
import { clipStatus, siteOf } from './library-filter';
import { sourceLink } from './source-link';

export interface ClipTableProps {
  data: DashboardData;
  /** The clips on screen (the first pages of the results). */
  shown: Clip[];
  selected: ReadonlySet<string>;
  onSelect: (next: Set<string>) => void;
  onEdit: (clip: Clip) => void;
}

/** The shown clips as a table; "select all" covers only the clips on screen. */
export function ClipTable({ data, shown, selected, onSelect, onEdit }: ClipTableProps) {
  const allShownSelected = shown.length > 0 && shown.every((c) => selected.has(c.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  return (
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
                onSelect(allShownSelected ? new Set() : new Set([...selected, ...shown.map((c) => c.id)]))
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
        {shown.map((c) => (
          <ClipRow
            key={c.id}
            clip={c}
            data={data}
            selected={selected.has(c.id)}
            onToggle={() => toggle(c.id)}
            onEdit={() => onEdit(c)}
          />
        ))}
      </tbody>
    </table>
  );
}

function ClipRow({
  clip: c,
  data,
  selected,
  onToggle,
  onEdit,
}: {
  clip: Clip;
  data: DashboardData;
  selected: boolean;
  onToggle: () => void;
  onEdit: () => void;
}) {
  const link = sourceLink(c);
  const editedBy = editedByText(c);
  return (
    <tr class={selected ? 'selected' : ''}>
      <td class="col-check">
        <input
          type="checkbox"
          aria-label={`Select clip “${c.quote.slice(0, 40)}”`}
          checked={selected}
          onChange={onToggle}
        />
      </td>
      <td class="col-evidence">
        <blockquote class="quote">{c.quote}</blockquote>
        {c.anchor?.status === 'relocated' && c.anchor.found !== undefined && (
          <QuoteDiff
            before={c.quote}
            after={c.anchor.found}
            label="Changed on the page since it was clipped"
          />
        )}
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
              {data.criteria.get(id)?.code ?? id}
            </li>
          ))}
        </ul>
      </td>
      <td>
        <span class="nowrap">{c.createdAt.slice(0, 10)}</span>
        <span class="clipped-by">by {c.createdBy.name}</span>
        {editedBy && <span class="edited-by">{editedBy}</span>}
      </td>
      <td>
        <StatusBadge status={clipStatus(c, data.today, data.conflicted)} />
      </td>
      <td class="actions">
        <button type="button" class="button secondary small" onClick={onEdit}>
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
}
