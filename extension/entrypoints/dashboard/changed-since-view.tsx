// "What changed since" a submission: the live evidence (or a later submission) compared with it,
// criterion by criterion, with the word diff of edited or changed passages, and exports an
// assessor can read without the extension (printable HTML, CSV, XLSX).
import { useState } from 'preact/hooks';
import {
  CHANGE_LABEL,
  CHANGE_TYPES,
  type Change,
  changedSince,
  describeChange,
  liveState,
  submissionState,
} from '../../../shared/changed-since';
import { changedSinceCsv, changedSinceHtml } from '../../../shared/exports/changed-since-export';
import type { Submission } from '../../../shared/submissions';
import { QUOTE_DIFF_CSS, QuoteDiff } from '../../components/quote-diff';
import { changedSinceXlsx } from '../../lib/export/changed-since-xlsx';
import { downloadBlob, downloadText, exportFilename } from '../../lib/export/download';
import { logError } from '../../lib/log-error';
import type { DashboardData } from './data';

const LIVE = 'live';

export function ChangedSinceView({
  data,
  submission,
  others,
}: {
  data: DashboardData;
  submission: Submission;
  /** The team's other submissions (to compare two submissions). */
  others: readonly Submission[];
}) {
  const [against, setAgainst] = useState(LIVE);
  const other = others.find((s) => s.id === against);
  const fwId = submission.set.framework.id;
  const current = other
    ? submissionState(other)
    : liveState({
        label: 'Now',
        day: data.today,
        framework: data.frameworks.find((f) => f.id === fwId) ?? submission.set.framework,
        clips: data.clips,
        assessments: data.assessments,
      });
  const result = changedSince(submissionState(submission), current);
  const title = `What changed since ${submission.name}`;
  const file = (ext: string) => exportFilename('changed-since', fwId, data.today, ext);
  return (
    <section class="card" aria-labelledby="changed-heading">
      <style>{QUOTE_DIFF_CSS}</style>
      <h3 id="changed-heading">{title}</h3>
      <div class="toolbar-row">
        <label class="field inline">
          <span>Compare with</span>
          <select class="input" value={against} onChange={(e) => setAgainst(e.currentTarget.value)}>
            <option value={LIVE}>The evidence now</option>
            {others
              .filter((s) => s.set.framework.id === fwId && s.id !== submission.id)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.day})
                </option>
              ))}
          </select>
        </label>
        <button
          type="button"
          class="button secondary"
          onClick={() => downloadText(changedSinceHtml(result, title), file('html'), 'text/html')}
        >
          Printable page (HTML)
        </button>
        <button
          type="button"
          class="button secondary"
          onClick={() => downloadText(changedSinceCsv(result), file('csv'), 'text/csv')}
        >
          Spreadsheet (CSV)
        </button>
        <button
          type="button"
          class="button secondary"
          onClick={() =>
            void changedSinceXlsx(result)
              .then((blob) => downloadBlob(blob, file('xlsx')))
              .catch(logError)
          }
        >
          Workbook (XLSX)
        </button>
      </div>
      <p role="status" class="changed-summary">
        {result.current.label} ({result.current.day}) against {result.base.label} ({result.base.day}):{' '}
        {result.total === 0 ? (
          'nothing has changed.'
        ) : (
          <>
            <strong>{result.total}</strong> {result.total === 1 ? 'change' : 'changes'} in{' '}
            {result.criteria.length} {result.criteria.length === 1 ? 'criterion' : 'criteria'}.
          </>
        )}
      </p>
      {result.total > 0 && (
        <ul class="change-counts" aria-label="Changes by kind">
          {CHANGE_TYPES.filter((t) => result.counts[t] > 0).map((t) => (
            <li key={t}>
              {CHANGE_LABEL[t]}: <strong>{result.counts[t]}</strong>
            </li>
          ))}
        </ul>
      )}
      {result.criteria.map((c) => (
        <article key={c.criterionId} class="changed-criterion" aria-labelledby={`chg-${c.criterionId}`}>
          <h4 id={`chg-${c.criterionId}`}>
            <span class="code">{c.code}</span> {c.title}
          </h4>
          <p class="muted small">
            {c.domain} › {c.standard}
          </p>
          <ul class="changes">
            {c.changes.map((ch, i) => (
              <ChangeItem key={i} ch={ch} />
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}

function ChangeItem({ ch }: { ch: Change }) {
  const kind = <strong class={`change-kind change-${ch.type}`}>{CHANGE_LABEL[ch.type]}</strong>;
  if (ch.type === 'edited' || ch.type === 'relocated')
    return (
      <li data-change={ch.type}>
        {kind} — {ch.clip.title || ch.clip.url}
        <QuoteDiff
          before={ch.before}
          after={ch.after}
          label={ch.type === 'edited' ? 'Quote then and now' : 'Clipped quote and the text on the page now'}
        />
      </li>
    );
  return (
    <li data-change={ch.type}>
      {kind} — {describeChange(ch)}
    </li>
  );
}
