// Announces the last undoable change and offers Undo. Stays until dismissed or replaced
// (no time limit: WCAG 2.2.1).
export function UndoBar({
  message,
  onUndo,
  onDismiss,
}: {
  message: string | undefined;
  onUndo: (() => void) | undefined;
  onDismiss: () => void;
}) {
  return (
    <div class={`undo-bar${message ? ' visible' : ''}`} role="status" aria-live="polite">
      {message && (
        <>
          <span>{message}</span>
          {onUndo && (
            <button type="button" class="button secondary" onClick={onUndo}>
              Undo
            </button>
          )}
          <button type="button" class="button link" aria-label="Dismiss message" onClick={onDismiss}>
            ×
          </button>
        </>
      )}
    </div>
  );
}
