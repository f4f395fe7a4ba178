// Tabular framework import (CSV/XLSX rows → Framework) with column mapping (docs/framework-format.md).
// Nothing is dropped silently: every rejected row comes back with its spreadsheet row number, and
// cell text is only ever treated as text (formula-looking cells are kept verbatim, never evaluated).
import { formatIssues } from '../errors';
import {
  criterionCodeSchema,
  criterionId,
  type Domain,
  FRAMEWORK_FORMAT,
  type Framework,
  frameworkSchema,
  LIMITS,
  type Standard,
  slugSchema,
} from '../schemas';

export const IMPORT_FIELDS = ['code', 'title', 'domain', 'standard', 'guidance'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** Which 0-based column holds each field; `code` and `title` are required. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

export interface ImportIssue {
  /** 1-based spreadsheet row, the header being row 1; 0 for problems not tied to a row. */
  row: number;
  /** Column header as written in the file (or its letter when the header cell is empty). */
  column?: string;
  message: string;
}

export interface ImportMeta {
  id: string;
  name: string;
  edition?: string;
  source?: string;
}

export interface ImportResult {
  /** Built from the good rows; absent when nothing usable could be built. */
  framework?: Framework;
  /** True when a framework was built but some rows were rejected (listed in `errors`). */
  partial: boolean;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  /** Criteria in `framework`. */
  imported: number;
  /** Non-blank data rows seen. */
  rows: number;
}

/** Default domain/standard title when the file has no such column. */
export const GENERAL_TITLE = 'General';

// Synonyms compare after lower-casing and removing everything but letters and digits, so
// "Criterion code", "criterion_code" and "CRITERION-CODE" are the same header.
const SYNONYMS: Record<ImportField, string[]> = {
  code: [
    'code',
    'criterioncode',
    'criteriacode',
    'ref',
    'reference',
    'refno',
    'criterionref',
    'criterionreference',
    'criterionid',
    'criterionno',
    'criterionnumber',
    'id',
    'no',
    'number',
    'itemcode',
  ],
  title: [
    'title',
    'criterion',
    'criteriontitle',
    'criteriontext',
    'criterionstatement',
    'criteriondescription',
    'criteria',
    'statement',
    'requirement',
    'description',
    'text',
    'name',
  ],
  domain: ['domain', 'domaintitle', 'domainname', 'section', 'area', 'theme', 'part'],
  standard: [
    'standard',
    'standardtitle',
    'standardname',
    'standardstatement',
    'subsection',
    'subdomain',
    'category',
    'group',
  ],
  guidance: [
    'guidance',
    'guidancenotes',
    'notes',
    'evidence',
    'evidenceguidance',
    'suggestedevidence',
    'exampleevidence',
    'examplesofevidence',
    'examples',
    'description',
    'comment',
    'comments',
  ],
};

// Fallback: a header containing one of these words (and no other field's word) maps to the field.
const KEYWORDS: Record<ImportField, string[]> = {
  code: ['code', 'ref'],
  title: ['title', 'criterion', 'statement'],
  domain: ['domain'],
  standard: ['standard'],
  guidance: ['guidance', 'evidence', 'note'],
};

const normaliseHeader = (h: string): string => h.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Suggests a column mapping from a header row. Exact synonyms win over keyword matches; each column
 * is used at most once; fields are claimed in the order code, title, domain, standard, guidance
 * (so with "Title" and "Description" both present, "Description" becomes guidance).
 */
export function detectColumns(header: readonly string[]): ColumnMapping {
  const norm = header.map((h) => normaliseHeader(h ?? ''));
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    let best = -1;
    let bestRank = Number.POSITIVE_INFINITY;
    norm.forEach((h, i) => {
      if (used.has(i) || h === '') return;
      const rank = SYNONYMS[field].indexOf(h);
      if (rank >= 0 && rank < bestRank) {
        best = i;
        bestRank = rank;
      }
    });
    if (best < 0) {
      best = norm.findIndex(
        (h, i) =>
          !used.has(i) &&
          KEYWORDS[field].some((k) => h.includes(k)) &&
          !IMPORT_FIELDS.some((other) => other !== field && KEYWORDS[other].some((k) => h.includes(k))),
      );
    }
    if (best >= 0) {
      mapping[field] = best;
      used.add(best);
    }
  }
  return mapping;
}

/** Spreadsheet column letter for a 0-based index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * Stable slug of a title: same title → same slug, across imports. Lowercase ASCII letters and
 * digits joined by "-", accents removed, at most 60 characters; `fallback` when nothing is left.
 */
export function slugify(title: string, fallback = 'item'): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || fallback;
}

/** Characters that make spreadsheet software treat a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** True when a cell's text would be taken as a formula by Excel/LibreOffice if written back out. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

// Same rule as criterionCodeSchema, checked without zod per row (10 000-row files); the schema
// still produces the message for a bad code and validates the whole framework at the end.
const CODE_FAST = /^[\p{L}\p{N}][\p{L}\p{N}._()/-]*$/u;

export interface ImportOptions {
  /** 0-based index of the header row when a title or notes sit above it (see {@link findHeaderRow}). */
  headerRow?: number;
}

/**
 * Index of the first row (among the first `maxScan`) whose headers map both code and title, for
 * sheets with a title or notes above the table; `undefined` when none does.
 */
export function findHeaderRow(rows: readonly (readonly string[])[], maxScan = 20): number | undefined {
  for (let i = 0; i < Math.min(rows.length, maxScan); i++) {
    const m = detectColumns(rows[i] ?? []);
    if (m.code !== undefined && m.title !== undefined) return i;
  }
  return undefined;
}

interface DomainAcc {
  domain: Domain;
  standards: Map<string, Standard>;
}

/**
 * Builds a framework from spreadsheet rows and a column mapping. The header is `rows[0]`, or
 * `rows[options.headerRow]`; rows above it are ignored. Row numbers always count from the sheet's
 * first row (`rows[i]` is row `i + 1`).
 *
 * 1. Missing or out-of-range `code`/`title` columns → errors, no framework.
 * 2. Blank rows are skipped (counted in a warning). A blank domain/standard cell continues the
 *    row above (merged cells read that way); with no such column everything goes under "General".
 * 3. Each row needs a valid code (letters, digits, `. _ - / ( )`, starting with a letter or digit)
 *    and a non-empty title; otherwise the row is reported and left out.
 * 4. A code seen before is reported with both row numbers; the first row wins.
 * 5. Domain and standard ids are slugs of their titles (standard ids prefixed by the domain's),
 *    made unique by a numeric suffix in order of first appearance.
 * 6. Cells starting with `=`, `+`, `-`, `@`, tab or CR are kept as text; such a code or title gets
 *    a warning (a leading `-`/`=` etc. is not a valid code, so that row is an error anyway).
 * 7. The result is validated with `frameworkSchema`; limits it breaks are reported.
 */
export function importRows(
  rows: readonly (readonly string[])[],
  mapping: ColumnMapping,
  meta: ImportMeta,
  options: ImportOptions = {},
): ImportResult {
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const headerRow = options.headerRow ?? 0;
  const header = rows[headerRow] ?? [];
  const width = Math.max(header.length, ...rows.slice(headerRow, headerRow + 50).map((r) => r.length));
  const colName = (i: number): string => {
    const h = (header[i] ?? '').trim();
    return h ? h : `column ${columnLetter(i)}`;
  };
  const fail = (): ImportResult => ({ partial: false, errors, warnings, imported: 0, rows: 0 });

  // Meta comes from the import form; its problems are not tied to a row.
  const idCheck = slugSchema.safeParse(meta.id);
  if (!idCheck.success)
    errors.push({
      row: 0,
      message: `framework id "${meta.id}": ${idCheck.error.issues[0]?.message ?? 'invalid'}`,
    });
  if (!meta.name.trim()) errors.push({ row: 0, message: 'framework name is empty' });

  // 1. Columns (and the meta above: nothing is read with an unusable id or name).
  if (rows.length <= headerRow) {
    errors.push({ row: headerRow + 1, message: 'the file is empty (no header row)' });
    return fail();
  }
  for (const field of IMPORT_FIELDS) {
    const col = mapping[field];
    if (col !== undefined && (!Number.isInteger(col) || col < 0 || col >= width)) {
      errors.push({
        row: headerRow + 1,
        message: `column for ${field} (${col}) is outside the sheet (${width} columns)`,
      });
    }
  }
  for (const field of ['code', 'title'] as const) {
    if (mapping[field] === undefined) {
      errors.push({
        row: headerRow + 1,
        message: `missing required column: ${field} (map a column to "${field}")`,
      });
    }
  }
  const seenCols = new Map<number, ImportField>();
  for (const field of IMPORT_FIELDS) {
    const col = mapping[field];
    if (col === undefined) continue;
    const prior = seenCols.get(col);
    if (prior)
      errors.push({
        row: headerRow + 1,
        column: colName(col),
        message: `column mapped to both ${prior} and ${field}`,
      });
    else seenCols.set(col, field);
  }
  if (errors.length) return fail();
  const codeCol = mapping.code ?? 0;
  const titleCol = mapping.title ?? 0;
  const { domain: domainCol, standard: standardCol, guidance: guidanceCol } = mapping;
  if (domainCol === undefined) {
    warnings.push({
      row: headerRow + 1,
      message: `no domain column: all criteria go under the domain "${GENERAL_TITLE}"`,
    });
  }
  if (standardCol === undefined) {
    warnings.push({
      row: headerRow + 1,
      message: `no standard column: criteria go under a standard "${GENERAL_TITLE}" in each domain`,
    });
  }

  const domains = new Map<string, DomainAcc>();
  const usedDomainIds = new Set<string>();
  const usedStandardIds = new Set<string>();
  const unique = (base: string, used: Set<string>): string => {
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
  const codeRows = new Map<string, number>();
  let currentDomain = '';
  let currentStandard = '';
  let blank = 0;
  let dataRows = 0;
  let imported = 0;

  for (let r = headerRow + 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    const rowNo = r + 1;
    const cell = (col: number | undefined): string => (col === undefined ? '' : (row[col] ?? ''));
    if (row.every((c) => (c ?? '').trim() === '')) {
      blank += 1;
      continue;
    }
    dataRows += 1;

    // 2. Domain and standard, continuing from the row above when blank.
    const domainCell = cell(domainCol).trim();
    const standardCell = cell(standardCol).trim();
    if (domainCol !== undefined) {
      if (domainCell) {
        if (domainCell !== currentDomain) currentStandard = '';
        currentDomain = domainCell;
      } else if (!currentDomain) {
        warnings.push({
          row: rowNo,
          column: colName(domainCol),
          message: `empty domain: using "${GENERAL_TITLE}"`,
        });
        currentDomain = GENERAL_TITLE;
      }
    } else currentDomain = GENERAL_TITLE;
    if (standardCol !== undefined) {
      if (standardCell) currentStandard = standardCell;
      else if (!currentStandard) {
        warnings.push({
          row: rowNo,
          column: colName(standardCol),
          message: `empty standard: using "${GENERAL_TITLE}"`,
        });
        currentStandard = GENERAL_TITLE;
      }
    } else currentStandard = GENERAL_TITLE;

    // 6. Formula-looking code/title: kept as text, flagged.
    const rawCode = cell(codeCol);
    const rawTitle = cell(titleCol);
    for (const [col, raw, what] of [
      [codeCol, rawCode, 'code'],
      [titleCol, rawTitle, 'title'],
    ] as const) {
      if (looksLikeFormula(raw)) {
        warnings.push({
          row: rowNo,
          column: colName(col),
          message: `${what} starts with "${JSON.stringify(raw[0]).slice(1, -1)}", which spreadsheets treat as a formula; kept as plain text`,
        });
      }
    }

    // 3. Code and title.
    let bad = false;
    const code = rawCode.trim();
    if (!code) {
      errors.push({ row: rowNo, column: colName(codeCol), message: 'missing code' });
      bad = true;
    } else if (!(code.length <= LIMITS.code && CODE_FAST.test(code))) {
      const checked = criterionCodeSchema.safeParse(code);
      if (!checked.success) {
        errors.push({
          row: rowNo,
          column: colName(codeCol),
          message: `invalid code "${code.slice(0, 80)}": ${checked.error.issues[0]?.message ?? 'invalid'}`,
        });
        bad = true;
      }
    }
    const title = rawTitle.trim();
    if (!title) {
      errors.push({ row: rowNo, column: colName(titleCol), message: 'empty title' });
      bad = true;
    } else if (title.length > LIMITS.title) {
      errors.push({
        row: rowNo,
        column: colName(titleCol),
        message: `title longer than ${LIMITS.title} characters`,
      });
      bad = true;
    }
    const guidance = cell(guidanceCol).trim();
    if (guidanceCol !== undefined && guidance.length > LIMITS.longText) {
      errors.push({
        row: rowNo,
        column: colName(guidanceCol),
        message: `guidance longer than ${LIMITS.longText} characters`,
      });
      bad = true;
    }
    if (currentDomain.length > LIMITS.title || currentStandard.length > LIMITS.title) {
      errors.push({ row: rowNo, message: `domain or standard title longer than ${LIMITS.title} characters` });
      bad = true;
    }

    // 4. Duplicates.
    if (code && !bad) {
      const first = codeRows.get(code);
      if (first !== undefined) {
        errors.push({
          row: rowNo,
          column: colName(codeCol),
          message: `duplicate code "${code}" (rows ${first} and ${rowNo}); row ${rowNo} left out`,
        });
        bad = true;
      } else codeRows.set(code, rowNo);
    }
    if (bad) continue;

    // 5. Place it.
    let d = domains.get(currentDomain);
    if (!d) {
      d = {
        domain: {
          id: unique(slugify(currentDomain, 'domain'), usedDomainIds),
          title: currentDomain,
          standards: [],
        },
        standards: new Map(),
      };
      domains.set(currentDomain, d);
    }
    let s = d.standards.get(currentStandard);
    if (!s) {
      s = {
        id: unique(`${d.domain.id}.${slugify(currentStandard, 'standard')}`, usedStandardIds),
        title: currentStandard,
        criteria: [],
      };
      d.standards.set(currentStandard, s);
      d.domain.standards.push(s);
    }
    s.criteria.push({
      id: criterionId(meta.id, code),
      code,
      title,
      ...(guidance ? { guidance } : {}),
    });
    imported += 1;
  }
  if (blank) warnings.push({ row: 0, message: `${blank} blank row${blank === 1 ? '' : 's'} skipped` });
  if (dataRows === 0) errors.push({ row: 0, message: 'no criteria rows below the header' });
  if (imported === 0) return { partial: false, errors, warnings, imported: 0, rows: dataRows };

  // 7. Whole-framework validation (limits, meta).
  const candidate: Framework = {
    format: FRAMEWORK_FORMAT,
    id: meta.id,
    name: meta.name.trim(),
    ...(meta.edition ? { edition: meta.edition } : {}),
    ...(meta.source ? { source: meta.source } : {}),
    domains: [...domains.values()].map((d) => d.domain),
  };
  const checked = frameworkSchema.safeParse(candidate);
  if (!checked.success) {
    for (const line of formatIssues(checked.error)) errors.push({ row: 0, message: line });
    return { partial: false, errors, warnings, imported: 0, rows: dataRows };
  }
  return { framework: checked.data, partial: errors.length > 0, errors, warnings, imported, rows: dataRows };
}
