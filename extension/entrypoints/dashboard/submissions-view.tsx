// Submissions: the team's evidence frozen for an assessment. Admins freeze one (name + framework)
// and may delete one; every member sees them read-only, opens the frozen evidence pack and what
// changed since (changed-since-view.tsx).
import { useState } from 'preact/hooks';
import { type Submission, submissionSchema } from '../../../shared/submissions';
import type { ClipperDb } from '../../lib/db';
import { logError } from '../../lib/log-error';
import { sendToBackground } from '../../lib/send-to-background';
import { readTeam } from '../../lib/sync/state';
import { useLiveQuery } from '../../lib/use-live-query';
import { ChangedSinceView } from './changed-since-view';
import type { DashboardData } from './data';

async function readSubmissions(db: ClipperDb): Promise<Submission[]> {
  const rows = await db.submissions.orderBy('frozenAt').reverse().toArray();
  return rows.flatMap((r) => {
    const parsed = submissionSchema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

export function SubmissionsView({
  db,
  data,
  selectedId,
}: {
  db: ClipperDb;
  data: DashboardData;
  selectedId: string | undefined;
}) {
  const team = useLiveQuery(() => readTeam(db), [db]);
  const submissions = useLiveQuery(() => readSubmissions(db), [db]);
  const selected = submissions?.find((s) => s.id === selectedId);
  const admin = team?.role === 'admin';
  return (
    <section aria-labelledby="submissions-heading">
      <div class="view-head">
        <h2 id="submissions-heading">Submissions</h2>
        <p class="muted">
          A submission freezes the team's evidence for one framework as it stood on the day it was sent to the
          assessing body. It never changes; compare it with the evidence now to see what changed since.
        </p>
      </div>
      {!team && (
        <p class="notice" role="note">
          Submissions are kept by the team server: join a team to see them.
        </p>
      )}
      {admin && <FreezeForm data={data} />}
      <div class="card">
        <h3>The team's submissions</h3>
        {submissions === undefined ? (
          <p aria-live="polite">Loading…</p>
        ) : submissions.length === 0 ? (
          <p class="muted">No submission yet.</p>
        ) : (
          <SubmissionTable submissions={submissions} admin={admin} selectedId={selectedId} />
        )}
      </div>
      {selected && <ChangedSinceView data={data} submission={selected} others={submissions ?? []} />}
      {selectedId && submissions && !selected && (
        <p role="alert">That submission is not (or no longer) held by this install.</p>
      )}
    </section>
  );
}

function FreezeForm({ data }: { data: DashboardData }) {
  const year = data.today.slice(0, 4);
  const [name, setName] = useState(`Annual submission ${year}`);
  const [frameworkId, setFrameworkId] = useState(data.activeId ?? data.frameworks[0]?.id ?? '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const freeze = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const reply = await sendToBackground('freezeSubmission', { frameworkId, name });
    setBusy(false);
    if (reply.ok) {
      setMessage({ ok: true, text: `“${name}” frozen. Every member receives it with their next sync.` });
      location.hash = `#/submissions/${encodeURIComponent(reply.value.id)}`;
    } else setMessage({ ok: false, text: reply.error.message });
  };
  return (
    <form class="card freeze-form" onSubmit={(e) => void freeze(e).catch(logError)}>
      <h3>Freeze a submission</h3>
      <div class="form-row">
        <label class="field">
          <span>Name</span>
          <input
            class="input"
            name="submission-name"
            required
            maxLength={200}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Framework</span>
          <select class="input" value={frameworkId} onChange={(e) => setFrameworkId(e.currentTarget.value)}>
            {data.frameworks.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="button" disabled={busy || !frameworkId || !name.trim()}>
          Freeze submission
        </button>
      </div>
      <p class="muted small">
        Freezing records today's criteria, self-assessments and every clip tagged with them: quote, snapshot,
        content hash, document details and status.
      </p>
      {message && (
        <p class={message.ok ? 'ok' : 'error-box'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}

function SubmissionTable({
  submissions,
  admin,
  selectedId,
}: {
  submissions: readonly Submission[];
  admin: boolean;
  selectedId: string | undefined;
}) {
  const [error, setError] = useState<string | null>(null);
  const remove = async (s: Submission) => {
    if (!confirm(`Delete the submission “${s.name}”? The team server keeps a record of the deletion.`))
      return;
    const reply = await sendToBackground('deleteSubmission', { id: s.id });
    setError(reply.ok ? null : reply.error.message);
    if (reply.ok && selectedId === s.id) location.hash = '#/submissions';
  };
  return (
    <>
      {error && (
        <p class="error-box" role="alert">
          {error}
        </p>
      )}
      <table class="submissions">
        <caption class="visually-hidden">The team's submissions</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Framework</th>
            <th scope="col">Frozen</th>
            <th scope="col">Evidence</th>
            <th scope="col">Set hash (SHA-256)</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {submissions.map((s) => (
            <tr key={s.id} aria-current={s.id === selectedId ? 'true' : undefined}>
              <td>
                {s.name}
                {s.createdBy && <div class="muted small">by {s.createdBy.name}</div>}
              </td>
              <td>{s.set.framework.name}</td>
              <td>{s.day}</td>
              <td>{s.set.clips.length}</td>
              <td class="hash">
                <code title={s.setHash}>{s.setHash.slice(0, 16)}…</code>
              </td>
              <td>
                <div class="submission-actions">
                  <a href={`#/submissions/${encodeURIComponent(s.id)}`}>
                    What changed since<span class="visually-hidden"> {s.name}</span>
                  </a>
                  <a
                    href={`evidence-pack.html?submission=${encodeURIComponent(s.id)}`}
                    target="_blank"
                    rel="noopener"
                  >
                    Evidence pack<span class="visually-hidden"> of {s.name} (new tab)</span>
                  </a>
                  {admin && (
                    <button
                      type="button"
                      class="button link delete-link"
                      onClick={() => void remove(s).catch(logError)}
                    >
                      Delete<span class="visually-hidden"> {s.name}</span>
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
