// CSV → rows of strings for the tabular framework import. Pure (papaparse's string parser only):
// never types values, never evaluates formulas; every cell stays the text that was in the file.
/// <reference path="./papaparse-module.d.ts" />
import Papa from 'papaparse/papaparse.min.js';

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * The delimiter of the header line: whichever of `,` `;` tab occurs most often outside quotes
 * (ties → `,`). The header is the most regular line of a criteria list; papaparse's own guess
 * looks at field-count consistency and is fooled by commas inside titles of `;` files.
 */
export function guessDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

export interface CsvReadout {
  rows: string[][];
  /** The delimiter used (see {@link guessDelimiter}). */
  delimiter: string;
  /** Structural problems papaparse noticed (e.g. an unclosed quote), with 1-based row numbers. */
  problems: { row?: number; message: string }[];
}

/**
 * Reads CSV text exported by Excel, LibreOffice or Google Sheets: strips a byte-order mark,
 * detects `,` / `;` / tab, keeps quoted newlines inside their cell and keeps blank lines as
 * empty rows so that row numbers match the spreadsheet's.
 */
export function readCsv(text: string): CsvReadout {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const result = Papa.parse(body, {
    delimiter: guessDelimiter(body),
    skipEmptyLines: false,
    dynamicTyping: false,
    header: false,
  });
  const rows = result.data;
  // A final line break yields one trailing empty record; it is not a spreadsheet row.
  const last = rows[rows.length - 1];
  if (last && last.length === 1 && last[0] === '') rows.pop();
  const problems = result.errors
    // With header:false every record may have its own width.
    .filter((e) => e.type !== 'FieldMismatch')
    .map((e) => ({ ...(e.row === undefined ? {} : { row: e.row + 1 }), message: e.message }));
  return { rows, delimiter: result.meta.delimiter, problems };
}

/** CSV text → rows of cells (see {@link readCsv}). */
export function parseCsv(text: string): string[][] {
  return readCsv(text).rows;
}
