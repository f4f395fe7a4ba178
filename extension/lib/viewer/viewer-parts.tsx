// The parts the document viewers (PDF, Word) share around their document: the find box with its
// Ctrl+F shortcut, the status line, auto-open and the error box that can ask for a site's
// permission. Presentational: each viewer keeps its own state and actions.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ManagedNote } from '../../components/managed-note';
import { logError } from '../log-error';
import { type AutoOpenKind, readAutoOpenLock } from '../managed/auto-open-lock';
import type { PageStatus } from '../messaging';

export interface FindState {
  query: string;
  index: number;
  count: number;
}

export type ViewerPhase =
  | { kind: 'loading'; message: string }
  | { kind: 'error'; message: string; askOrigin?: string }
  | { kind: 'ready' };

/** Find in document: the query box (Ctrl+F focuses it), previous and next, and the count. */
export function FindBox(p: {
  find: FindState;
  disabled: boolean;
  onFind(query: string, step: 0 | 1 | -1): void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        ref.current?.focus();
        ref.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <search class="group find" aria-label="Find in document">
      <label class="visually-hidden" for="find">
        Find in document
      </label>
      <input
        id="find"
        ref={ref}
        type="search"
        placeholder="Find in document"
        disabled={p.disabled}
        value={p.find.query}
        onInput={(e) => p.onFind(e.currentTarget.value, 0)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            p.onFind(p.find.query, e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') p.onFind('', 0);
        }}
      />
      <button
        type="button"
        aria-label="Previous match"
        disabled={!p.find.count}
        onClick={() => p.onFind(p.find.query, -1)}
      >
        ↑
      </button>
      <button
        type="button"
        aria-label="Next match"
        disabled={!p.find.count}
        onClick={() => p.onFind(p.find.query, 1)}
      >
        ↓
      </button>
      <span class="find-count" role="status">
        {p.find.query.trim() ? (p.find.count ? `${p.find.index + 1} of ${p.find.count}` : 'No matches') : ''}
      </span>
    </search>
  );
}

/** The status line's wording for a document's anchoring counts. */
export function statusText(s: PageStatus): string {
  const total = s.exact + s.relocated + s.lost;
  if (total === 0) return 'No evidence clipped in this document yet. Select text to clip it.';
  return `Evidence in this document: ${s.exact} found, ${s.relocated} moved or changed, ${s.lost} lost.`;
}

/** Why the document could not be opened, with a button that asks for its site when that is why. */
export function ErrorBox(p: {
  message: string;
  askOrigin?: string | undefined;
  onAskOrigin(origin: string): void;
}) {
  const origin = p.askOrigin;
  return (
    <div class="error" role="alert">
      <p>{p.message}</p>
      {origin && (
        <button type="button" class="primary" onClick={() => p.onAskOrigin(origin)}>
          Allow Evidence Clipper to read {origin.replace('/*', '')}
        </button>
      )}
    </div>
  );
}

/** Under the toolbar: the status line, the viewer's own lines, auto-open, and any error. */
export function ViewerSubbar(p: {
  phase: ViewerPhase;
  status: PageStatus | null;
  autoOpen: boolean;
  autoOpenLabel: string;
  /** Which auto-open setting this is: locked when the organisation's policy sets it. */
  autoOpenKind: AutoOpenKind;
  onAutoOpen(on: boolean): void;
  onAskOrigin(origin: string): void;
  children?: ComponentChildren;
}) {
  const [locked, setLocked] = useState(false);
  useEffect(() => {
    void readAutoOpenLock(p.autoOpenKind).then(setLocked, logError);
  }, [p.autoOpenKind]);
  return (
    <>
      <div class="subbar">
        <p class="status-line" role="status">
          {p.phase.kind === 'loading' && p.phase.message}
          {p.phase.kind === 'ready' && p.status && statusText(p.status)}
        </p>
        {p.children}
        <label class="auto-open">
          <input
            type="checkbox"
            checked={p.autoOpen}
            disabled={locked}
            aria-describedby={locked ? 'managed-auto-open-note' : undefined}
            onChange={(e) => p.onAutoOpen(e.currentTarget.checked)}
          />
          {p.autoOpenLabel}
        </label>
        {locked && <ManagedNote id="managed-auto-open-note" />}
      </div>
      {p.phase.kind === 'error' && (
        <ErrorBox message={p.phase.message} askOrigin={p.phase.askOrigin} onAskOrigin={p.onAskOrigin} />
      )}
    </>
  );
}
