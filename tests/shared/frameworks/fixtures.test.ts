// The committed framework fixtures (tests/fixtures/frameworks/), also used by dashboard import
// tests: each imports with exactly the outcome described here.
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../../shared/frameworks/csv';
import { demoFramework } from '../../../shared/frameworks/demo';
import { parseFrameworkJson, stringifyFramework } from '../../../shared/frameworks/json';
import { detectColumns, findHeaderRow, importRows } from '../../../shared/frameworks/tabular';
import { readXlsxRows } from '../../../shared/frameworks/xlsx';

const dir = 'tests/fixtures/frameworks';
const meta = { id: 'northshire-local', name: 'Northshire local criteria' };
const read = (f: string) => fs.readFileSync(`${dir}/${f}`, 'utf8');

describe('framework fixtures', () => {
  test('demo.json is the shipped demo framework (regenerate with stringifyFramework if this fails)', () => {
    expect(read('demo.json')).toBe(stringifyFramework(demoFramework));
    const r = parseFrameworkJson(read('demo.json'));
    expect(r.ok).toBe(true);
  });

  const expectedLocal = (codes: string[]) => {
    expect(codes).toEqual(['NL-S-01', 'NL-S-02', 'NL-S-03', 'NL-S-04', 'NL-L-01', 'NL-L-02', 'NL-P-01']);
  };

  test('local-criteria.csv (BOM, semicolons, quoted newline): 7 criteria, 3 domains, no errors', () => {
    const rows = parseCsv(read('local-criteria.csv'));
    const r = importRows(rows, detectColumns(rows[0] ?? []), meta);
    expect(r.errors).toEqual([]);
    expect(r.framework?.domains.map((d) => d.id)).toEqual(['safety', 'leadership', 'patient-experience']);
    expect(r.framework?.domains[0]?.standards.map((s) => s.id)).toEqual([
      'safety.patient-identification',
      'safety.equipment',
    ]);
    expectedLocal(
      r.framework?.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map((c) => c.code))) ?? [],
    );
    const qa = r.framework?.domains[0]?.standards[1]?.criteria[0];
    expect(qa?.guidance).toBe('QA schedule, results log and\nsuspension records');
  });

  test('local-criteria.xlsx (title rows above the header): same catalogue as the CSV', async () => {
    const rows = await readXlsxRows(fs.readFileSync(`${dir}/local-criteria.xlsx`));
    const headerRow = findHeaderRow(rows);
    expect(headerRow).toBe(2);
    const r = importRows(rows, detectColumns(rows[headerRow ?? 0] ?? []), meta, { headerRow });
    expect(r.errors).toEqual([]);
    const csvRows = parseCsv(read('local-criteria.csv'));
    expect(r.framework).toEqual(importRows(csvRows, detectColumns(csvRows[0] ?? []), meta).framework);
  });

  test('local-criteria-with-errors.csv: partial import, every bad row reported', () => {
    const rows = parseCsv(read('local-criteria-with-errors.csv'));
    const r = importRows(rows, detectColumns(rows[0] ?? []), meta);
    expect(r.partial).toBe(true);
    expect(r.imported).toBe(3);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'Code'],
      [4, 'Title'],
      [5, 'Code'],
      [6, 'Code'],
    ]);
    expect(r.warnings.map((w) => [w.row, w.column])).toEqual([[7, 'Title']]);
  });

  test('missing-code-column.csv: nothing imported, the missing column named', () => {
    const rows = parseCsv(read('missing-code-column.csv'));
    const r = importRows(rows, detectColumns(rows[0] ?? []), meta);
    expect(r.framework).toBeUndefined();
    expect(r.errors).toEqual([{ row: 1, message: expect.stringContaining('missing required column: code') }]);
  });
});
