// Per-criterion aggregates: the incremental counts equal a recount after any sequence of row
// changes, and coverage read from them equals coverage computed from every clip on any day.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type Coverage,
  type CriterionStatus,
  computeCoverage,
  coverageFromAggregates,
} from '../../shared/coverage';
import {
  aggregateDeltas,
  applyDelta,
  type CriterionAggregate,
  countsAt,
  recountAggregates,
} from '../../shared/coverage-aggregate';
import { demoFramework } from '../../shared/frameworks/demo';
import type { AnchorStatus, Assessment, Clip, Rating } from '../../shared/schemas';

const NOW = '2026-11-29T12:00:00.000Z';
const ids = demoFramework.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map((c) => c.id)));
const dateArb = fc.constantFrom('', '2025-01-01', '2026-11-28', '2026-11-29', '2026-11-30', '2028-06-01');

function clip(n: number, over: Partial<Clip>): Clip {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    url: 'https://intranet.example/p',
    docKey: 'https://intranet.example/p',
    title: 'P',
    selectors: [{ type: 'TextQuoteSelector', exact: 'q' }],
    quote: 'q',
    criteria: [],
    note: '',
    docMeta: {},
    createdBy: { id: 'u', name: 'U' },
    createdAt: NOW,
    updatedAt: NOW,
    deleted: false,
    ...over,
  };
}

const versionArb = fc.record({
  criteria: fc.array(fc.constantFrom(...ids.slice(0, 6)), { maxLength: 4 }),
  reviewDue: dateArb,
  anchor: fc.constantFrom<AnchorStatus | undefined>(undefined, 'exact', 'relocated', 'lost', 'unknown'),
  deleted: fc.boolean(),
  note: fc.constantFrom('', 'a', 'b'),
});
type Version = typeof versionArb extends fc.Arbitrary<infer V> ? V : never;
const toClip = (n: number, v: Version) =>
  clip(n, {
    criteria: v.criteria,
    docMeta: v.reviewDue === '' ? {} : { reviewDue: v.reviewDue },
    deleted: v.deleted,
    note: v.note,
    ...(v.anchor ? { anchor: { status: v.anchor, checkedAt: NOW } } : {}),
  });

/** Rows as a map, applying deltas the way the store does. */
function applyAll(rows: Map<string, CriterionAggregate>, changes: [Clip | undefined, Clip | undefined][]) {
  for (const [id, delta] of aggregateDeltas(changes)) {
    const next = applyDelta(id, rows.get(id), delta);
    if (next) rows.set(id, next);
    else rows.delete(id);
  }
}
const sorted = (rows: Iterable<CriterionAggregate>) =>
  [...rows].sort((a, b) => a.criterionId.localeCompare(b.criterionId));

describe('aggregate deltas', () => {
  test('a note edit moves no row; a deleted clip counts nowhere; duplicate criteria count once', () => {
    const a = clip(1, { criteria: ['demo:A', 'demo:A'], docMeta: { reviewDue: '2026-01-01' } });
    const edited: Clip = { ...a, note: 'x' };
    expect(aggregateDeltas([[a, edited]]).size).toBe(0);
    expect(recountAggregates([{ ...a, deleted: true }])).toEqual([]);
    expect(recountAggregates([a])).toEqual([
      { criterionId: 'demo:A', live: 1, lost: 0, reviewDue: { '2026-01-01': 1 } },
    ]);
  });

  test('a lost clip is counted as lost, not under its review date', () => {
    const a = clip(1, {
      criteria: ['demo:A'],
      docMeta: { reviewDue: '2030-01-01' },
      anchor: { status: 'lost', checkedAt: NOW },
    });
    const [row] = recountAggregates([a, clip(2, { criteria: ['demo:A'] })]);
    expect(row).toEqual({ criterionId: 'demo:A', live: 2, lost: 1, reviewDue: {} });
    expect(countsAt(row, '2026-01-01')).toEqual({ fresh: 1, stale: 1 });
  });

  test('a review date passing needs no rewrite: the same row is fresh before it and stale after', () => {
    const [row] = recountAggregates([
      clip(1, { criteria: ['demo:A'], docMeta: { reviewDue: '2026-11-29' } }),
    ]);
    expect(countsAt(row, '2026-11-29')).toEqual({ fresh: 1, stale: 0 });
    expect(countsAt(row, '2026-11-30')).toEqual({ fresh: 0, stale: 1 });
  });

  test('after any sequence of row changes the rows equal a recount', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), fc.option(versionArb, { nil: undefined })), { maxLength: 40 }),
        (steps) => {
          const table = new Map<number, Clip>();
          const rows = new Map<string, CriterionAggregate>();
          for (const [n, v] of steps) {
            const before = table.get(n);
            const after = v ? toClip(n, v) : undefined;
            if (after) table.set(n, after);
            else table.delete(n);
            applyAll(rows, [[before, after]]);
          }
          expect(sorted(rows.values())).toEqual(recountAggregates(table.values()));
        },
      ),
    );
  });
});

const withoutClipIds = (cov: Coverage): Coverage<CriterionStatus> => ({
  ...cov,
  domains: cov.domains.map((d) => ({
    ...d,
    standards: d.standards.map((s) => ({ ...s, criteria: s.criteria.map(({ clipIds: _, ...c }) => c) })),
  })),
});

describe('coverageFromAggregates', () => {
  test('equals computeCoverage (less the clip ids) for any clips, ratings and day', () => {
    fc.assert(
      fc.property(
        fc.array(versionArb, { maxLength: 30 }),
        fc.array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom<Rating>('red', 'amber', 'green', 'n/a')), {
          maxLength: 10,
        }),
        dateArb.filter((d) => d !== ''),
        (versions, ratings, today) => {
          const clips = versions.map((v, i) => toClip(i, v));
          const assessments: Assessment[] = [...new Map(ratings)].map(([criterionId, rating]) => ({
            criterionId,
            rating,
            owner: '',
            action: '',
            comment: '',
            updatedAt: NOW,
          }));
          const expected = withoutClipIds(
            computeCoverage({ framework: demoFramework, clips, assessments, today }),
          );
          const aggregates = recountAggregates(clips);
          expect(
            coverageFromAggregates({ framework: demoFramework, aggregates, assessments, today }),
          ).toEqual(expected);
        },
      ),
    );
  });
});
