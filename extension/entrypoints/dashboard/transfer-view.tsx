// Export (evidence pack, gap analysis CSV/XLSX, W3C JSON-LD, full backup) and import (W3C
// JSON-LD, Hypothesis export, our backup). Imports are previewed, then applied all-or-nothing.
import { useState } from 'preact/hooks';
import { buildBackup } from '../../../shared/exports/backup';
import { gapAnalysisCsv, gapRows } from '../../../shared/exports/gap-analysis';
import { FORMAT_LABEL, type ImportPlan, parseImportFile } from '../../../shared/exports/import-file';
import { clipsToAnnotationCollection } from '../../../shared/exports/json-ld';
import { fileSizeProblem, IMPORT_LIMITS } from '../../../shared/import-limits';
import type { ClipperDb } from '../../lib/db';
import { downloadBlob, downloadText, exportFilename } from '../../lib/export/download';
import { gapAnalysisXlsx } from '../../lib/export/gap-xlsx';
import { applyImport, type ImportSummary } from '../../lib/mutations';
import { sharedClipsReplaced } from '../../lib/store/local-writes';
import { META_KEYS } from '../../lib/store/rows';
import type { DashboardData } from './data';

/** Tag → criterion id: a criterion id as is, or a code (case-insensitive), active framework first. */
export function tagResolver(data: DashboardData): (tag: string) => string | undefined {
  const byCode = new Map<string, string>();
  const infos = [...data.criteria.values()].sort(
    (a, b) => Number(b.frameworkId === data.activeId) - Number(a.frameworkId === data.activeId),
  );
  for (const c of infos) if (!byCode.has(c.code.toLowerCase())) byCode.set(c.code.toLowerCase(), c.id);
  return (tag) => (data.criteria.has(tag) ? tag : byCode.get(tag.trim().toLowerCase()));
}

export function TransferView({ db, data }: { db: ClipperDb; data: DashboardData }) {
  const [plan, setPlan] = useState<
    { fileName: string; plan: ImportPlan; fresh: number; shared: number } | undefined
  >(undefined);
  // Replacing clips the team already has changes them for everyone: asked for explicitly.
  const [replaceShared, setReplaceShared] = useState(false);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const live = data.clips.filter((c) => !c.deleted);
  const fwId = data.active?.id;

  const exportBackup = async () => {
    const [frameworks, assessments, clips, active] = await db.transaction(
      'r',
      [db.frameworks, db.assessments, db.clips, db.meta],
      () =>
        Promise.all([
          db.frameworks.toArray(),
          db.assessments.toArray(),
          db.clips.toArray(),
          db.meta.get(META_KEYS.activeFramework),
        ]),
    );
    const backup = buildBackup({
      exportedAt: new Date().toISOString(),
      ...(typeof active?.value === 'string' ? { activeFrameworkId: active.value } : {}),
      frameworks,
      assessments,
      clips,
    });
    downloadText(JSON.stringify(backup, null, 1), `qsi-backup-${data.today}.json`, 'application/json');
  };

  const onFile = async (file: File | undefined) => {
    setError('');
    setStatus('');
    setPlan(undefined);
    setReplaceShared(false);
    if (!file) return;
    const tooBig = fileSizeProblem(file.size, IMPORT_LIMITS.annotationFileBytes);
    if (tooBig) {
      setError(`${file.name}: ${tooBig} Nothing was imported.`);
      return;
    }
    const parsed = parseImportFile(await file.text(), {
      author: { id: 'imported', name: 'Imported' },
      now: new Date().toISOString(),
      criterionForTag: tagResolver(data),
    });
    if (!parsed.ok) {
      setError(`${file.name}: ${parsed.error} Nothing was imported.`);
      return;
    }
    const known = new Set(data.clips.map((c) => c.id));
    const existing = await db.clips.bulkGet(parsed.plan.clips.map((c) => c.id));
    setPlan({
      fileName: file.name,
      plan: parsed.plan,
      fresh: parsed.plan.clips.filter((c) => !known.has(c.id)).length,
      shared: sharedClipsReplaced(parsed.plan.clips, existing),
    });
  };

  const confirm = async () => {
    if (!plan) return;
    setBusy(true);
    try {
      const s: ImportSummary = await applyImport(db, plan.plan, { replaceShared });
      setStatus(
        `Imported ${plan.fileName}: ${s.added} new clips, ${s.updated} updated, ${s.unchanged} unchanged` +
          (s.assessments ? `, ${s.assessments} assessments` : '') +
          (s.frameworks ? `, ${s.frameworks} frameworks` : '') +
          '.',
      );
      setPlan(undefined);
    } catch (e) {
      setError(`Import failed and was rolled back: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="transfer-heading">
      <div class="view-head">
        <h2 id="transfer-heading">Export and import</h2>
        <p class="muted">
          Exports use the active framework, {data.active?.name ?? 'none'}, and {live.length} clips.
        </p>
      </div>
      <div class="export-grid">
        <article class="card export-card">
          <h3>Evidence pack</h3>
          <p>
            A printable document for the assessor, grouped by domain and criterion, with quotes, notes,
            document details, snapshot hashes and links that open the source page at the passage. Print it to
            PDF from the browser.
          </p>
          <a class="button" href="evidence-pack.html" target="_blank" rel="noopener">
            Open evidence pack<span class="visually-hidden"> (new tab)</span>
          </a>
        </article>
        <article class="card export-card">
          <h3>Gap analysis</h3>
          <p>
            One row per criterion: code, title, status, self-rating, evidence and stale counts, owner, action
            and due date. Cells are protected against spreadsheet formula injection.
          </p>
          <div class="card-actions">
            <button
              type="button"
              class="button"
              disabled={!data.coverage}
              onClick={() =>
                data.coverage &&
                downloadText(
                  gapAnalysisCsv(data.coverage, data.assessments),
                  exportFilename('gap-analysis', fwId, data.today, 'csv'),
                  'text/csv;charset=utf-8',
                )
              }
            >
              Download CSV
            </button>
            <button
              type="button"
              class="button secondary"
              disabled={!data.coverage}
              onClick={() =>
                data.coverage &&
                void gapAnalysisXlsx(gapRows(data.coverage, data.assessments)).then((blob) =>
                  downloadBlob(blob, exportFilename('gap-analysis', fwId, data.today, 'xlsx')),
                )
              }
            >
              Download XLSX
            </button>
          </div>
        </article>
        <article class="card export-card">
          <h3>Web Annotations (JSON-LD)</h3>
          <p>
            All clips as a W3C Web Annotation collection; criteria are <code>classifying</code> bodies with
            stable ids. Other annotation tools can read it; this extension re-imports it without loss.
          </p>
          <button
            type="button"
            class="button"
            onClick={() =>
              downloadText(
                JSON.stringify(
                  clipsToAnnotationCollection(data.clips, new Date().toISOString(), 'QSI evidence clips'),
                  null,
                  1,
                ),
                `qsi-annotations-${data.today}.jsonld`,
                'application/ld+json',
              )
            }
          >
            Download JSON-LD
          </button>
        </article>
        <article class="card export-card">
          <h3>Full backup</h3>
          <p>Every clip (deleted ones too), assessment and framework, to restore this extension exactly.</p>
          <button type="button" class="button" onClick={() => void exportBackup()}>
            Download backup
          </button>
        </article>
      </div>

      <div class="card import-card">
        <h3>Import annotations or a backup</h3>
        <p>
          Accepted: a W3C Web Annotation file (JSON-LD), a Hypothesis JSON export (tags that match criterion
          codes become criteria), or a backup from this extension. The file is checked completely first; if
          any record is malformed nothing is imported.
        </p>
        <label class="field file-field">
          <span>Annotation or backup file (.json, .jsonld)</span>
          <input
            type="file"
            accept=".json,.jsonld,application/json,application/ld+json"
            onChange={(e) => void onFile(e.currentTarget.files?.[0])}
          />
        </label>
        {error && (
          <p class="error-box" role="alert">
            {error}
          </p>
        )}
        {status && (
          <p class="ok" role="status">
            {status}
          </p>
        )}
        {plan && (
          <section class="preview" aria-label="Import preview">
            <h4>
              {plan.fileName} — {FORMAT_LABEL[plan.plan.format]}
            </h4>
            <ul>
              <li>
                {plan.plan.clips.length} clips ({plan.fresh} new, {plan.plan.clips.length - plan.fresh}{' '}
                already here)
              </li>
              {plan.plan.assessments.length > 0 && <li>{plan.plan.assessments.length} assessments</li>}
              {plan.plan.frameworks.length > 0 && <li>{plan.plan.frameworks.length} frameworks</li>}
              {plan.plan.skipped.length > 0 && (
                <li>
                  {plan.plan.skipped.length} records skipped (
                  {[...new Set(plan.plan.skipped.map((s) => s.reason))].join(', ')})
                </li>
              )}
            </ul>
            {plan.shared > 0 && (
              <div class="error-box" role="alert">
                <p>
                  {plan.shared} of these clips are already shared with your team. Importing replaces their
                  quote, criteria and notes for everyone; their authors stay as they are.
                </p>
                <label class="toggle">
                  <input
                    type="checkbox"
                    checked={replaceShared}
                    onChange={(e) => setReplaceShared(e.currentTarget.checked)}
                  />
                  Replace the {plan.shared} shared clips
                </label>
              </div>
            )}
            <div class="card-actions">
              <button
                type="button"
                class="button"
                disabled={busy || (plan.shared > 0 && !replaceShared)}
                onClick={() => void confirm()}
              >
                Import {plan.plan.clips.length} clips
              </button>
              <button type="button" class="button secondary" onClick={() => setPlan(undefined)}>
                Cancel
              </button>
            </div>
          </section>
        )}
      </div>
    </section>
  );
}
