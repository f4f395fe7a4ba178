// Coverage: the RAG rule as a table (shared/coverage.ts doc comment) and its invariants as
// fast-check properties over random clips, ratings and review dates.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type Coverage,
  type CriterionCoverage,
  computeCoverage,
  criterionRag,
  type Rag,
  rollupRag,
  staleReason,
  type Tally,
} from '../../shared/coverage';
import { demoFramework } from '../../shared/frameworks/demo';
import type { AnchorStatus, Assessment, Clip, Framework, Rating } from '../../shared/schemas';

const TODAY = '2026-11-29';
const NOW = '2026-11-29T12:00:00.000Z';
const allCriteria = demoFramework.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria));
const ids = allCriteria.map((c) => c.id);

let seq = 0;
function clip(
  criteria: string[],
  opts: { reviewDue?: string; anchor?: AnchorStatus; deleted?: boolean } = {},
): Clip {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    url: 'http://127.0.0.1:8788/patient-identification.html',
    docKey: 'http://127.0.0.1:8788/patient-identification.html',
    title: 'Patient identification',
    selectors: [{ type: 'TextQuoteSelector', exact: 'quote' }],
    quote: 'quote',
    criteria,
    note: '',
    docMeta: opts.reviewDue ? { reviewDue: opts.reviewDue } : {},
    createdBy: { id: 'u1', name: 'Test' },
    createdAt: NOW,
    updatedAt: NOW,
    deleted: opts.deleted ?? false,
    ...(opts.anchor ? { anchor: { status: opts.anchor, checkedAt: NOW } } : {}),
  };
}

const assess = (criterionId: string, rating: Rating): Assessment => ({
  criterionId,
  rating,
  owner: '',
  action: '',
  comment: '',
  updatedAt: NOW,
});

function byId(cov: Coverage): Map<string, CriterionCoverage> {
  return new Map(cov.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map((c) => [c.id, c]))));
}

const severity: Record<Rag, number> = { 'n/a': -1, green: 0, amber: 1, red: 2 };

describe('criterionRag (rule steps 1–3)', () => {
  // [rating, fresh, stale, expected]
  test.each<[Rating, number, number, Rag]>([
    ['n/a', 0, 0, 'n/a'],
    ['n/a', 3, 0, 'n/a'],
    ['n/a', 0, 2, 'n/a'],
    ['unrated', 0, 0, 'red'],
    ['unrated', 0, 1, 'amber'],
    ['unrated', 1, 0, 'green'],
    ['unrated', 1, 5, 'green'],
    ['green', 0, 0, 'red'],
    ['green', 0, 1, 'amber'],
    ['green', 1, 0, 'green'],
    ['amber', 0, 0, 'red'],
    ['amber', 0, 1, 'amber'],
    ['amber', 2, 0, 'amber'],
    ['red', 0, 0, 'red'],
    ['red', 0, 1, 'red'],
    ['red', 4, 0, 'red'],
  ])('rating %s, %d fresh, %d stale → %s', (rating, fresh, stale, expected) => {
    expect(criterionRag(rating, fresh, stale)).toBe(expected);
  });
});

const tally = (t: Partial<Tally>): Tally => ({
  applicable: 0,
  red: 0,
  amber: 0,
  green: 0,
  na: 0,
  covered: 0,
  evidence: 0,
  stale: 0,
  ...t,
});

describe('rollupRag (rule step 4)', () => {
  test.each<[string, Partial<Tally>, Rag]>([
    ['nothing applicable', { na: 3 }, 'n/a'],
    ['empty standard', {}, 'n/a'],
    ['all green', { applicable: 3, green: 3 }, 'green'],
    ['all green plus n/a', { applicable: 2, green: 2, na: 5 }, 'green'],
    ['one amber', { applicable: 3, green: 2, amber: 1 }, 'amber'],
    ['exactly half red', { applicable: 4, green: 2, red: 2 }, 'red'],
    ['under half red', { applicable: 5, green: 3, red: 2 }, 'amber'],
    ['single red', { applicable: 1, red: 1 }, 'red'],
    ['all amber', { applicable: 2, amber: 2 }, 'amber'],
  ])('%s → %s', (_name, t, expected) => {
    expect(rollupRag(tally(t))).toBe(expected);
  });
});

describe('staleReason', () => {
  test.each<[string, { reviewDue?: string; anchor?: AnchorStatus }, string | undefined]>([
    ['no metadata', {}, undefined],
    ['review due tomorrow', { reviewDue: '2026-11-30' }, undefined],
    ['review due today (not yet overdue)', { reviewDue: TODAY }, undefined],
    ['review due yesterday', { reviewDue: '2026-11-28' }, 'review-overdue'],
    ['review due last year', { reviewDue: '2025-12-31' }, 'review-overdue'],
    ['lost on its page', { anchor: 'lost' }, 'lost'],
    ['lost and overdue → lost', { anchor: 'lost', reviewDue: '2020-01-01' }, 'lost'],
    ['relocated counts as found', { anchor: 'relocated' }, undefined],
    ['unknown anchor counts as found', { anchor: 'unknown' }, undefined],
  ])('%s', (_name, opts, expected) => {
    expect(staleReason(clip([], opts), TODAY)).toBe(expected);
  });
});

describe('computeCoverage examples', () => {
  const [a, b, c] = ids;
  test('counts, freshness, deleted clips, duplicates and unknown criteria', () => {
    if (!a || !b || !c) throw new Error('demo framework too small');
    const cov = computeCoverage({
      framework: demoFramework,
      clips: [
        clip([a, a]),
        clip([a], { reviewDue: '2026-01-01' }),
        clip([b], { anchor: 'lost' }),
        clip([c], { deleted: true }),
        clip(['demo:NOT-A-CODE']),
      ],
      assessments: [assess(c, 'green')],
      today: TODAY,
    });
    const m = byId(cov);
    expect(m.get(a)).toMatchObject({ evidence: 2, fresh: 1, stale: 1, rag: 'green' });
    expect(m.get(a)?.clipIds).toHaveLength(2);
    expect(m.get(b)).toMatchObject({ evidence: 1, fresh: 0, stale: 1, rag: 'amber' });
    expect(m.get(c)).toMatchObject({ evidence: 0, rating: 'green', rag: 'red', clipIds: [] });
    expect(cov.tally.applicable).toBe(allCriteria.length);
    expect(cov.tally.covered).toBe(1);
    expect(cov.rag).toBe('red');
  });

  test('everything n/a → n/a at every level', () => {
    const cov = computeCoverage({
      framework: demoFramework,
      clips: [],
      assessments: ids.map((id) => assess(id, 'n/a')),
      today: TODAY,
    });
    expect(cov.rag).toBe('n/a');
    expect(cov.domains.every((d) => d.rag === 'n/a' && d.standards.every((s) => s.rag === 'n/a'))).toBe(true);
    expect(cov.tally).toMatchObject({ applicable: 0, na: allCriteria.length });
  });

  test('an empty framework is n/a', () => {
    const empty: Framework = { ...demoFramework, domains: [] };
    expect(computeCoverage({ framework: empty, clips: [], assessments: [], today: TODAY }).rag).toBe('n/a');
  });
});

// ---------------------------------------------------------------- properties

const dateArb = fc
  .integer({ min: -400, max: 400 })
  .map((days) => new Date(Date.UTC(2026, 10, 29) + days * 86_400_000).toISOString().slice(0, 10));

const clipArb = fc
  .record({
    criteria: fc.subarray(ids, { minLength: 0, maxLength: 4 }),
    reviewDue: fc.option(dateArb, { nil: undefined }),
    anchor: fc.option(fc.constantFrom<AnchorStatus>('exact', 'relocated', 'lost', 'unknown'), {
      nil: undefined,
    }),
    deleted: fc.boolean(),
  })
  .map(({ criteria, ...opts }) =>
    clip(criteria, {
      ...(opts.reviewDue ? { reviewDue: opts.reviewDue } : {}),
      ...(opts.anchor ? { anchor: opts.anchor } : {}),
      deleted: opts.deleted,
    }),
  );

const assessmentsArb = fc
  .array(
    fc.tuple(fc.constantFrom(...ids), fc.constantFrom<Rating>('red', 'amber', 'green', 'n/a', 'unrated')),
    {
      maxLength: 30,
    },
  )
  .map((pairs) => [...new Map(pairs).entries()].map(([id, r]) => assess(id, r)));

const stateArb = fc.record({
  clips: fc.array(clipArb, { maxLength: 40 }),
  assessments: assessmentsArb,
  today: dateArb,
});

const run = (s: { clips: Clip[]; assessments: Assessment[]; today: string }, framework = demoFramework) =>
  computeCoverage({ framework, ...s });

/** Tally fields that must not depend on n/a criteria. */
const applicableView = (t: Tally) => ({
  applicable: t.applicable,
  red: t.red,
  amber: t.amber,
  green: t.green,
  covered: t.covered,
  evidence: t.evidence,
  stale: t.stale,
});

describe('computeCoverage properties', () => {
  test('adding a fresh clip never worsens any criterion', () => {
    fc.assert(
      fc.property(stateArb, fc.subarray(ids, { minLength: 1, maxLength: 5 }), (s, tagged) => {
        const before = byId(run(s));
        const fresh = clip(tagged, { reviewDue: '2999-12-31', anchor: 'exact' });
        const after = byId(run({ ...s, clips: [...s.clips, fresh] }));
        for (const [id, c] of before) {
          const next = after.get(id);
          expect(next).toBeDefined();
          if (next) expect(severity[next.rag]).toBeLessThanOrEqual(severity[c.rag]);
        }
      }),
    );
  });

  test('adding any live clip never worsens a criterion (stale evidence beats none)', () => {
    fc.assert(
      fc.property(stateArb, clipArb, (s, extra) => {
        const before = byId(run(s));
        const after = byId(run({ ...s, clips: [...s.clips, { ...extra, deleted: false }] }));
        for (const [id, c] of before)
          expect(severity[after.get(id)?.rag ?? 'red']).toBeLessThanOrEqual(severity[c.rag]);
      }),
    );
  });

  test('deleted clips are ignored', () => {
    fc.assert(
      fc.property(stateArb, fc.array(clipArb, { maxLength: 10 }), (s, extra) => {
        const tombstones = extra.map((c) => ({ ...c, deleted: true }));
        expect(run({ ...s, clips: [...s.clips, ...tombstones] })).toEqual(run(s));
      }),
    );
  });

  test('n/a criteria never affect roll-ups', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const na = new Set(s.assessments.filter((a) => a.rating === 'n/a').map((a) => a.criterionId));
        const pruned: Framework = {
          ...demoFramework,
          domains: demoFramework.domains.map((d) => ({
            ...d,
            standards: d.standards.map((st) => ({
              ...st,
              criteria: st.criteria.filter((c) => !na.has(c.id)),
            })),
          })),
        };
        const full = run(s);
        const without = run(s, pruned);
        expect(full.rag).toBe(without.rag);
        expect(applicableView(full.tally)).toEqual(applicableView(without.tally));
        full.domains.forEach((d, di) => {
          const w = without.domains[di];
          expect(d.rag).toBe(w?.rag);
          d.standards.forEach((st, si) => {
            expect(st.rag).toBe(w?.standards[si]?.rag);
            expect(applicableView(st.tally)).toEqual(w && applicableView(w.standards[si]?.tally ?? st.tally));
          });
        });
      }),
    );
  });

  test('counts add up at every level', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const cov = run(s);
        const sum = (ts: Tally[]): Tally =>
          ts.reduce((acc, t) => {
            for (const k of Object.keys(acc) as (keyof Tally)[]) acc[k] += t[k];
            return acc;
          }, tally({}));
        expect(cov.tally).toEqual(sum(cov.domains.map((d) => d.tally)));
        for (const d of cov.domains) {
          expect(d.tally).toEqual(sum(d.standards.map((st) => st.tally)));
          for (const st of d.standards) {
            const t = st.tally;
            expect(t.applicable + t.na).toBe(st.criteria.length);
            expect(t.red + t.amber + t.green).toBe(t.applicable);
            expect(t.green).toBeLessThanOrEqual(t.covered);
            expect(t.covered).toBeLessThanOrEqual(t.applicable);
            for (const c of st.criteria) {
              expect(c.evidence).toBe(c.fresh + c.stale);
              expect(c.clipIds).toHaveLength(c.evidence);
            }
            const applicable = st.criteria.filter((c) => c.rag !== 'n/a');
            expect(t.evidence).toBe(applicable.reduce((n, c) => n + c.evidence, 0));
            expect(t.stale).toBe(applicable.reduce((n, c) => n + c.stale, 0));
            expect(st.rag).toBe(rollupRag(t));
          }
        }
        const live = s.clips.filter((c) => !c.deleted);
        const links = live.reduce((n, c) => n + new Set(c.criteria).size, 0);
        const all = cov.domains.flatMap((d) => d.standards.flatMap((st) => st.criteria));
        expect(all.reduce((n, c) => n + c.evidence, 0)).toBe(links);
      }),
    );
  });

  test('staleness follows review date vs today and the lost anchor status', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const m = byId(run(s));
        const expectFresh = new Map<string, number>();
        for (const c of s.clips) {
          if (c.deleted) continue;
          const stale =
            c.anchor?.status === 'lost' ||
            (c.docMeta.reviewDue !== undefined && c.docMeta.reviewDue < s.today);
          if (stale) continue;
          for (const id of new Set(c.criteria)) expectFresh.set(id, (expectFresh.get(id) ?? 0) + 1);
        }
        for (const [id, c] of m) expect(c.fresh).toBe(expectFresh.get(id) ?? 0);
      }),
    );
  });

  test('moving today forward never makes evidence fresher', () => {
    fc.assert(
      fc.property(stateArb, fc.integer({ min: 1, max: 800 }), (s, days) => {
        const later = new Date(Date.parse(`${s.today}T00:00:00Z`) + days * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const before = byId(run(s));
        const after = byId(run({ ...s, today: later }));
        for (const [id, c] of before) {
          expect(after.get(id)?.fresh ?? 0).toBeLessThanOrEqual(c.fresh);
          expect(severity[after.get(id)?.rag ?? 'red']).toBeGreaterThanOrEqual(severity[c.rag]);
        }
      }),
    );
  });

  test('clip order does not matter (except clipIds order)', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const strip = (cov: Coverage) =>
          JSON.stringify(cov, (k, v: unknown) => (k === 'clipIds' && Array.isArray(v) ? [...v].sort() : v));
        expect(strip(run({ ...s, clips: [...s.clips].reverse() }))).toBe(strip(run(s)));
      }),
    );
  });
});

describe('performance', () => {
  test('20 000 clips × the demo framework: ~0.2 s idle; generous bound for a loaded machine', () => {
    const clips = Array.from({ length: 20_000 }, (_, i) =>
      clip([ids[i % ids.length] ?? '', ids[(i * 7) % ids.length] ?? ''], {
        reviewDue: i % 3 ? '2027-01-01' : '2025-01-01',
      }),
    );
    const t0 = performance.now();
    const cov = computeCoverage({ framework: demoFramework, clips, assessments: [], today: TODAY });
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(cov.tally.covered).toBe(ids.length);
  });
});
