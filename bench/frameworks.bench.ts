// Framework import speed (target: a 10 000-row file imports in a couple of seconds at most).
// Floor for CSV = papaparse parsing the same text alone; for XLSX = read-excel-file reading the sheet alone.
import { readSheet } from 'read-excel-file/universal';
import writeXlsxFile from 'write-excel-file/universal';
import { parseCsv } from '../shared/frameworks/csv';
import { detectColumns, importRows } from '../shared/frameworks/tabular';
import { readXlsxRows } from '../shared/frameworks/xlsx';
import { type BenchResult, median } from './result';

const ROWS = 10_000;
const RUNS = 5;
const meta = { id: 'bench', name: 'Bench catalogue' };

function rows(): string[][] {
  const out = [['Domain', 'Standard', 'Criterion code', 'Criterion', 'Guidance']];
  for (let i = 0; i < ROWS; i++) {
    out.push([
      `Domain ${Math.floor(i / 1000)}`,
      `Standard ${Math.floor(i / 50)}`,
      `BENCH-${String(i).padStart(5, '0')}`,
      `Criterion ${i}: the service keeps a written, reviewed procedure for this activity`,
      i % 2 ? '' : `Evidence such as audit reports, minutes and policy extracts for item ${i}`,
    ]);
  }
  return out;
}

async function time(fn: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export default async function bench(emit: (r: BenchResult) => void): Promise<void> {
  const data = rows();
  const csv = data.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');
  const Papa = (await import('papaparse')).default;
  const csvFloor = await time(() => Papa.parse(csv, { delimiter: ',' }));
  const csvValue = await time(() => {
    const parsed = parseCsv(csv);
    const r = importRows(parsed, detectColumns(parsed[0] ?? []), meta);
    if (r.imported !== ROWS) throw new Error(`CSV import lost rows: ${r.imported}`);
  });
  emit({
    name: 'framework-import-csv-10k',
    value: csvValue,
    unit: 'ms',
    floor: csvFloor,
    target: '<= 2000 ms',
  });

  const blob = await writeXlsxFile(data.map((r) => r.map((value) => ({ value }))) as never).toBlob();
  const bytes = await blob.arrayBuffer();
  const xlsxFloor = await time(() => readSheet(bytes));
  const xlsxValue = await time(async () => {
    const parsed = await readXlsxRows(bytes);
    const r = importRows(parsed, detectColumns(parsed[0] ?? []), meta);
    if (r.imported !== ROWS) throw new Error(`XLSX import lost rows: ${r.imported}`);
  });
  emit({
    name: 'framework-import-xlsx-10k',
    value: xlsxValue,
    unit: 'ms',
    floor: xlsxFloor,
    target: '<= 2000 ms',
  });
}
