// canonicalJson feeds the change log's hashes, which `verify` recomputes from stored rows: its
// output must never change. The reference below is the first implementation, kept as the
// specification; the shipped one is faster and may cache by reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryHash, type LogEntry } from '../../server/sync/change-log';
import { canonicalJson } from '../../shared/merge';

function reference(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

/** JSON-like values, with undefined members and keys that sort differently by code unit. */
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, undefined, true, false, 0, -0, 1.5, Number.NaN),
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('canonicalJson', () => {
  it('equals the reference implementation on any JSON-like value', () => {
    fc.assert(
      fc.property(values, (v) => canonicalJson(v) === reference(v)),
      { numRuns: 3000 },
    );
  });

  it('gives the same text with a cache, also for values shared between two calls', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const cache = new Map<object, string>();
        const shared = { a, list: [b, a], nested: { b } };
        return (
          canonicalJson(shared, cache) === reference(shared) &&
          canonicalJson({ again: shared, b }, cache) === reference({ again: shared, b })
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the change log hash of a fixed entry (golden value from the first implementation)', () => {
    const entry = {
      teamId: 't1',
      seq: 7,
      at: 1767225600000,
      by: 'm1',
      kind: 'clip',
      key: 'k1',
      type: 'create',
      changes: {
        quote: { from: null, to: 'Staff must confirm “identity” — three points\u2028of ID.' },
        criteria: { from: null, to: ['demo:B', 'demo:A'] },
        selectors: {
          from: null,
          to: [
            { type: 'TextQuoteSelector', exact: 'x', prefix: 'é', suffix: undefined },
            { type: 'TextPositionSelector', start: 1, end: 2 },
          ],
        },
      },
      stateHash: 'abc',
    } as unknown as LogEntry;
    const golden = '9754f40cc827798fa51487d3b3ae57f8baf5ce174e33a7e53cc0955d47d39557';
    expect(entryHash('prev', entry)).toBe(golden);
    expect(entryHash('prev', entry, new Map())).toBe(golden);
  });
});
