// XLSX → rows of strings (first sheet) for the tabular framework import. Uses read-excel-file's
// universal entry, which needs only ArrayBuffer/zip/XML code, so it runs in Node and extension pages.
import { readSheet } from 'read-excel-file/universal';

/** Text of one cell as a person would read it; formulas are never evaluated (their cached value or text is used). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/**
 * Reads the first sheet of an `.xlsx` workbook into rows of strings.
 * Numbers become their shortest decimal text, dates `YYYY-MM-DD`, empty cells `''`.
 * @throws when the bytes are not an XLSX workbook (read-excel-file's `InvalidInputError`).
 */
export async function readXlsxRows(data: ArrayBuffer | Uint8Array): Promise<string[][]> {
  // A view on part of a larger buffer (e.g. a pooled Node Buffer, whose `slice` does not copy)
  // is copied into its own ArrayBuffer; `new Uint8Array(view)` always copies.
  const buffer =
    data instanceof Uint8Array
      ? data.byteOffset === 0 &&
        data.byteLength === data.buffer.byteLength &&
        data.buffer instanceof ArrayBuffer
        ? data.buffer
        : new Uint8Array(data).buffer
      : data;
  const sheet = await readSheet(buffer, 1, { trim: false });
  return sheet.map((row) => row.map(cellText));
}
