import { describe, expect, test } from 'vitest';
import { computeCoverage } from '../../../shared/coverage';
import { csvField, escapeFormula, gapAnalysisCsv, gapRows } from '../../../shared/exports/gap-analysis';
import { demoFramework } from '../../../shared/frameworks/demo';

describe('formula injection', () => {
  test.each([
    ['=1+1', "'=1+1"],
    ['+44 20', "'+44 20"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ['\uFF0Bcmd', "'\uFF0Bcmd"],
    ['\uFF0D2', "'\uFF0D2"],
    ['\uFF20SUM(A1)', "'\uFF20SUM(A1)"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
  ])('%j → %j', (input, out) => expect(escapeFormula(input)).toBe(out));

  test('CSV fields are escaped then quoted', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(3)).toBe('3');
  });
});

test('gap analysis: one row per criterion with assessment fields', () => {
  const assessments = [
    {
      criterionId: 'demo:DEMO-LM-01',
      rating: 'amber' as const,
      owner: '=cmd|calc',
      action: 'Fix, soon',
      dueDate: '2027-01-01',
      comment: '',
      updatedAt: '2026-11-29T00:00:00.000Z',
    },
  ];
  const coverage = computeCoverage({ framework: demoFramework, clips: [], assessments, today: '2026-11-29' });
  const rows = gapRows(coverage, assessments);
  expect(rows).toHaveLength(40);
  const csv = gapAnalysisCsv(coverage, assessments);
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  expect(lines).toHaveLength(41);
  expect(lines[0]).toBe(
    'Domain,Standard,Code,Criterion,Status (RAG),Self-rating,Evidence,Stale,Owner,Action,Due date,Comment',
  );
  expect(lines[1]).toContain(',DEMO-LM-01,');
  expect(lines[1]).toContain(',Red,Amber,0,0,\'=cmd|calc,"Fix, soon",2027-01-01,');
});
