// Gap analysis rows (one per criterion) and a CSV writer that is safe to open in a spreadsheet.
// Pure: the XLSX writer in extension/lib/export reuses the same rows.
import type { Coverage, CriterionStatus, Rag } from '../coverage';
import type { Assessment, Rating } from '../schemas';

/**
 * Neutralises spreadsheet formula injection (OWASP "CSV Injection"): a text cell that starts with
 * `=`, `+`, `-`, `@`, tab or carriage return is prefixed with a single quote so that Excel,
 * LibreOffice and Google Sheets show it as text instead of evaluating it. The full-width forms
 * (`＝＋－＠`) are included: Excel in East Asian locales reads `＝1+1` as a formula.
 */
export function escapeFormula(value: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
}

/** One CSV field: formula-escaped, then quoted when it contains a delimiter, quote or line break. */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = escapeFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV with CRLF line ends and a UTF-8 BOM (so Excel reads accents and dashes right). */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export interface GapRow {
  domain: string;
  standard: string;
  code: string;
  title: string;
  status: Rag;
  rating: Rating;
  evidence: number;
  stale: number;
  owner: string;
  action: string;
  dueDate: string;
  comment: string;
}

export const GAP_COLUMNS: readonly { key: keyof GapRow; header: string; width: number }[] = [
  { key: 'domain', header: 'Domain', width: 28 },
  { key: 'standard', header: 'Standard', width: 28 },
  { key: 'code', header: 'Code', width: 14 },
  { key: 'title', header: 'Criterion', width: 60 },
  { key: 'status', header: 'Status (RAG)', width: 12 },
  { key: 'rating', header: 'Self-rating', width: 12 },
  { key: 'evidence', header: 'Evidence', width: 10 },
  { key: 'stale', header: 'Stale', width: 8 },
  { key: 'owner', header: 'Owner', width: 20 },
  { key: 'action', header: 'Action', width: 40 },
  { key: 'dueDate', header: 'Due date', width: 12 },
  { key: 'comment', header: 'Comment', width: 40 },
];

const RAG_WORD: Record<Rag, string> = { red: 'Red', amber: 'Amber', green: 'Green', 'n/a': 'N/A' };
const RATING_WORD: Record<Rating, string> = {
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  'n/a': 'N/A',
  unrated: 'Unrated',
};

/** One row per criterion, in framework order. */
export function gapRows(coverage: Coverage<CriterionStatus>, assessments: readonly Assessment[]): GapRow[] {
  const byId = new Map(assessments.map((a) => [a.criterionId, a]));
  const rows: GapRow[] = [];
  for (const d of coverage.domains) {
    for (const s of d.standards) {
      for (const c of s.criteria) {
        const a = byId.get(c.id);
        rows.push({
          domain: d.title,
          standard: s.title,
          code: c.code,
          title: c.title,
          status: c.rag,
          rating: c.rating,
          evidence: c.evidence,
          stale: c.stale,
          owner: a?.owner ?? '',
          action: a?.action ?? '',
          dueDate: a?.dueDate ?? '',
          comment: a?.comment ?? '',
        });
      }
    }
  }
  return rows;
}

/** Header row plus one row of display values per criterion (numbers stay numbers). */
export function gapTable(rows: readonly GapRow[]): (string | number)[][] {
  return [
    GAP_COLUMNS.map((c) => c.header),
    ...rows.map((r) =>
      GAP_COLUMNS.map(({ key }) =>
        key === 'status' ? RAG_WORD[r.status] : key === 'rating' ? RATING_WORD[r.rating] : r[key],
      ),
    ),
  ];
}

/** The gap analysis as CSV text. */
export function gapAnalysisCsv(
  coverage: Coverage<CriterionStatus>,
  assessments: readonly Assessment[],
): string {
  return toCsv(gapTable(gapRows(coverage, assessments)));
}
