// The library's modal editor for one clip's criteria and note, with delete. A native <dialog>
// gives the focus trap and Escape; the library view runs the writes.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Clip } from '../../../shared/schemas';
import { CriteriaPicker, type CriterionOption } from '../../components/criteria-picker';
import { ClipHistory } from './clip-history';
import { editedByText } from './edited-by';
import { siteOf } from './library-filter';

/** Modal editor for one clip's criteria and note (native <dialog>: focus trap and Escape for free). */
export function ClipEditor({
  clip,
  options,
  onClose,
  onSave,
  onDelete,
  names = new Map(),
}: {
  clip: Clip;
  /** Member ids to names, for the history. */
  names?: ReadonlyMap<string, string>;
  options: CriterionOption[];
  onClose: () => void;
  onSave: (edit: { criteria: string[]; note: string }) => void;
  onDelete: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [criteria, setCriteria] = useState<string[]>(clip.criteria);
  const [note, setNote] = useState(clip.note);
  const [showHistory, setShowHistory] = useState(false);
  const editedBy = editedByText(clip);
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
          {editedBy && <> · {editedBy}</>}
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
        {showHistory && <ClipHistory clipId={clip.id} names={names} />}
        <div class="dialog-actions">
          <button type="button" class="button danger" onClick={onDelete}>
            Delete clip
          </button>
          <button
            type="button"
            class="button secondary"
            aria-expanded={showHistory}
            onClick={() => setShowHistory(!showHistory)}
          >
            History
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
