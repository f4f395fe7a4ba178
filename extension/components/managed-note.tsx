// "Managed by your organisation": the note beside a control a policy locks. The control points at
// it with aria-describedby (its `id`), so a screen reader says why the control cannot be changed.
import { MANAGED_TEXT } from '../lib/managed/managed-text';

export function ManagedNote({ id, detail }: { id: string; detail?: string }) {
  return (
    <span class="managed-note" id={id}>
      {MANAGED_TEXT}
      {detail ? `: ${detail}` : '.'}
    </span>
  );
}
