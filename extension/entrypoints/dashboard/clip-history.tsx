// A clip's history as the team server logged it: when, who, what kind of write, and each changed
// field from → to (long values shortened). Fetched through the background on demand; everything
// shown is rendered as text.
import { useEffect, useState } from 'preact/hooks';
import type { ClipHistoryEntry } from '../../../shared/protocol';
import type { Clip } from '../../../shared/schemas';
import { sendToBackground } from '../../lib/send-to-background';

/** How many characters of a changed value are shown. */
export const VALUE_MAX = 80;

const FIELD_LABELS: Record<string, string> = {
  note: 'Note',
  criteria: 'Criteria',
  quote: 'Quote',
  url: 'Address',
  docKey: 'Page key',
  title: 'Title',
  selectors: 'Position on the page',
  snapshot: 'Snapshot',
  docMeta: 'Document details',
  deleted: 'Deleted',
};

const TYPE_LABELS: Record<ClipHistoryEntry['type'], string> = {
  create: 'created',
  update: 'edited',
  delete: 'deleted',
};

/** A changed value as one short line of text: strings as they are, lists joined, the rest as JSON. */
export function shortValue(value: unknown, max = VALUE_MAX): string {
  let text: string;
  if (value === null || value === undefined || value === '') text = '(none)';
  else if (typeof value === 'string') text = value;
  else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    text = value.join(', ') || '(none)';
  else text = JSON.stringify(value) ?? String(value);
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Member ids to names, from the authors and editors of the clips this install holds. */
export function memberNames(clips: readonly Pick<Clip, 'createdBy' | 'updatedBy'>[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of clips) {
    names.set(c.createdBy.id, c.createdBy.name);
    if (c.updatedBy) names.set(c.updatedBy.id, c.updatedBy.name);
  }
  return names;
}

export interface HistoryLine {
  seq: number;
  at: string;
  who: string;
  action: string;
  changes: { field: string; from: string; to: string }[];
}

/** The history's entries as lines of text, newest first. */
export function historyLines(
  entries: readonly ClipHistoryEntry[],
  names: ReadonlyMap<string, string>,
): HistoryLine[] {
  return [...entries]
    .sort((a, b) => b.seq - a.seq)
    .map((e) => ({
      seq: e.seq,
      at: `${e.at.replace('T', ' ').slice(0, 16)} UTC`,
      who:
        e.by === null
          ? 'someone (before history was kept)'
          : (names.get(e.by) ?? `member ${e.by.slice(0, 8)}`),
      action: TYPE_LABELS[e.type],
      changes:
        e.type === 'update'
          ? Object.entries(e.changes).map(([field, { from, to }]) => ({
              field: FIELD_LABELS[field] ?? field,
              from: shortValue(from),
              to: shortValue(to),
            }))
          : [],
    }));
}

type State =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'loaded'; entries: ClipHistoryEntry[] };

/** The history of one clip, fetched when shown. */
export function ClipHistory({ clipId, names }: { clipId: string; names: ReadonlyMap<string, string> }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    void sendToBackground('getClipHistory', { id: clipId }).then((reply) => {
      if (!live) return;
      if (reply.ok) setState({ kind: 'loaded', entries: reply.value.entries });
      else setState({ kind: 'error', message: historyError(reply.error.code, reply.error.message) });
    });
    return () => {
      live = false;
    };
  }, [clipId]);
  const lines = state.kind === 'loaded' ? historyLines(state.entries, names) : [];
  return (
    <section class="clip-history" aria-labelledby={`history-${clipId}`}>
      <h3 id={`history-${clipId}`}>History</h3>
      {state.kind === 'loading' && <p aria-live="polite">Loading history…</p>}
      {state.kind === 'error' && (
        <p class="muted" role="status">
          {state.message}
        </p>
      )}
      {state.kind === 'loaded' && lines.length === 0 && <p class="muted">No changes recorded yet.</p>}
      {state.kind === 'loaded' && lines.length > 0 && (
        <ol class="history-list">
          {lines.map((l) => (
            <li key={l.seq}>
              <span class="nowrap">{l.at}</span> · {l.who} {l.action} the clip
              {l.changes.length > 0 && (
                <ul>
                  {l.changes.map((c) => (
                    <li key={c.field}>
                      {c.field}: <q>{c.from}</q> → <q>{c.to}</q>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function historyError(code: string, message: string): string {
  if (code === 'unauthorized' || (code === 'unavailable' && message === 'Team sync is not running.'))
    return 'History is kept by the team server: join a team to see who changed this clip.';
  if (code === 'unavailable') return 'The team server could not be reached. Try again when online.';
  if (code === 'not_found') return 'The team server has no history for this clip yet (it may not be synced).';
  return `History could not be loaded: ${message}`;
}
