// XLSX → rows of strings (first sheet) for the tabular framework import. Uses read-excel-file's
// universal entry, which needs only ArrayBuffer/zip/XML code, so it runs in Node and extension pages.
import { readSheet } from 'read-excel-file/universal';
import { fileSizeProblem, IMPORT_LIMITS } from '../import-limits';

/** Text of one cell as a person would read it; formulas are never evaluated (their cached value or text is used). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;

/**
 * Why a workbook's zip would inflate to too much, or null. Reads the zip's central directory the
 * way the inflater (fflate, inside read-excel-file) does: it sizes each entry's output buffer from
 * the declared uncompressed size and never grows it, so the declared sizes bound what is inflated.
 * Refuses ZIP64 (no workbook this extension imports needs it) and a directory it cannot read.
 */
export function xlsxSizeProblem(bytes: Uint8Array): string | null {
  const tooBig = fileSizeProblem(bytes.byteLength, IMPORT_LIMITS.frameworkFileBytes);
  if (tooBig) return tooBig;
  // 1. The end-of-central-directory record: the last signature within 22 + 65,535 bytes of the end.
  let end = bytes.byteLength - 22;
  while (end >= 0 && u32(bytes, end) !== END_OF_DIRECTORY) {
    if (bytes.byteLength - end > 22 + 0xffff) return 'This is not an XLSX workbook (no zip directory).';
    end -= 1;
  }
  if (end < 0) return 'This is not an XLSX workbook (no zip directory).';
  const entries = u16(bytes, end + 10);
  let at = u32(bytes, end + 16);
  if (entries === 0xffff || at === 0xffffffff) return 'This workbook uses ZIP64, which is not supported.';
  if (entries > IMPORT_LIMITS.xlsxEntries) return `This workbook has too many parts (${entries}).`;
  // 2. Each directory entry's declared uncompressed size, summed.
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.byteLength || u32(bytes, at) !== DIRECTORY_ENTRY)
      return 'This workbook’s zip directory is damaged.';
    total += u32(bytes, at + 24);
    if (total > IMPORT_LIMITS.xlsxUncompressedBytes)
      return `This workbook would unpack to more than ${IMPORT_LIMITS.xlsxUncompressedBytes / (1024 * 1024)} MB; it is not imported.`;
    at += 46 + u16(bytes, at + 28) + u16(bytes, at + 30) + u16(bytes, at + 32);
  }
  return null;
}

/**
 * Reads the first sheet of an `.xlsx` workbook into rows of strings.
 * Numbers become their shortest decimal text, dates `YYYY-MM-DD`, empty cells `''`.
 * @throws when the bytes are not an XLSX workbook (read-excel-file's `InvalidInputError`), or
 * would inflate past {@link IMPORT_LIMITS} (an Error with the reason), before inflating anything.
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
  const problem = xlsxSizeProblem(new Uint8Array(buffer));
  if (problem) throw new Error(problem);
  const sheet = await readSheet(buffer, 1, { trim: false });
  return sheet.map((row) => row.map(cellText));
}
