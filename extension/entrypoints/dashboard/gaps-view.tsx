// Gaps and stale evidence: criteria without evidence, and evidence whose document is past its
// review date or whose clip was lost on its page.
import { staleReason } from '../../../shared/coverage';
import { RagBadge } from '../../components/rag-badge';
import { StatusBadge } from '../../components/status-badge';
import type { DashboardData } from './data';
import { siteOf } from './library-filter';
import { sourceLink } from './source-link';

export function GapsView({
  data,
  onOpenCriterion,
}: {
  data: DashboardData;
  onOpenCriterion: (id: string) => void;
}) {
  const coverage = data.coverage;
  if (!coverage) return <p role="alert">No framework installed.</p>;
  const gaps = coverage.domains.flatMap((d) =>
    d.standards.flatMap((s) =>
      s.criteria
        .filter((c) => c.rag !== 'n/a' && c.fresh === 0)
        .map((c) => ({ ...c, domain: d.title, standard: s.title })),
    ),
  );
  const inFramework = new Set(
    coverage.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map((c) => c.id))),
  );
  const stale = data.clips
    .filter((c) => !c.deleted && c.criteria.some((id) => inFramework.has(id)))
    .map((c) => ({ clip: c, reason: staleReason(c, data.today) }))
    .filter((x) => x.reason !== undefined)
    .sort((a, b) => (a.clip.docMeta.reviewDue ?? '').localeCompare(b.clip.docMeta.reviewDue ?? ''));
  const noEvidence = gaps.filter((g) => g.evidence === 0);
  const onlyStale = gaps.filter((g) => g.evidence > 0);
  return (
    <section aria-labelledby="gaps-heading">
      <div class="view-head">
        <h2 id="gaps-heading">Gaps and stale evidence — {data.active?.name}</h2>
        <p class="muted">
          {noEvidence.length} criteria without evidence · {onlyStale.length} with only stale evidence ·{' '}
          {stale.length} stale clips
        </p>
      </div>
      <div class="card">
        <h3>Criteria without fresh evidence</h3>
        {gaps.length === 0 ? (
          <p class="ok">Every applicable criterion has fresh evidence.</p>
        ) : (
          <table>
            <caption class="visually-hidden">Criteria without fresh evidence</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Criterion</th>
                <th scope="col">Domain › standard</th>
                <th scope="col">Evidence</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {gaps.map((g) => (
                <tr key={g.id}>
                  <td class="code">
                    <button type="button" class="button link code" onClick={() => onOpenCriterion(g.id)}>
                      {g.code}
                      <span class="visually-hidden"> — open criterion</span>
                    </button>
                  </td>
                  <td>{g.title}</td>
                  <td class="muted small">
                    {g.domain} › {g.standard}
                  </td>
                  <td>{g.evidence === 0 ? 'None' : `${g.stale} stale only`}</td>
                  <td>
                    <RagBadge rag={g.rag} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div class="card">
        <h3>Stale evidence</h3>
        {stale.length === 0 ? (
          <p class="ok">No evidence is past its review date or lost on its page.</p>
        ) : (
          <table>
            <caption class="visually-hidden">Stale evidence</caption>
            <thead>
              <tr>
                <th scope="col">Document</th>
                <th scope="col">Passage</th>
                <th scope="col">Criteria</th>
                <th scope="col">Why stale</th>
                <th scope="col">
                  <span class="visually-hidden">Link</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {stale.map(({ clip, reason }) => {
                const link = sourceLink(clip);
                return (
                  <tr key={clip.id}>
                    <td>
                      {clip.title || siteOf(clip.url)}
                      {clip.docMeta.documentId && <div class="muted small">{clip.docMeta.documentId}</div>}
                    </td>
                    <td class="quote-cell">
                      {clip.quote.length > 160 ? `${clip.quote.slice(0, 159)}…` : clip.quote}
                    </td>
                    <td class="code">
                      {clip.criteria.map((id) => data.criteria.get(id)?.code ?? id).join(', ')}
                    </td>
                    <td>
                      <StatusBadge status={reason === 'lost' ? 'lost' : 'stale'} />
                      {reason === 'review-overdue' && (
                        <div class="muted small">review was due {clip.docMeta.reviewDue}</div>
                      )}
                    </td>
                    <td>
                      {link && (
                        <a href={link} target="_blank" rel="noopener noreferrer">
                          Open source<span class="visually-hidden"> page (new tab)</span>
                        </a>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
