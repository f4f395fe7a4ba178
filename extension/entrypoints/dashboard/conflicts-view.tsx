// Conflicts to resolve: both versions side by side, field by field,
// with "Keep mine", "Keep theirs" and "Edit". The background applies the choice; nothing here
// writes the record, and nothing is overwritten without the user's choice.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ratingSchema } from '../../../shared/schemas';
import type { ClipperDb } from '../../lib/db';
import { sendToBackground } from '../../lib/send-to-background';
import type { Conflict } from '../../lib/store/rows';
import { useLiveQuery } from '../../lib/use-live-query';
import './team-view.css';

const FIELD_LABEL: Record<string, string> = {
  note: 'Note',
  title: 'Page title',
  quote: 'Quoted passage',
  url: 'Address',
  docKey: 'Document key',
  selectors: 'Position on the page',
  docMeta: 'Document details',
  snapshot: 'Section snapshot',
  rating: 'Self-rating',
  owner: 'Owner',
  action: 'Action',
  dueDate: 'Due date',
  comment: 'Comment',
};
const DOC_META_LABEL: Record<string, string> = {
  documentId: 'Document ID',
  version: 'Version',
  owner: 'Owner',
  approvedOn: 'Approved on',
  reviewDue: 'Next review date',
};
/** Fields the "Edit" form offers as text; others are chosen side by side (mine or theirs). */
const TEXT_FIELDS = new Set(['note', 'title', 'owner', 'action', 'comment']);
const LONG_TEXT = new Set(['note', 'action', 'comment']);

const label = (field: string) => FIELD_LABEL[field] ?? field;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field value as plain text for the side-by-side table. */
export function describeValue(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (field === 'docMeta' && isRecord(value)) {
    const parts = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${DOC_META_LABEL[k] ?? k}: ${String(v)}`);
    return parts.length ? parts.join('; ') : '(none)';
  }
  if (field === 'selectors' && Array.isArray(value)) {
    const quote = value.find((s) => isRecord(s) && s.type === 'TextQuoteSelector');
    return isRecord(quote) && typeof quote.exact === 'string' ? `At “${quote.exact}”` : 'Another position';
  }
  if (field === 'snapshot' && isRecord(value) && typeof value.text === 'string') {
    const t = value.text;
    return t.length > 240 ? `${t.slice(0, 240)}…` : t;
  }
  if (Array.isArray(value)) return value.map(String).join(', ');
  return JSON.stringify(value);
}

async function loadConflicts(db: ClipperDb) {
  const conflicts = await db.conflicts.toArray();
  // Every conflict's id looked up as a clip: the clip subjects show its quote and page title.
  const clips = await db.clips.bulkGet(conflicts.map((c) => c.id));
  const byId = new Map<string, { quote: string; title: string }>();
  for (const c of clips) if (c) byId.set(c.id, { quote: c.quote, title: c.title });
  return conflicts.map((c) => ({ conflict: c, ...SUBJECTS[c.kind](c, byId) }));
}

const shorten = (t: string, n: number) => (t.length > n ? `${t.slice(0, n - 1)}…` : t);

type Subject = (
  c: Conflict,
  clips: Map<string, { quote: string; title: string }>,
) => { subject: string; where: string };

/** How the view names a conflicting record, per kind (the only place this view tells kinds apart). */
const SUBJECTS: { [K in Conflict['kind']]: Subject } = {
  clip: (c, clips) => {
    const clip = clips.get(c.id);
    const quote = clip?.quote ?? (typeof c.mine.quote === 'string' ? c.mine.quote : c.id);
    const title = clip?.title ?? (typeof c.mine.title === 'string' ? c.mine.title : '');
    return { subject: `Clip: “${shorten(quote, 110)}”`, where: title ? `On ${title}` : '' };
  },
  assessment: (c) => ({ subject: `Assessment of criterion ${c.id}`, where: '' }),
};

export function ConflictsView({ db }: { db: ClipperDb }) {
  const rows = useLiveQuery(() => loadConflicts(db), [db]);
  if (rows === undefined) return <p aria-live="polite">Loading…</p>;
  return (
    <section aria-labelledby="conflicts-heading">
      <div class="view-head">
        <h2 id="conflicts-heading">Conflicts</h2>
        <p class="muted">
          You and a teammate changed the same thing before either of you synced. Nothing has been overwritten:
          choose which version to keep, or edit a combined one.
        </p>
      </div>
      {rows.length === 0 ? (
        <p class="empty" role="status">
          <span aria-hidden="true">✓ </span>No conflicts to resolve.
        </p>
      ) : (
        <>
          <p role="status">
            {rows.length} conflict{rows.length === 1 ? '' : 's'} to resolve.
          </p>
          {rows.map(({ conflict, subject, where }) => (
            <ConflictCard key={conflict.key} conflict={conflict} subject={subject} where={where} />
          ))}
        </>
      )}
    </section>
  );
}

function ConflictCard({ conflict, subject, where }: { conflict: Conflict; subject: string; where: string }) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const headingId = `conflict-${conflict.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const deleted = conflict.reason === 'deleted';

  const resolve = async (
    body: { choice: 'mine' } | { choice: 'theirs' } | { choice: 'edit'; value: Record<string, unknown> },
  ) => {
    setBusy(true);
    setError('');
    const r = await sendToBackground('resolveConflict', { key: conflict.key, ...body });
    setBusy(false);
    if (!r.ok) setError(r.error.message);
  };

  return (
    <article class="card conflict" aria-labelledby={headingId}>
      <h3 id={headingId}>{subject}</h3>
      {where && <p class="muted small">{where}</p>}
      {deleted ? (
        <DeletedComparison conflict={conflict} />
      ) : (
        <div class="table-scroll">
          <ComparisonTable caption="Your version and the team's version, field by field">
            {conflict.fields.map((f) => (
              <tr key={f}>
                <th scope="row">{label(f)}</th>
                <td class="conflict-value">{describeValue(f, conflict.mine[f])}</td>
                <td class="conflict-value">{describeValue(f, conflict.theirs[f])}</td>
              </tr>
            ))}
          </ComparisonTable>
        </div>
      )}
      {error && (
        <p class="error-box" role="alert">
          {error}
        </p>
      )}
      {editing ? (
        <EditForm
          conflict={conflict}
          busy={busy}
          onCancel={() => setEditing(false)}
          onSave={(value) => void resolve({ choice: 'edit', value })}
        />
      ) : (
        <div class="card-actions">
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={() => void resolve({ choice: 'mine' })}
          >
            {deleted ? 'Keep mine (restore the clip)' : 'Keep mine'}
          </button>
          <button
            type="button"
            class="button secondary"
            disabled={busy}
            onClick={() => void resolve({ choice: 'theirs' })}
          >
            {deleted ? 'Keep theirs (delete it)' : 'Keep theirs'}
          </button>
          {!deleted && (
            <button type="button" class="button secondary" disabled={busy} onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
        </div>
      )}
    </article>
  );
}

/** Field | mine | theirs, with `children` as the body rows. */
function ComparisonTable({ caption, children }: { caption: string; children: ComponentChildren }) {
  return (
    <table class="clip-table conflict-table">
      <caption class="visually-hidden">{caption}</caption>
      <colgroup>
        <col class="conflict-field-col" />
        <col />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Mine (this device)</th>
          <th scope="col">Theirs (the team)</th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

function DeletedComparison({ conflict }: { conflict: Conflict }) {
  const shown = ['quote', 'note', 'title'].filter((f) => conflict.mine[f] !== undefined);
  return (
    <div class="conflict-deleted">
      <p>
        A teammate <strong>deleted</strong> this clip while this device still had unsent changes to it.
      </p>
      <div class="table-scroll">
        <ComparisonTable caption="Your version and the team's version">
          {shown.map((f, i) => (
            <tr key={f}>
              <th scope="row">{label(f)}</th>
              <td class="conflict-value">{describeValue(f, conflict.mine[f])}</td>
              {i === 0 && <td rowSpan={shown.length}>Deleted</td>}
            </tr>
          ))}
        </ComparisonTable>
      </div>
    </div>
  );
}

type Draft = Record<string, { text: string } | { pick: 'mine' | 'theirs' }>;

function initialDraft(conflict: Conflict): Draft {
  const d: Draft = {};
  for (const f of conflict.fields) {
    const mine = conflict.mine[f];
    if (TEXT_FIELDS.has(f) || f === 'rating' || f === 'dueDate')
      d[f] = { text: typeof mine === 'string' ? mine : '' };
    else d[f] = { pick: 'mine' };
  }
  return d;
}

function EditForm({
  conflict,
  busy,
  onCancel,
  onSave,
}: {
  conflict: Conflict;
  busy: boolean;
  onCancel: () => void;
  onSave: (value: Record<string, unknown>) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => initialDraft(conflict));
  const set = (f: string, v: Draft[string]) => setDraft((d) => ({ ...d, [f]: v }));
  const idBase = `edit-${conflict.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

  const submit = (e: Event) => {
    e.preventDefault();
    const value: Record<string, unknown> = {};
    for (const f of conflict.fields) {
      const d = draft[f];
      if (!d) continue;
      if ('text' in d) value[f] = d.text;
      else value[f] = d.pick === 'mine' ? conflict.mine[f] : conflict.theirs[f];
    }
    onSave(value);
  };

  return (
    <form class="conflict-edit" onSubmit={submit}>
      <p class="muted small">
        Edit the conflicting fields; the saved values replace both versions for the whole team.
      </p>
      {conflict.fields.map((f) => {
        const d = draft[f];
        if (!d) return null;
        const id = `${idBase}-${f}`;
        if ('pick' in d)
          return (
            <fieldset key={f} class="field">
              <legend>{label(f)}</legend>
              <label>
                <input
                  type="radio"
                  name={id}
                  checked={d.pick === 'mine'}
                  onChange={() => set(f, { pick: 'mine' })}
                />{' '}
                Mine: {describeValue(f, conflict.mine[f])}
              </label>
              <label>
                <input
                  type="radio"
                  name={id}
                  checked={d.pick === 'theirs'}
                  onChange={() => set(f, { pick: 'theirs' })}
                />{' '}
                Theirs: {describeValue(f, conflict.theirs[f])}
              </label>
            </fieldset>
          );
        if (f === 'rating')
          return (
            <label key={f} class="field">
              <span>{label(f)}</span>
              <select class="input" value={d.text} onChange={(e) => set(f, { text: e.currentTarget.value })}>
                {ratingSchema.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            </label>
          );
        if (f === 'dueDate')
          return (
            <label key={f} class="field">
              <span>{label(f)}</span>
              <input
                class="input"
                type="date"
                value={d.text}
                onInput={(e) => set(f, { text: e.currentTarget.value })}
              />
            </label>
          );
        if (LONG_TEXT.has(f))
          return (
            <label key={f} class="field">
              <span>{label(f)}</span>
              <textarea
                class="input"
                rows={3}
                value={d.text}
                onInput={(e) => set(f, { text: e.currentTarget.value })}
              />
            </label>
          );
        return (
          <label key={f} class="field">
            <span>{label(f)}</span>
            <input
              class="input"
              type="text"
              value={d.text}
              onInput={(e) => set(f, { text: e.currentTarget.value })}
            />
          </label>
        );
      })}
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Save
        </button>
        <button type="button" class="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
