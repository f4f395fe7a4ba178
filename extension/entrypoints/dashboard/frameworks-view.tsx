// Frameworks: the installed catalogues side by side (coverage of each, choose the active one) and
// import from JSON, CSV or XLSX with a column-mapping preview and a report of bad rows.

import { useMemo, useState } from 'preact/hooks';
import { coverageFromAggregates } from '../../../shared/coverage';
import { readCsv } from '../../../shared/frameworks/csv';
import { parseFrameworkJson, stringifyFramework } from '../../../shared/frameworks/json';
import {
  type ColumnMapping,
  columnLetter,
  detectColumns,
  IMPORT_FIELDS,
  type ImportField,
  importRows,
  slugify,
} from '../../../shared/frameworks/tabular';
import { readXlsxRows } from '../../../shared/frameworks/xlsx';
import { fileSizeProblem, IMPORT_LIMITS } from '../../../shared/import-limits';
import type { Framework } from '../../../shared/schemas';
import { CoverageBar } from '../../components/coverage-bar';
import type { ClipperDb } from '../../lib/db';
import { downloadText } from '../../lib/export/download';
import { setActiveFramework } from '../../lib/frameworks';
import { saveFramework } from '../../lib/mutations';
import type { DashboardData } from './data';
import { PublishFramework } from './publish-framework';

const FIELD_LABEL: Record<ImportField, string> = {
  code: 'Code (required)',
  title: 'Title (required)',
  domain: 'Domain',
  standard: 'Standard',
  guidance: 'Guidance',
};

const count = (f: Framework) => {
  const standards = f.domains.reduce((n, d) => n + d.standards.length, 0);
  const criteria = f.domains.reduce((n, d) => n + d.standards.reduce((m, s) => m + s.criteria.length, 0), 0);
  return { domains: f.domains.length, standards, criteria };
};

type Loaded =
  | { kind: 'json'; fileName: string; framework: Framework }
  | { kind: 'json-error'; fileName: string; message: string; issues: string[] }
  | { kind: 'table'; fileName: string; rows: string[][] }
  | { kind: 'read-error'; fileName: string; message: string };

export function FrameworksView({ db, data }: { db: ClipperDb; data: DashboardData }) {
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [done, setDone] = useState('');

  const onFile = async (file: File | undefined) => {
    setDone('');
    if (!file) return;
    const name = file.name;
    const tooBig = fileSizeProblem(file.size, IMPORT_LIMITS.frameworkFileBytes);
    if (tooBig) {
      setLoaded({ kind: 'read-error', fileName: name, message: tooBig });
      return;
    }
    try {
      if (/\.json$/i.test(name)) {
        const r = parseFrameworkJson(await file.text());
        setLoaded(
          r.ok
            ? { kind: 'json', fileName: name, framework: r.value }
            : { kind: 'json-error', fileName: name, message: r.error.message, issues: r.error.issues },
        );
      } else if (/\.xlsx$/i.test(name)) {
        setLoaded({ kind: 'table', fileName: name, rows: await readXlsxRows(await file.arrayBuffer()) });
      } else if (/\.(csv|tsv|txt)$/i.test(name)) {
        setLoaded({ kind: 'table', fileName: name, rows: readCsv(await file.text()).rows });
      } else {
        setLoaded({ kind: 'read-error', fileName: name, message: 'Choose a .json, .csv or .xlsx file.' });
      }
    } catch (e) {
      setLoaded({
        kind: 'read-error',
        fileName: name,
        message: `This file could not be read: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  };

  const install = async (fw: Framework, activate: boolean) => {
    await saveFramework(db, fw, { activate });
    setLoaded(undefined);
    setDone(
      `Installed “${fw.name}” (${count(fw).criteria} criteria)${activate ? ' and made it active' : ''}.`,
    );
  };

  return (
    <section aria-labelledby="frameworks-heading">
      <div class="view-head">
        <h2 id="frameworks-heading">Frameworks</h2>
        <p class="muted">
          Criteria catalogues live side by side; coverage, the popup and exports follow the active one.
        </p>
      </div>
      <div class="framework-grid">
        {data.frameworks.map((f) => {
          const n = count(f);
          const cov = coverageFromAggregates({
            framework: f,
            aggregates: data.aggregates,
            assessments: data.assessments,
            today: data.today,
          });
          const active = f.id === data.activeId;
          return (
            <article
              key={f.id}
              class={`card framework-card${active ? ' active' : ''}`}
              aria-labelledby={`fw-${f.id}`}
            >
              <h3 id={`fw-${f.id}`}>{f.name}</h3>
              {active && <p class="active-flag">✓ Active framework</p>}
              <p class="muted small">
                {f.edition ? `${f.edition} · ` : ''}
                {n.domains} domains · {n.standards} standards · {n.criteria} criteria
              </p>
              {f.notice && <p class="notice small">{f.notice}</p>}
              {n.criteria > 0 && <CoverageBar tally={cov.tally} label={`Coverage of ${f.name}`} />}
              <div class="card-actions">
                {!active && (
                  <button
                    type="button"
                    class="button"
                    disabled={data.managedFrameworkId !== undefined}
                    aria-describedby={data.managedFrameworkId ? 'managed-framework-note' : undefined}
                    onClick={() => void setActiveFramework(db, f.id)}
                  >
                    Make active<span class="visually-hidden"> — {f.name}</span>
                  </button>
                )}
                <button
                  type="button"
                  class="button secondary"
                  onClick={() =>
                    downloadText(stringifyFramework(f), `${f.id}.framework.json`, 'application/json')
                  }
                >
                  Download JSON<span class="visually-hidden"> of {f.name}</span>
                </button>
                <PublishFramework db={db} framework={f} />
              </div>
            </article>
          );
        })}
      </div>

      <div class="card import-card">
        <h3>Import a criteria list</h3>
        <p>
          Load your team’s list once from the colleges’ support tool or the standard: our JSON format, or a
          CSV or XLSX sheet with one row per criterion (code, title, and optionally domain, standard and
          guidance).
        </p>
        <label class="field file-field">
          <span>Criteria file (.json, .csv or .xlsx)</span>
          <input
            type="file"
            accept=".json,.csv,.tsv,.txt,.xlsx,application/json,text/csv"
            onChange={(e) => void onFile(e.currentTarget.files?.[0])}
          />
        </label>
        {done && (
          <p class="ok" role="status">
            {done}
          </p>
        )}
        {loaded?.kind === 'read-error' && (
          <p class="error" role="alert">
            {loaded.fileName}: {loaded.message}
          </p>
        )}
        {loaded?.kind === 'json-error' && (
          <div class="error-box" role="alert">
            <p>
              <strong>{loaded.fileName}</strong> is {loaded.message}
            </p>
            <ul>
              {loaded.issues.slice(0, 20).map((i) => (
                <li key={i}>{i}</li>
              ))}
            </ul>
          </div>
        )}
        {loaded?.kind === 'json' && (
          <FrameworkPreview
            framework={loaded.framework}
            replaces={data.frameworks.some((f) => f.id === loaded.framework.id)}
            onInstall={(activate) => void install(loaded.framework, activate)}
          />
        )}
        {loaded?.kind === 'table' && (
          <TableImport
            key={loaded.fileName}
            fileName={loaded.fileName}
            rows={loaded.rows}
            existing={data.frameworks.map((f) => f.id)}
            onInstall={(fw, activate) => void install(fw, activate)}
          />
        )}
      </div>
    </section>
  );
}

function FrameworkPreview({
  framework,
  replaces,
  onInstall,
}: {
  framework: Framework;
  replaces: boolean;
  onInstall: (activate: boolean) => void;
}) {
  const n = count(framework);
  return (
    <section class="preview" aria-label="Import preview">
      <h4>
        {framework.name} {framework.edition && <span class="muted">({framework.edition})</span>}
      </h4>
      <p>
        {n.domains} domains · {n.standards} standards · {n.criteria} criteria
      </p>
      <ul class="preview-domains">
        {framework.domains.map((d) => (
          <li key={d.id}>
            {d.title} — {d.standards.reduce((m, s) => m + s.criteria.length, 0)} criteria
          </li>
        ))}
      </ul>
      {replaces && (
        <p class="notice">A framework with the id “{framework.id}” is installed: installing replaces it.</p>
      )}
      <div class="card-actions">
        <button type="button" class="button" onClick={() => onInstall(true)}>
          Install and make active
        </button>
        <button type="button" class="button secondary" onClick={() => onInstall(false)}>
          Install
        </button>
      </div>
    </section>
  );
}

function TableImport({
  fileName,
  rows,
  existing,
  onInstall,
}: {
  fileName: string;
  rows: string[][];
  existing: string[];
  onInstall: (fw: Framework, activate: boolean) => void;
}) {
  const header = rows[0] ?? [];
  const baseName = fileName.replace(/\.[^.]+$/, '');
  const [mapping, setMapping] = useState<ColumnMapping>(() => detectColumns(header));
  const [name, setName] = useState(baseName);
  const [edition, setEdition] = useState('');
  const id = slugify(name, 'imported');
  const result = useMemo(
    () =>
      importRows(rows, mapping, {
        id,
        name,
        ...(edition ? { edition } : {}),
        source: `Imported from ${fileName}`,
      }),
    [rows, mapping, id, name, edition],
  );
  const width = Math.max(header.length, ...rows.slice(0, 50).map((r) => r.length));
  const columns = Array.from({ length: width }, (_, i) => i);
  const colLabel = (i: number) => `${columnLetter(i)}${header[i]?.trim() ? ` — ${header[i]?.trim()}` : ''}`;
  const mapped = IMPORT_FIELDS.filter((f) => mapping[f] !== undefined);
  return (
    <section class="preview" aria-label="Import preview">
      <h4>Map the columns of {fileName}</h4>
      <div class="form-grid">
        <label class="field">
          <span>Framework name</span>
          <input class="input" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Edition (optional)</span>
          <input class="input" value={edition} onInput={(e) => setEdition(e.currentTarget.value)} />
        </label>
        <p class="field muted small">
          Id: <code>{id}</code>
          {existing.includes(id) ? ' — replaces the installed framework with this id' : ''}
        </p>
      </div>
      <div class="form-grid mapping">
        {IMPORT_FIELDS.map((f) => (
          <label key={f} class="field">
            <span>{FIELD_LABEL[f]}</span>
            <select
              class="input"
              value={mapping[f] === undefined ? '' : String(mapping[f])}
              onChange={(e) => {
                const v = e.currentTarget.value;
                const next = { ...mapping };
                if (v === '') delete next[f];
                else next[f] = Number(v);
                setMapping(next);
              }}
            >
              <option value="">— not in this file —</option>
              {columns.map((i) => (
                <option key={i} value={String(i)}>
                  {colLabel(i)}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <div class="table-scroll">
        <table class="mapping-preview">
          <caption>First rows as they will be read</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              {mapped.map((f) => (
                <th key={f} scope="col">
                  {f}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(1, 9).map((r, i) => (
              <tr key={i}>
                <td class="muted">{i + 2}</td>
                {mapped.map((f) => {
                  const col = mapping[f];
                  return <td key={f}>{col === undefined ? '' : (r[col] ?? '')}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class={result.framework ? 'ok' : 'error'} role="status">
        {result.framework
          ? `${result.imported} of ${result.rows} rows make criteria${result.errors.length ? `; ${result.errors.length === 1 ? '1 row has a problem and is' : `${result.errors.length} rows have problems and are`} left out` : ''}.`
          : 'Nothing can be imported with this mapping yet.'}
      </p>
      {result.errors.length > 0 && (
        <details class="issues" open>
          <summary>
            Problems ({result.errors.length}){result.partial ? ' — these rows are left out' : ''}
          </summary>
          <table>
            <caption class="visually-hidden">Rows with problems</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.slice(0, 100).map((e, i) => (
                <tr key={i}>
                  <td>{e.row || '—'}</td>
                  <td>{e.column ?? ''}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {result.warnings.length > 0 && (
        <details class="issues">
          <summary>Warnings ({result.warnings.length})</summary>
          <ul>
            {result.warnings.slice(0, 100).map((w, i) => (
              <li key={i}>
                {w.row ? `Row ${w.row}: ` : ''}
                {w.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div class="card-actions">
        <button
          type="button"
          class="button"
          disabled={!result.framework}
          onClick={() => result.framework && onInstall(result.framework, true)}
        >
          Install and make active
        </button>
        <button
          type="button"
          class="button secondary"
          disabled={!result.framework}
          onClick={() => result.framework && onInstall(result.framework, false)}
        >
          Install
        </button>
      </div>
    </section>
  );
}
