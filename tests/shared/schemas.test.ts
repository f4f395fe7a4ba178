import { describe, expect, test } from 'vitest';
import { demoFramework } from '../../shared/frameworks/demo';
import { qsi2021Structure } from '../../shared/frameworks/qsi-2021';
import { clipSchema, frameworkSchema, selectorSchema } from '../../shared/schemas';

describe('shipped frameworks', () => {
  test('the demo framework is valid, named as not QSI, with 40 criteria over 4 domains', () => {
    const fw = frameworkSchema.parse(demoFramework);
    expect(fw.name).toBe('Demo framework — not QSI');
    expect(fw.domains).toHaveLength(4);
    const codes = fw.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map((c) => c.code)));
    expect(codes).toHaveLength(40);
    expect(codes.every((c) => c.startsWith('DEMO-'))).toBe(true);
  });

  test('QSI 2021 ships structure only: no invented standard or criterion codes', () => {
    const fw = frameworkSchema.parse(qsi2021Structure);
    expect(fw.domains.map((d) => d.title)).toEqual([
      'Leadership and management',
      'Clinical',
      'Facilities, resources and workforce',
      'Patient experience',
    ]);
    expect(fw.domains.every((d) => d.standards.length === 0 && d.code === undefined)).toBe(true);
    expect(fw.notice).toMatch(/import/i);
  });
});

describe('framework validation names the bad path', () => {
  test('empty title and duplicate code', () => {
    const bad = structuredClone(demoFramework);
    const std = bad.domains[1]?.standards[0];
    if (!std?.criteria[0] || !std.criteria[1]) throw new Error('fixture');
    std.criteria[0].title = '  ';
    std.criteria[1] = { ...std.criteria[1], code: 'DEMO-LM-01', id: 'demo:DEMO-LM-01' };
    const result = frameworkSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(paths).toContain('domains.1.standards.0.criteria.0.title: title is empty');
    expect(
      paths.some((p) => p.startsWith('domains.1.standards.0.criteria.1.code: duplicate criterion code')),
    ).toBe(true);
  });
});

describe('clip schema', () => {
  const clip = {
    id: '3b241101-e2bb-4255-8caf-4136c566a962',
    url: 'https://intranet.example.nhs.uk/policies/ionising',
    docKey: 'https://intranet.example.nhs.uk/policies/ionising',
    title: 'Radiation protection policy',
    selectors: [{ type: 'TextQuoteSelector', exact: 'Patients are identified', prefix: '', suffix: '' }],
    quote: 'Patients are identified',
    criteria: ['demo:DEMO-CL-01'],
    note: '',
    docMeta: { reviewDue: '2027-01-31' },
    createdBy: { id: 'u1', name: 'A. Radiographer' },
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:00.000Z',
    deleted: false,
  };
  test('accepts a valid clip', () => {
    expect(clipSchema.safeParse(clip).success).toBe(true);
  });
  test.each([
    ['javascript: url', { url: 'javascript:alert(1)' }],
    ['unknown field', { extra: 1 }],
    ['bad review date', { docMeta: { reviewDue: '31/01/2027' } }],
    ['empty selectors', { selectors: [] }],
  ])('rejects %s', (_n, patch) => {
    expect(clipSchema.safeParse({ ...clip, ...patch }).success).toBe(false);
  });
});

describe('selectors made by this extension', () => {
  test('our RangeSelector mark and the quote’s unique flag are kept; a foreign mark is refused', () => {
    const range = {
      type: 'RangeSelector',
      startContainer: '/main[1]/p[2]',
      startOffset: 0,
      endContainer: '/main[1]/p[2]',
      endOffset: 12,
      madeBy: 'qsi-evidence-clipper',
    };
    expect(selectorSchema.parse(range)).toEqual(range);
    expect(selectorSchema.safeParse({ ...range, madeBy: 'someone-else' }).success).toBe(false);
    const { madeBy: _, ...hypothesis } = range;
    expect(selectorSchema.parse(hypothesis)).toEqual(hypothesis);
    const quote = { type: 'TextQuoteSelector', exact: 'Records are kept', unique: true };
    expect(selectorSchema.parse(quote)).toEqual(quote);
  });
});
