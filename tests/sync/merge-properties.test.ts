// Property tests of the pure merge rules (shared/merge.ts) with fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MergePatch, type MergeState, mergePatch } from '../../shared/merge';

const FIELDS = ['note', 'title', 'quote', 'url'] as const;
const value = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 3 }), fc.constant(undefined));
const ids = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 4 });

const state: fc.Arbitrary<MergeState> = fc
  .record({
    note: fc.string({ maxLength: 6 }),
    title: fc.string({ maxLength: 6 }),
    quote: fc.string({ maxLength: 6 }),
    url: fc.string({ maxLength: 6 }),
    criteria: ids.map((xs) => [...xs].sort()),
    v: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 5, maxLength: 5 }),
  })
  .map(({ v, ...data }) => ({
    data,
    versions: Object.fromEntries([...FIELDS, 'criteria'].map((f, i) => [f, v[i] ?? 0])),
  }));

function patchOver(fields: readonly string[]): fc.Arbitrary<MergePatch> {
  return fc.record({
    base: fc.record(Object.fromEntries(fields.map((f) => [f, fc.integer({ min: 0, max: 25 })]))),
    set: fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] }),
    sets: fc.record({ criteria: fc.record({ add: ids, remove: ids }) }),
  });
}

describe('merge rules', () => {
  it('applying a mutation twice equals applying it once', () => {
    fc.assert(
      fc.property(state, patchOver(FIELDS), fc.integer({ min: 21, max: 100 }), (s, p, seq) => {
        const once = mergePatch(s, p, seq);
        const twice = mergePatch({ data: once.data, versions: once.versions }, p, seq + 1);
        expect(twice.data).toEqual(once.data);
        expect(twice.versions).toEqual(once.versions);
        expect(twice.changed).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('patches on disjoint fields and disjoint criteria commute', () => {
    const split = fc
      .shuffledSubarray([...FIELDS], { minLength: 0 })
      .map((left) => ({ left, right: FIELDS.filter((f) => !left.includes(f)) }));
    fc.assert(
      fc.property(
        state,
        split.chain(({ left, right }) => fc.tuple(patchOver(left), patchOver(right))),
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 8 }),
        (s, [p1, p2], pool) => {
          // Criteria ops touch disjoint ids too.
          const half = Math.floor(pool.length / 2);
          const c1 = pool.slice(0, half);
          const c2 = pool.slice(half);
          const a: MergePatch = {
            ...p1,
            sets: { criteria: { add: c1.filter((_, i) => i % 2 === 0), remove: c1.filter((_, i) => i % 2) } },
          };
          const b: MergePatch = {
            ...p2,
            sets: { criteria: { add: c2.filter((_, i) => i % 2 === 0), remove: c2.filter((_, i) => i % 2) } },
          };
          const a1 = mergePatch(s, a, 50);
          const ab = mergePatch(a1, b, 51);
          const b1 = mergePatch(s, b, 50);
          const ba = mergePatch(b1, a, 51);
          expect(ab.data).toEqual(ba.data);
          expect([...a1.conflicts, ...ab.conflicts].sort()).toEqual(
            [...b1.conflicts, ...ba.conflicts].sort(),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a patch based on an old version of a changed field always conflicts and never overwrites', () => {
    fc.assert(
      fc.property(
        state,
        fc.constantFrom(...FIELDS),
        fc.string({ maxLength: 8 }),
        fc.integer({ min: 1, max: 25 }),
        (s, field, v, bump) => {
          const current = s.versions[field] ?? 0;
          const moved: MergeState = { data: s.data, versions: { ...s.versions, [field]: current + bump } };
          fc.pre(v !== moved.data[field]);
          const out = mergePatch(moved, { base: { [field]: current }, set: { [field]: v } }, 999);
          expect(out.conflicts).toEqual([field]);
          expect(out.data[field]).toEqual(moved.data[field]);
          expect(out.server[field]).toEqual(moved.data[field]);
          expect(out.changed).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a patch based on the current versions never conflicts', () => {
    fc.assert(
      fc.property(state, patchOver(FIELDS), (s, p) => {
        const out = mergePatch(s, { ...p, base: s.versions }, 500);
        expect(out.conflicts).toEqual([]);
        for (const [f, v] of Object.entries(p.set)) expect(out.data[f]).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });
});
