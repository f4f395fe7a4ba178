import { computeCoverage } from '../../../shared/coverage';
import { CoverageBar } from '../../components/coverage-bar';
import { RagBadge } from '../../components/rag-badge';
import type { ClipperDb } from '../../lib/db';
import { getActiveFramework } from '../../lib/frameworks';
import { todayIso } from '../../lib/today';
import { useLiveQuery } from '../../lib/use-live-query';

async function load(db: ClipperDb) {
  const framework = await getActiveFramework(db);
  if (!framework) return null;
  const [clips, assessments] = await Promise.all([db.clips.toArray(), db.assessments.toArray()]);
  return { framework, coverage: computeCoverage({ framework, clips, assessments, today: todayIso() }) };
}

/** Dashboard: the criteria view of the active framework (library, gaps and export follow in issue 6). */
export function DashboardApp({ db }: { db: ClipperDb }) {
  const data = useLiveQuery(() => load(db), []);
  return (
    <div class="page">
      <header class="masthead">
        <h1>QSI Evidence Clipper</h1>
      </header>
      <main>
        {data === undefined && <p aria-live="polite">Loading…</p>}
        {data === null && <p role="alert">No framework installed.</p>}
        {data && (
          <section aria-labelledby="criteria-heading">
            <h2 id="criteria-heading">Criteria — {data.framework.name}</h2>
            {data.framework.notice && <p class="notice">{data.framework.notice}</p>}
            <CoverageBar tally={data.coverage.tally} label="Overall coverage" />
            {data.coverage.domains.map((d) => (
              <section key={d.id} class="card" aria-label={d.title}>
                <h3>
                  {d.title} <RagBadge rag={d.rag} />
                </h3>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Code</th>
                      <th scope="col">Criterion</th>
                      <th scope="col">Evidence</th>
                      <th scope="col">Stale</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.standards.flatMap((s) =>
                      s.criteria.map((c) => (
                        <tr key={c.id}>
                          <td class="code">{c.code}</td>
                          <td>{c.title}</td>
                          <td>{c.evidence}</td>
                          <td>{c.stale}</td>
                          <td>
                            <RagBadge rag={c.rag} />
                          </td>
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              </section>
            ))}
          </section>
        )}
      </main>
    </div>
  );
}
