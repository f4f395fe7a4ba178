// Criteria: the active framework's tree with coverage, and per criterion the self-assessment
// (rating, owner, action, due date, comment) and its evidence.
import { useEffect, useState } from 'preact/hooks';
import type { CriterionStatus } from '../../../shared/coverage';
import { type Assessment, emptyAssessment, type Rating } from '../../../shared/schemas';
import { CoverageBar } from '../../components/coverage-bar';
import { RagBadge } from '../../components/rag-badge';
import { StatusBadge } from '../../components/status-badge';
import type { ClipperDb } from '../../lib/db';
import { setAssessment } from '../../lib/mutations';
import type { DashboardData } from './data';
import { clipStatus, siteOf } from './library-filter';
import { sourceLink } from './source-link';

export const RATING_LABEL: Record<Rating, string> = {
  unrated: 'Not yet rated',
  red: 'Red — not met',
  amber: 'Amber — partly met',
  green: 'Green — met',
  'n/a': 'Not applicable',
};

export function CriteriaView({
  db,
  data,
  selectedId,
  onSelect,
}: {
  db: ClipperDb;
  data: DashboardData;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}) {
  const coverage = data.coverage;
  if (!coverage || !data.active)
    return <p role="alert">No framework installed. Import one under Frameworks.</p>;
  const all = coverage.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria));
  const current = all.find((c) => c.id === selectedId) ?? all[0];
  return (
    <section aria-labelledby="criteria-heading">
      <div class="view-head">
        <h2 id="criteria-heading">Criteria — {data.active.name}</h2>
        {data.active.notice && <p class="notice">{data.active.notice}</p>}
        <CoverageBar tally={coverage.tally} label="Overall coverage" />
      </div>
      {all.length === 0 ? (
        <div class="card empty">
          <h3>No criteria in this framework yet</h3>
          <p>
            Import your criteria list under <a href="#/frameworks">Frameworks</a>.
          </p>
        </div>
      ) : (
        <div class="criteria-layout">
          <nav class="criteria-tree card" aria-label="Criteria of the framework">
            {coverage.domains.map((d) => (
              <div key={d.id} class="tree-domain">
                <h3 class="tree-domain-title">
                  <span>{d.title}</span> <RagBadge rag={d.rag} />
                </h3>
                <p class="muted small">
                  {d.tally.covered} of {d.tally.applicable} evidenced
                  {d.tally.stale > 0 ? ` · ${d.tally.stale} stale` : ''}
                </p>
                {d.standards.map((s) => (
                  <div key={s.id} class="tree-standard">
                    <h4>{s.title}</h4>
                    <ul>
                      {s.criteria.map((c) => (
                        <li key={c.id}>
                          <button
                            type="button"
                            class={`tree-item${c.id === current?.id ? ' current' : ''}`}
                            aria-current={c.id === current?.id ? 'true' : undefined}
                            onClick={() => onSelect(c.id)}
                          >
                            <span class="code">{c.code}</span>
                            <span class="tree-item-title">{c.title}</span>
                            <span class="count">
                              {c.evidence}
                              <span class="visually-hidden"> pieces of evidence</span>
                            </span>
                            <RagBadge rag={c.rag} />
                          </button>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
            ))}
          </nav>
          {current && <CriterionDetail key={current.id} db={db} data={data} criterion={current} />}
        </div>
      )}
    </section>
  );
}

function CriterionDetail({
  db,
  data,
  criterion,
}: {
  db: ClipperDb;
  data: DashboardData;
  criterion: CriterionStatus;
}) {
  const info = data.criteria.get(criterion.id);
  const stored = data.assessments.find((a) => a.criterionId === criterion.id);
  const base: Assessment = stored ?? emptyAssessment(criterion.id, '1970-01-01T00:00:00.000Z');
  const [form, setForm] = useState({
    rating: base.rating,
    owner: base.owner,
    action: base.action,
    dueDate: base.dueDate ?? '',
    comment: base.comment,
  });
  const [saved, setSaved] = useState('');
  const [error, setError] = useState('');
  // A change made elsewhere (sync, another tab) replaces an unedited form.
  useEffect(() => {
    setForm({
      rating: base.rating,
      owner: base.owner,
      action: base.action,
      dueDate: base.dueDate ?? '',
      comment: base.comment,
    });
  }, [stored?.updatedAt]);
  const dirty =
    form.rating !== base.rating ||
    form.owner !== base.owner ||
    form.action !== base.action ||
    form.dueDate !== (base.dueDate ?? '') ||
    form.comment !== base.comment;
  const clips = data.clips.filter((c) => !c.deleted && c.criteria.includes(criterion.id));
  return (
    <article class="criterion-detail card" aria-labelledby="criterion-title">
      <p class="crumbs muted small">
        {info?.domainTitle} › {info?.standardTitle}
      </p>
      <h3 id="criterion-title" class="criterion-title">
        <span class="code">{criterion.code}</span> {criterion.title}
      </h3>
      <p class="criterion-status">
        <RagBadge rag={criterion.rag} />{' '}
        <span>
          {criterion.evidence === 1 ? '1 piece of evidence' : `${criterion.evidence} pieces of evidence`}
          {criterion.stale > 0 && `, ${criterion.stale} stale`}
        </span>
      </p>
      {info?.guidance && <p class="guidance">{info.guidance}</p>}

      <form
        class="assessment-form"
        aria-labelledby="assessment-heading"
        onSubmit={(e) => {
          e.preventDefault();
          setError('');
          setAssessment(db, criterion.id, form)
            .then(() => setSaved(`Saved at ${new Date().toLocaleTimeString('en-GB')}`))
            .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
        }}
      >
        <h4 id="assessment-heading">Self-assessment</h4>
        <div class="form-grid">
          <label class="field">
            <span>Rating</span>
            <select
              class="input"
              value={form.rating}
              onChange={(e) => {
                const v = e.currentTarget.value;
                const rating = (Object.keys(RATING_LABEL) as Rating[]).find((r) => r === v) ?? 'unrated';
                setForm({ ...form, rating });
              }}
            >
              {(Object.keys(RATING_LABEL) as Rating[]).map((r) => (
                <option key={r} value={r}>
                  {RATING_LABEL[r]}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>Owner</span>
            <input
              class="input"
              value={form.owner}
              maxLength={500}
              onInput={(e) => setForm({ ...form, owner: e.currentTarget.value })}
            />
          </label>
          <label class="field">
            <span>Due date</span>
            <input
              class="input"
              type="date"
              value={form.dueDate}
              onInput={(e) => setForm({ ...form, dueDate: e.currentTarget.value })}
            />
          </label>
        </div>
        <label class="field">
          <span>Action</span>
          <textarea
            class="input"
            rows={2}
            value={form.action}
            onInput={(e) => setForm({ ...form, action: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span>Comment</span>
          <textarea
            class="input"
            rows={3}
            value={form.comment}
            onInput={(e) => setForm({ ...form, comment: e.currentTarget.value })}
          />
        </label>
        <div class="form-actions">
          <button type="submit" class="button" disabled={!dirty}>
            Save assessment
          </button>
          <span class="muted small" role="status">
            {dirty ? 'Unsaved changes' : saved}
          </span>
          {error && (
            <span class="error" role="alert">
              {error}
            </span>
          )}
        </div>
      </form>

      <h4 class="evidence-heading">Evidence</h4>
      {clips.length === 0 ? (
        <p class="muted">
          No evidence yet. Clip a passage that shows this criterion is met, or tag an existing clip in the{' '}
          <a href="#/library">library</a>.
        </p>
      ) : (
        <ul class="evidence-list">
          {clips.map((c) => {
            const link = sourceLink(c);
            return (
              <li key={c.id} class="evidence-item">
                <blockquote class="quote">{c.quote}</blockquote>
                {c.note && <p class="note">{c.note}</p>}
                <p class="muted small evidence-meta">
                  <StatusBadge status={clipStatus(c, data.today)} /> {c.title || siteOf(c.url)} ·{' '}
                  {c.createdBy.name} · {c.createdAt.slice(0, 10)}
                  {link && (
                    <>
                      {' · '}
                      <a href={link} target="_blank" rel="noopener noreferrer">
                        Open source<span class="visually-hidden"> page at the passage (new tab)</span>
                      </a>
                    </>
                  )}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </article>
  );
}
