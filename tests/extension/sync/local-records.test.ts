// The extension's kind table (lib/sync/local-records.ts) covers every registry kind. That no other
// module branches on a kind name, and that no import cycle exists, is checked for the whole
// repository in tests/repo/.
import { describe, expect, it } from 'vitest';
import { localRecords } from '../../../extension/lib/sync/local-records';
import { RECORD_KINDS } from '../../../shared/records/registry';

describe('record kinds', () => {
  it('has one local table entry per registry kind', () => {
    expect(Object.keys(localRecords).sort()).toEqual([...RECORD_KINDS].sort());
    for (const [kind, local] of Object.entries(localRecords)) expect(local.kind).toBe(kind);
  });

  it('strips local bookkeeping from a clip row and keeps its synced content', () => {
    const row = {
      id: 'x',
      note: 'n',
      history: [],
      anchor: {},
      sync: { seq: 1, versions: {} },
      deleted: false,
    };
    expect(localRecords.clip.content(row)).toEqual({ id: 'x', note: 'n', history: [] });
    expect(localRecords.assessment.content({ criterionId: 'c', rating: 'red', sync: {} })).toEqual({
      criterionId: 'c',
      rating: 'red',
    });
  });
});
