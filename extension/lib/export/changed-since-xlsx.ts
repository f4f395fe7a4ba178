// "What changed since" as an XLSX workbook (write-excel-file): every cell a string (never a
// formula) and formula-escaped as well, like the gap analysis workbook.
import writeXlsxFile, { type Cell, type SheetData } from 'write-excel-file/browser';
import type { ChangedSince } from '../../../shared/changed-since';
import { CHANGED_SINCE_COLUMNS, changedSinceRows } from '../../../shared/exports/changed-since-export';
import { escapeFormula } from '../../../shared/exports/gap-analysis';

export function changedSinceSheetData(result: ChangedSince): SheetData {
  const header: Cell[] = CHANGED_SINCE_COLUMNS.map((c) => ({
    value: c.header,
    fontWeight: 'bold',
    backgroundColor: '#005EB8',
    color: '#FFFFFF',
  }));
  const body = changedSinceRows(result).map((r): Cell[] =>
    CHANGED_SINCE_COLUMNS.map(
      ({ key }): Cell => ({ type: String, value: escapeFormula(r[key]), wrap: true }),
    ),
  );
  return [header, ...body];
}

export async function changedSinceXlsx(result: ChangedSince): Promise<Blob> {
  return writeXlsxFile(changedSinceSheetData(result), {
    columns: CHANGED_SINCE_COLUMNS.map((c) => ({ width: c.width })),
    stickyRowsCount: 1,
    sheet: 'Changed since',
  }).toBlob();
}
