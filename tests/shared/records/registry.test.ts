import { describe, expect, it } from 'vitest';
import type { Change, Mutation } from '../../../shared/protocol';
import {
  changeOfRecord,
  mutationSpecs,
  parseRecordKey,
  RECORD_KINDS,
  recordKeyOf,
  recordKinds,
  recordOfChange,
  recordOpOf,
  touchedFields,
} from '../../../shared/records/registry';

const id = '0b9a4f3e-8a52-4a7e-9a3c-2f3e0c1d5a77';
const clip = {
  id,
  url: 'https://intranet.example.nhs.uk/policy',
  docKey: 'intranet.example.nhs.uk/policy',
  title: 'Policy',
  selectors: [{ type: 'TextQuoteSelector' as const, exact: 'quote' }],
  quote: 'quote',
  criteria: ['DEMO-1'],
  note: '',
  docMeta: {},
  createdBy: { id: 'm1', name: 'A' },
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('record registry', () => {
  it('maps every mutation type to a registered kind', () => {
    for (const spec of Object.values(mutationSpecs)) expect(RECORD_KINDS).toContain(spec.kind);
    expect(RECORD_KINDS.sort()).toEqual(['assessment', 'clip', 'framework', 'submission']);
  });

  it.each<[Mutation, string, string]>([
    [{ mutationId: 1, type: 'clip.create', clip: clip as never }, `clip:${id}`, 'create'],
    [
      {
        mutationId: 2,
        type: 'clip.update',
        id,
        base: {},
        set: { note: 'n' },
        criteriaAdd: [],
        criteriaRemove: [],
      },
      `clip:${id}`,
      'update',
    ],
    [{ mutationId: 3, type: 'clip.delete', id }, `clip:${id}`, 'delete'],
    [
      { mutationId: 4, type: 'assessment.update', criterionId: 'DEMO-1', base: {}, set: {} },
      'assessment:DEMO-1',
      'update',
    ],
    [{ mutationId: 5, type: 'framework.withdraw', frameworkId: 'f1' }, 'framework:f1', 'delete'],
    [{ mutationId: 6, type: 'submission.delete', id }, `submission:${id}`, 'delete'],
  ])('keys and ops %#', (m, key, op) => {
    expect(recordKeyOf(m)).toBe(key);
    expect(recordOpOf(m).op).toBe(op);
    expect(parseRecordKey(key)).toEqual({ kind: key.split(':')[0], key: key.slice(key.indexOf(':') + 1) });
  });

  it('touched fields: set scalars, changed sets, every present field on create', () => {
    expect(
      touchedFields({
        mutationId: 1,
        type: 'clip.update',
        id,
        base: {},
        set: { note: 'x' },
        criteriaAdd: ['DEMO-2'],
        criteriaRemove: [],
      }),
    ).toEqual(['note', 'criteria']);
    expect(
      touchedFields({
        mutationId: 1,
        type: 'clip.update',
        id,
        base: {},
        set: { note: 'x' },
        criteriaAdd: [],
        criteriaRemove: [],
      }),
    ).toEqual(['note']);
    expect(touchedFields({ mutationId: 1, type: 'clip.create', clip: clip as never })).toEqual([
      ...recordKinds.clip.scalarFields.filter((f) => f !== 'snapshot'),
      'criteria',
    ]);
    expect(touchedFields({ mutationId: 1, type: 'clip.delete', id })).toEqual([]);
  });

  it('a cleared due date travels as an empty string and clears the field', () => {
    const op = recordOpOf({
      mutationId: 1,
      type: 'assessment.update',
      criterionId: 'C',
      base: {},
      set: { dueDate: '' },
    });
    expect(op).toMatchObject({ op: 'update' });
    if (op.op === 'update')
      expect(Object.hasOwn(op.set, 'dueDate') && op.set.dueDate === undefined).toBe(true);
  });

  it.each<Change>([
    { kind: 'clip', seq: 3, id, deleted: false, clip: clip as never, versions: { note: 3 } },
    { kind: 'clip', seq: 4, id, deleted: true, clip: null, versions: {} },
    {
      kind: 'assessment',
      seq: 5,
      assessment: {
        criterionId: 'C',
        rating: 'met',
        owner: '',
        action: '',
        comment: '',
        updatedAt: clip.updatedAt,
      },
      versions: { rating: 5 },
    },
    { kind: 'framework', seq: 6, frameworkId: 'f', deleted: true, framework: null },
  ] as Change[])('a pull change round-trips through its stored record %#', (change) => {
    expect(changeOfRecord(recordOfChange(change))).toEqual(change);
  });

  it('rejects a record key of no kind', () => {
    expect(() => parseRecordKey('widget:1')).toThrow(/not a record key/);
  });
});
