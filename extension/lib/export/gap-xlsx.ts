// Gap analysis as an XLSX workbook (write-excel-file). Text cells are written as strings (never
// formulas) and also formula-escaped, so a later save-as-CSV stays safe.
import writeXlsxFile, { type Cell, type SheetData } from 'write-excel-file/browser';
import { escapeFormula, GAP_COLUMNS, type GapRow } from '../../../shared/exports/gap-analysis';

const RAG_WORD = { red: 'Red', amber: 'Amber', green: 'Green', 'n/a': 'N/A' } as const;
const FILL = { red: '#FBE9E7', amber: '#FFF4D6', green: '#E3F4EA', 'n/a': '#FFFFFF' } as const;

export function gapSheetData(rows: readonly GapRow[]): SheetData {
  const header: Cell[] = GAP_COLUMNS.map((c) => ({
    value: c.header,
    fontWeight: 'bold',
    backgroundColor: '#005EB8',
    color: '#FFFFFF',
  }));
  const body = rows.map((r): Cell[] =>
    GAP_COLUMNS.map(({ key }): Cell => {
      if (key === 'evidence' || key === 'stale') return { type: Number, value: r[key] };
      if (key === 'status')
        return { type: String, value: RAG_WORD[r.status], backgroundColor: FILL[r.status] };
      const v = r[key];
      return { type: String, value: escapeFormula(String(v)), wrap: key === 'title' || key === 'action' };
    }),
  );
  return [header, ...body];
}

export async function gapAnalysisXlsx(rows: readonly GapRow[]): Promise<Blob> {
  return writeXlsxFile(gapSheetData(rows), {
    columns: GAP_COLUMNS.map((c) => ({ width: c.width })),
    stickyRowsCount: 1,
    sheet: 'Gap analysis',
  }).toBlob();
}
