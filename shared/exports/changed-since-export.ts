// "What changed since" for an assessor without the extension: one row per change (CSV through the
// formula-safe writer of gap-analysis.ts; the XLSX writer in extension/lib/export reuses the rows)
// and a standalone printable HTML page. Pure; every user text is escaped.
import type { DiffPart } from '../anchoring/diff';
import { CHANGE_LABEL, type Change, type ChangedSince, describeChange } from '../changed-since';
import { toCsv } from './gap-analysis';

export const CHANGED_SINCE_COLUMNS = [
  { key: 'domain', header: 'Domain', width: 24 },
  { key: 'standard', header: 'Standard', width: 24 },
  { key: 'code', header: 'Code', width: 12 },
  { key: 'criterion', header: 'Criterion', width: 40 },
  { key: 'change', header: 'Change', width: 26 },
  { key: 'document', header: 'Document', width: 30 },
  { key: 'before', header: 'Before', width: 40 },
  { key: 'after', header: 'After', width: 40 },
  { key: 'detail', header: 'Detail', width: 50 },
] as const;
export type ChangedSinceRow = Record<(typeof CHANGED_SINCE_COLUMNS)[number]['key'], string>;

function beforeAfter(ch: Change): { document: string; before: string; after: string } {
  switch (ch.type) {
    case 'added':
      return { document: ch.clip.title || ch.clip.url, before: '', after: ch.clip.quote };
    case 'removed':
      return { document: ch.clip.title || ch.clip.url, before: ch.clip.quote, after: '' };
    case 'stale':
      return { document: ch.clip.title || ch.clip.url, before: ch.clip.quote, after: ch.clip.quote };
    case 'edited':
    case 'relocated':
    case 'version':
      return { document: ch.clip.title || ch.clip.url, before: ch.before, after: ch.after };
    default:
      return { document: '', before: ch.before, after: ch.after };
  }
}

/** One row per change, criteria in the framework's order. */
export function changedSinceRows(result: ChangedSince): ChangedSinceRow[] {
  return result.criteria.flatMap((c) =>
    c.changes.map((ch) => ({
      domain: c.domain,
      standard: c.standard,
      code: c.code,
      criterion: c.title,
      change: CHANGE_LABEL[ch.type],
      ...beforeAfter(ch),
      detail: describeChange(ch),
    })),
  );
}

/** RFC 4180 CSV, formula-safe (shared/exports/gap-analysis.ts `toCsv`). */
export function changedSinceCsv(result: ChangedSince): string {
  const rows = changedSinceRows(result);
  return toCsv([
    CHANGED_SINCE_COLUMNS.map((c) => c.header),
    ...rows.map((r) => CHANGED_SINCE_COLUMNS.map((c) => r[c.key])),
  ]);
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text made safe for HTML element content and quoted attributes. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ESC[ch] ?? ch);

function diffHtml(parts: readonly DiffPart[]): string {
  return parts
    .map((p) =>
      p.op === 'same'
        ? escapeHtml(p.text)
        : p.op === 'removed'
          ? `<del><span class="sr">removed: </span>${escapeHtml(p.text)}</del>`
          : `<ins><span class="sr">added: </span>${escapeHtml(p.text)}</ins>`,
    )
    .join(' ');
}

function changeHtml(ch: Change): string {
  const label = `<strong>${escapeHtml(CHANGE_LABEL[ch.type])}</strong>`;
  if (ch.type === 'edited' || ch.type === 'relocated') {
    const flags = ch.diff.flags.length
      ? `<p class="flags">Meaning changed: ${ch.diff.flags.map((f) => escapeHtml(`${f.flag}: “${f.removed}” → “${f.added}”`)).join('; ')}</p>`
      : '';
    const doc = escapeHtml(ch.clip.title || ch.clip.url);
    return `${label} — ${doc}${flags}<p class="diff">${diffHtml(ch.diff.parts)}</p>`;
  }
  return `${label} — ${escapeHtml(describeChange(ch))}`;
}

/** A standalone printable page (no script, no external resource). */
export function changedSinceHtml(result: ChangedSince, title: string): string {
  const body = result.criteria
    .map(
      (c) => `<section><h2>${escapeHtml(c.code)} ${escapeHtml(c.title)}</h2>
<p class="where">${escapeHtml(c.domain)} › ${escapeHtml(c.standard)}</p>
<ul>${c.changes.map((ch) => `<li>${changeHtml(ch)}</li>`).join('\n')}</ul></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;color:#212b32;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.1rem;margin:1.5rem 0 .2rem}.where{color:#4c6272;margin:0}
ul{padding-left:1.2rem}li{margin:.4rem 0}.diff{background:#f0f4f5;padding:.3rem .5rem;border-radius:4px}
del{background:#fde8e6;color:#8b1a10}ins{background:#e3f3e8;color:#00401e;font-weight:600}
.flags{color:#8a4b00;margin:.2rem 0}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media print{body{margin:0}}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(result.current.label)} (${escapeHtml(result.current.day)}) compared with ${escapeHtml(result.base.label)} (${escapeHtml(result.base.day)}): ${result.total} change(s) in ${result.criteria.length} criteria.</p>
${body || '<p>No changes.</p>'}
</body></html>
`;
}
