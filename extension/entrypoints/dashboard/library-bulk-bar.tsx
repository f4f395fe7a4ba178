// The library's bulk actions over the selected clips: add or remove one criterion, delete, or
// clear the selection. Presentational: the library view runs the writes and keeps the undo.
import type { CriterionOption } from '../../components/criteria-picker';

export interface BulkBarProps {
  count: number;
  options: CriterionOption[];
  criterion: string;
  onCriterion: (id: string) => void;
  onAddTag: () => void;
  onRemoveTag: () => void;
  onDelete: () => void;
  onClearSelection: () => void;
}

/** Shown while at least one clip is selected. */
export function BulkBar(p: BulkBarProps) {
  return (
    <section class="bulk-bar" aria-label="Bulk actions">
      <strong>{p.count} selected</strong>
      <label for="bulk-criterion" class="visually-hidden">
        Criterion for bulk tagging
      </label>
      <select
        id="bulk-criterion"
        class="input"
        value={p.criterion}
        onChange={(e) => p.onCriterion(e.currentTarget.value)}
      >
        <option value="">Choose a criterion…</option>
        {p.options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.code} — {o.title.length > 50 ? `${o.title.slice(0, 49)}…` : o.title}
          </option>
        ))}
      </select>
      <button type="button" class="button secondary" disabled={!p.criterion} onClick={p.onAddTag}>
        Add tag
      </button>
      <button type="button" class="button secondary" disabled={!p.criterion} onClick={p.onRemoveTag}>
        Remove tag
      </button>
      <button type="button" class="button danger" onClick={p.onDelete}>
        Delete selected
      </button>
      <button type="button" class="button link" onClick={p.onClearSelection}>
        Clear selection
      </button>
    </section>
  );
}
