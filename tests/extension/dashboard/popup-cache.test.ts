// The popup's first-paint guard (no zod) must give the same verdict as the cache's zod schema on
// any input: valid caches and caches with one value anywhere replaced by something else.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { asPopupData } from '../../../extension/entrypoints/popup/cache-read';
import { cacheSchema } from '../../../extension/entrypoints/popup/coverage-cache';
import { computeCoverage } from '../../../shared/coverage';
import { demoFramework } from '../../../shared/frameworks/demo';
import { demoClips } from '../../e2e/dashboard-fixtures';

const valid = {
  version: 1,
  name: demoFramework.name,
  notice: demoFramework.notice,
  coverage: computeCoverage({
    framework: demoFramework,
    clips: demoClips(),
    assessments: [],
    today: '2026-11-29',
  }),
};

/** Every path (array of keys) to a value inside `v`. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) out.push(...paths(x, [...prefix, i]));
  } else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function replaced(v: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? replaced(x, rest, value) : x));
  const obj = v as Record<string, unknown>;
  return { ...obj, [head]: replaced(obj[head], rest, value) };
}

const allPaths = paths(valid);
const oddValue = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.constantFrom(null, undefined, true, Number.NaN, Number.POSITIVE_INFINITY, [], {}, 'red', 'unrated', 1),
);

test('a valid cache passes both', () => {
  expect(asPopupData(valid)).toBeDefined();
  expect(cacheSchema.safeParse(valid).success).toBe(true);
});

test('guard and schema agree on every single-value change', () => {
  fc.assert(
    fc.property(fc.constantFrom(...allPaths), oddValue, (path, value) => {
      const v = replaced(valid, path, value);
      expect(asPopupData(v) !== undefined).toBe(cacheSchema.safeParse(v).success);
    }),
    { numRuns: 3000 },
  );
});
