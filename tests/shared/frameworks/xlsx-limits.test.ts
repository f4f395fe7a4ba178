// Zip bombs and oversized files in the XLSX framework import: refused with a clear reason before
// anything is inflated; an ordinary workbook still reads.
import { zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import writeXlsxFile from 'write-excel-file/universal';
import { readXlsxRows, xlsxSizeProblem } from '../../../shared/frameworks/xlsx';
import { fileSizeProblem, IMPORT_LIMITS } from '../../../shared/import-limits';

const MB = 1024 * 1024;

async function workbook(): Promise<Uint8Array> {
  const blob = await writeXlsxFile([
    [{ value: 'Code' }, { value: 'Title' }],
    [{ value: 'A' }, { value: 'One' }],
  ]).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

/** Offsets of the central-directory entries' uncompressed-size fields. */
function directorySizeFields(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= zip.byteLength; i++) if (view.getUint32(i, true) === 0x02014b50) out.push(i + 24);
  return out;
}

describe('XLSX size limits', () => {
  test('an ordinary workbook passes and reads', async () => {
    const bytes = await workbook();
    expect(xlsxSizeProblem(bytes)).toBeNull();
    expect(await readXlsxRows(bytes)).toEqual([
      ['Code', 'Title'],
      ['A', 'One'],
    ]);
  });

  test('a real zip bomb (a few kB inflating to 60 MB) is refused before inflating', async () => {
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(60 * MB) }, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(1 * MB);
    await expect(readXlsxRows(bomb)).rejects.toThrow(/would unpack to more than 50 MB/);
  });

  test('many small entries that add up past the cap are refused too', () => {
    const parts: Record<string, Uint8Array> = {};
    for (let i = 0; i < 6; i++) parts[`xl/part${i}.xml`] = new Uint8Array(9 * MB);
    expect(xlsxSizeProblem(zipSync(parts, { level: 1 }))).toMatch(/would unpack to more than/);
  });

  test('a forged directory declaring 4 GB is refused; ZIP64 and a damaged directory are refused', async () => {
    const bytes = await workbook();
    const forged = bytes.slice();
    const [first] = directorySizeFields(forged);
    new DataView(forged.buffer).setUint32(first ?? 0, 0xfffffff0, true);
    expect(xlsxSizeProblem(forged)).toMatch(/would unpack to more than/);

    const zip64 = bytes.slice();
    const end = zip64.byteLength - 22;
    new DataView(zip64.buffer).setUint32(end + 16, 0xffffffff, true);
    expect(xlsxSizeProblem(zip64)).toMatch(/ZIP64/);

    const damaged = bytes.slice();
    new DataView(damaged.buffer).setUint32(end + 16, 3, true);
    expect(xlsxSizeProblem(damaged)).toMatch(/damaged/);

    expect(xlsxSizeProblem(new TextEncoder().encode('not a zip at all'))).toMatch(/not an XLSX/);
  });

  test('a file over the size cap is refused by its size alone', () => {
    expect(fileSizeProblem(IMPORT_LIMITS.frameworkFileBytes + 1, IMPORT_LIMITS.frameworkFileBytes)).toBe(
      'The file is 10 MB; files over 10 MB are not imported.',
    );
    expect(fileSizeProblem(1000, IMPORT_LIMITS.frameworkFileBytes)).toBeNull();
    expect(xlsxSizeProblem(new Uint8Array(IMPORT_LIMITS.frameworkFileBytes + 1))).toMatch(/not imported/);
  });
});
