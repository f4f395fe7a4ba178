// The evidence pack: a printable document for the assessor (the browser prints it to PDF).
// Cover page with the coverage summary, then domain → standard → criterion with each piece of
// evidence, its document details, a text-fragment link to the passage and the snapshot hash.
import { useEffect, useState } from 'preact/hooks';
import { escapeHtml } from '../../../shared/exports/changed-since-export';
import {
  buildEvidencePack,
  type EvidencePack,
  type PackCriterion,
  type PackEvidence,
} from '../../../shared/exports/evidence-pack';
import { type EvidenceSeal, SEAL_ELEMENT_ID, SEAL_SCRIPT_TYPE } from '../../../shared/exports/evidence-seal';
import { type Clip, frameworkSchema, type Rating } from '../../../shared/schemas';
import { clipOfFrozen, submissionSchema } from '../../../shared/submissions';
import { RagBadge } from '../../components/rag-badge';
import type { ClipperDb } from '../../lib/db';
import { downloadText } from '../../lib/export/download';
import { buildSeal, sha256Hex } from '../../lib/export/evidence-seal';
import { getActiveFramework } from '../../lib/frameworks';
import { sendToBackground } from '../../lib/send-to-background';
import { readTeam } from '../../lib/sync/state';
import { todayIso } from '../../lib/today';
import { useLiveQuery } from '../../lib/use-live-query';

const RATING: Record<Rating, string> = {
  unrated: 'Not yet rated',
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  'n/a': 'Not applicable',
};

type SealedPack = EvidencePack & {
  seal?: { seal: EvidenceSeal; unsealed: number };
  /** Set when the pack is a submission's, rebuilt from its frozen set. */
  submission?: { name: string; setHash: string; frozenAt: string };
};

/** The seal of the pack's clips when this install is in a team and its server answers. */
async function sealOf(db: ClipperDb, pack: EvidencePack, clips: readonly Clip[]) {
  if (!(await readTeam(db))) return undefined;
  const head = await sendToBackground('getLogHead', {});
  if (!head.ok) return undefined;
  const ids = new Set(
    pack.domains.flatMap((d) =>
      d.standards.flatMap((s) => s.criteria.flatMap((c) => c.evidence.map((e) => e.id))),
    ),
  );
  const pending = new Set<string>();
  for (const e of await db.outbox.toArray()) {
    const m = e.mutation as { id?: unknown; clip?: { id?: unknown } };
    const id = m.clip?.id ?? m.id;
    if (typeof id === 'string') pending.add(id);
  }
  return buildSeal({
    teamId: head.value.teamId,
    logHead: { seq: head.value.seq, hash: head.value.hash },
    exportedAt: pack.generatedAt,
    clips: clips.filter((c) => ids.has(c.id)),
    pending,
  });
}

/**
 * A submission's pack: built from its frozen set with its own day and instant, so it comes out
 * the same, byte for byte, whenever it is rebuilt (no seal: the log head is today's).
 */
async function loadSubmissionPack(db: ClipperDb, submissionId: string): Promise<SealedPack | null> {
  const parsed = submissionSchema.safeParse(await db.submissions.get(submissionId));
  if (!parsed.success) return null;
  const s = parsed.data;
  const pack = buildEvidencePack({
    framework: s.set.framework,
    clips: s.set.clips.map(clipOfFrozen),
    assessments: s.set.assessments,
    today: s.day,
    generatedAt: s.frozenAt,
    pdfViewer: new URL('pdf-viewer.html', location.href).href,
    docxViewer: new URL('docx-viewer.html', location.href).href,
  });
  return { ...pack, submission: { name: s.name, setHash: s.setHash, frozenAt: s.frozenAt } };
}

async function loadPack(
  db: ClipperDb,
  frameworkId: string | null,
  submissionId: string | null,
): Promise<SealedPack | null> {
  if (submissionId) return loadSubmissionPack(db, submissionId);
  const stored = frameworkId ? frameworkSchema.safeParse(await db.frameworks.get(frameworkId)) : undefined;
  const framework = stored?.success ? stored.data : await getActiveFramework(db);
  if (!framework) return null;
  const [clips, assessments] = await Promise.all([db.clips.toArray(), db.assessments.toArray()]);
  const pack = buildEvidencePack({
    framework,
    clips,
    assessments,
    today: todayIso(),
    generatedAt: new Date().toISOString(),
    pdfViewer: new URL('pdf-viewer.html', location.href).href,
    docxViewer: new URL('docx-viewer.html', location.href).href,
  });
  const seal = await sealOf(db, pack, clips);
  return seal ? { ...pack, seal } : pack;
}

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
/** A submission's instant in UTC, so its pack reads the same wherever it is rebuilt. */
const whenUtc = (iso: string) =>
  `${new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  })} UTC`;
const day = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

export function EvidencePackApp({
  db,
  frameworkId,
  submissionId = null,
}: {
  db: ClipperDb;
  frameworkId: string | null;
  submissionId?: string | null;
}) {
  const pack = useLiveQuery(() => loadPack(db, frameworkId, submissionId), [frameworkId, submissionId]);
  const [saved, setSaved] = useState<{ html: string; sha256: string } | null>(null);
  useEffect(() => {
    if (pack) {
      document.title = `Evidence pack — ${pack.framework.name} — ${pack.today}`;
      document.body.dataset.ready = 'true';
    }
  }, [pack]);
  if (pack === undefined) return <p class="loading">Preparing the evidence pack…</p>;
  if (pack === null)
    return (
      <p role="alert">
        {submissionId ? 'This submission is not held by this install.' : 'No framework is installed.'}
      </p>
    );
  const t = pack.coverage.tally;
  const pct = t.applicable ? Math.round((t.covered / t.applicable) * 100) : 0;
  return (
    <div class="pack">
      <div class="toolbar no-print">
        <p>Use your browser’s print dialog and choose “Save as PDF” to send this pack to an assessor.</p>
        <button type="button" class="button" onClick={() => window.print()}>
          Print or save as PDF
        </button>
        {pack.submission && (
          <button
            type="button"
            class="button secondary"
            onClick={() =>
              void packHtml().then((out) => {
                setSaved(out);
                downloadText(out.html, `qsi-submission-pack-${pack.today}.html`, 'text/html');
              })
            }
          >
            Save the pack (HTML)
          </button>
        )}
        {saved && (
          <p role="status" class="small">
            Saved. SHA-256 of the saved file: <code class="pack-sha">{saved.sha256}</code>
          </p>
        )}
      </div>
      <section class="cover" aria-labelledby="pack-title">
        <p class="kicker">Evidence pack</p>
        <h1 id="pack-title">{pack.framework.name}</h1>
        {pack.framework.edition && <p class="edition">{pack.framework.edition}</p>}
        {pack.submission ? (
          <p class="generated">
            Submission “{pack.submission.name}”, frozen {whenUtc(pack.submission.frozenAt)} · QSI Evidence
            Clipper
          </p>
        ) : (
          <p class="generated">Generated {when(pack.generatedAt)} · QSI Evidence Clipper</p>
        )}
        {pack.submission && (
          <p class="set-hash">
            SHA-256 of the submitted set: <code>{pack.submission.setHash}</code>
          </p>
        )}
        {pack.framework.notice && <p class="notice">{pack.framework.notice}</p>}
        <div class="summary">
          <div class="big-figure">
            <span class="figure">{pct}%</span>
            <span>
              of applicable criteria have fresh evidence ({t.covered} of {t.applicable})
            </span>
          </div>
          <dl class="figures">
            <div>
              <dt>Overall status</dt>
              <dd>
                <RagBadge rag={pack.coverage.rag} />
              </dd>
            </div>
            <div>
              <dt>Pieces of evidence</dt>
              <dd>{pack.totalClips}</dd>
            </div>
            <div>
              <dt>Stale evidence</dt>
              <dd>{t.stale}</dd>
            </div>
            <div>
              <dt>Criteria red / amber / green / N/A</dt>
              <dd>
                {t.red} / {t.amber} / {t.green} / {t.na}
              </dd>
            </div>
          </dl>
        </div>
        <table class="domain-summary">
          <caption>Coverage by domain</caption>
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">Evidenced</th>
              <th scope="col">Evidence</th>
              <th scope="col">Stale</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {pack.coverage.domains.map((d) => (
              <tr key={d.id}>
                <td>{d.title}</td>
                <td>
                  {d.tally.covered} of {d.tally.applicable}
                </td>
                <td>{d.tally.evidence}</td>
                <td>{d.tally.stale}</td>
                <td>
                  <RagBadge rag={d.rag} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="how-to-read">
          <h2>How to read this pack</h2>
          <p>
            Status is shown as a word and a symbol: ✓ Green (fresh evidence, rated met or unrated), ! Amber
            (only stale evidence, or rated partly met), ✕ Red (no evidence, or rated not met), – N/A. Evidence
            is stale when its document is past its review date or the passage could no longer be found on its
            page.
          </p>
          <p>
            “Open at the passage” links use text fragments, so a current browser scrolls to and highlights the
            quoted words without any extension. The SHA-256 fingerprint identifies the section text as it was
            when clipped.
          </p>
        </div>
      </section>

      {pack.domains.map((d) => (
        <section key={d.id} class="domain" aria-labelledby={`d-${d.id}`}>
          <h2 id={`d-${d.id}`} class="domain-title">
            <span>{d.title}</span> <RagBadge rag={d.rag} />
          </h2>
          {d.standards.length === 0 && <p class="muted">No criteria in this domain.</p>}
          {d.standards.map((s) => (
            <div key={s.id} class="standard">
              <h3>
                {s.title} <RagBadge rag={s.rag} />
              </h3>
              {s.criteria.map((c) => (
                <Criterion key={c.id} c={c} />
              ))}
            </div>
          ))}
        </section>
      ))}
      {pack.seal && <SealBlock seal={pack.seal.seal} unsealed={pack.seal.unsealed} today={pack.today} />}
      <p class="end muted">End of evidence pack · {pack.totalClips} pieces of evidence</p>
    </div>
  );
}

/**
 * The pack as one standalone HTML file: its stylesheets inlined and the screen-only toolbar left
 * out. The same frozen submission gives the same bytes whenever it is rebuilt.
 */
async function packHtml(): Promise<{ html: string; sha256: string }> {
  const root = document.querySelector('.pack')?.cloneNode(true) as HTMLElement | undefined;
  if (!root) throw new Error('the pack is not rendered');
  for (const el of root.querySelectorAll('.no-print')) el.remove();
  const css = [...document.styleSheets]
    .flatMap((sheet) => [...sheet.cssRules].map((r) => r.cssText))
    .join('\n');
  const html = `<!doctype html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(document.title)}</title><style>${css}</style></head><body>${root.outerHTML}</body></html>\n`;
  return { html, sha256: await sha256Hex(html) };
}

/** The seal: printed as text for the record, embedded for a saved page, and downloadable. */
function SealBlock({ seal, unsealed, today }: { seal: EvidenceSeal; unsealed: number; today: string }) {
  const json = JSON.stringify(seal).replaceAll('<', '\\u003c');
  return (
    <section class="seal" aria-labelledby="seal-heading">
      <h2 id="seal-heading">Seal</h2>
      <p>
        The team's change log stood at entry {seal.logHead.seq} when this pack was made. With the file below,
        the team's server can confirm that each sealed piece of evidence is what its log held (
        <code>verify --pack FILE</code>).
        {unsealed > 0 && ` ${unsealed} piece(s) not yet synced with the team are not sealed.`}
      </p>
      <button
        type="button"
        class="button no-print"
        onClick={() => downloadText(json, `qsi-evidence-seal-${today}.json`, 'application/json')}
      >
        Download the seal
      </button>
      <pre class="seal-json">{JSON.stringify(seal, null, 1)}</pre>
      <script type={SEAL_SCRIPT_TYPE} id={SEAL_ELEMENT_ID}>
        {json}
      </script>
    </section>
  );
}

function Criterion({ c }: { c: PackCriterion }) {
  const a = c.assessment;
  return (
    <article class="criterion" aria-labelledby={`c-${c.id}`}>
      <h4 id={`c-${c.id}`}>
        <span class="code">{c.code}</span> <span class="ctitle">{c.title}</span> <RagBadge rag={c.rag} />
      </h4>
      <dl class="assessment">
        <div>
          <dt>Self-rating</dt>
          <dd>{RATING[c.rating]}</dd>
        </div>
        {a?.owner && (
          <div>
            <dt>Owner</dt>
            <dd>{a.owner}</dd>
          </div>
        )}
        {a?.dueDate && (
          <div>
            <dt>Due</dt>
            <dd>{a.dueDate}</dd>
          </div>
        )}
        {a?.action && (
          <div class="wide">
            <dt>Action</dt>
            <dd>{a.action}</dd>
          </div>
        )}
        {a?.comment && (
          <div class="wide">
            <dt>Comment</dt>
            <dd>{a.comment}</dd>
          </div>
        )}
      </dl>
      {c.evidence.length === 0 ? (
        <p class="no-evidence">No evidence recorded.</p>
      ) : (
        <ol class="evidence">
          {c.evidence.map((e) => (
            <Evidence key={e.id} e={e} />
          ))}
        </ol>
      )}
    </article>
  );
}

function Evidence({ e }: { e: PackEvidence }) {
  const m = e.docMeta;
  return (
    <li class={`item${e.stale ? ' stale' : ''}`}>
      {e.stale && (
        <p class="stale-flag">
          ↻ Stale:{' '}
          {e.stale === 'lost'
            ? 'passage not found on its page at last check'
            : `document review was due ${m.reviewDue}`}
        </p>
      )}
      <blockquote>
        {e.prefix && <span class="context">…{e.prefix.slice(-160)} </span>}
        <mark>{e.quote}</mark>
        {e.suffix && <span class="context"> {e.suffix.slice(0, 160)}…</span>}
      </blockquote>
      {e.note && <p class="note">Note: {e.note}</p>}
      <dl class="meta">
        <div>
          <dt>Document</dt>
          <dd>{e.title || e.url}</dd>
        </div>
        {m.documentId && (
          <div>
            <dt>Document id</dt>
            <dd>{m.documentId}</dd>
          </div>
        )}
        {m.version && (
          <div>
            <dt>Version</dt>
            <dd>{m.version}</dd>
          </div>
        )}
        {m.owner && (
          <div>
            <dt>Owner</dt>
            <dd>{m.owner}</dd>
          </div>
        )}
        {m.approvedOn && (
          <div>
            <dt>Approved</dt>
            <dd>{m.approvedOn}</dd>
          </div>
        )}
        {m.reviewDue && (
          <div>
            <dt>Review due</dt>
            <dd>{m.reviewDue}</dd>
          </div>
        )}
        <div>
          <dt>Clipped</dt>
          <dd>
            {day(e.createdAt)} by {e.author}
          </dd>
        </div>
        {e.lastEditor && (
          <div>
            <dt>Last edited</dt>
            <dd>
              {day(e.lastEditor.at)} by {e.lastEditor.name}
            </dd>
          </div>
        )}
        <div class="wide">
          <dt>Source</dt>
          <dd>
            {e.link ? (
              <a href={e.link} class="source-link">
                Open at the passage
                <span class="url">{e.url}</span>
              </a>
            ) : (
              e.url
            )}
            {e.pdfLink && (
              <a href={e.pdfLink} class="source-link">
                The PDF at page {e.pdfLink.replace(/^.*#page=/, '')} (without the extension)
              </a>
            )}
            {e.fileLink && (
              <a href={e.fileLink} class="source-link">
                The Word document (without the extension)
              </a>
            )}
          </dd>
        </div>
        <div class="wide">
          <dt>Snapshot SHA-256</dt>
          <dd class="hash">{e.snapshotSha256 ?? 'no snapshot recorded'}</dd>
        </div>
      </dl>
    </li>
  );
}
