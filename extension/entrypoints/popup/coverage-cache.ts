// Last computed coverage, kept in the extension's localStorage so the popup can paint at once
// while its live chunk (Dexie, then the per-criterion aggregates) loads; the popup says
// "Updating…" until it lands, so a cached figure is never shown as current. Counts only.
// The first paint reads it without zod (cache-read.ts, whose guard is held to this schema by a
// property test); the live chunk writes it after each fresh computation.
import * as z from 'zod/mini';
import type { Coverage, CriterionStatus } from '../../../shared/coverage';
import { CACHE_KEY, type PopupData } from './cache-read';

export type { PopupData };

const ragSchema = z.enum(['red', 'amber', 'green', 'n/a']);
const tallySchema = z.object({
  applicable: z.number(),
  red: z.number(),
  amber: z.number(),
  green: z.number(),
  na: z.number(),
  covered: z.number(),
  evidence: z.number(),
  stale: z.number(),
});
const criterionSchema = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  evidence: z.number(),
  fresh: z.number(),
  stale: z.number(),
  rating: z.enum(['red', 'amber', 'green', 'n/a', 'unrated']),
  rag: ragSchema,
  clipIds: z.array(z.string()),
});
const coverageSchema = z.object({
  frameworkId: z.string(),
  rag: ragSchema,
  tally: tallySchema,
  domains: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      rag: ragSchema,
      tally: tallySchema,
      standards: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          rag: ragSchema,
          tally: tallySchema,
          criteria: z.array(criterionSchema),
        }),
      ),
    }),
  ),
});
// Compile-time check that the schema and the Coverage type agree.
const _sameShape: z.infer<typeof coverageSchema> extends Coverage<CriterionStatus> ? true : never = true;
void _sameShape;

export const cacheSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  notice: z.optional(z.string()),
  coverage: coverageSchema,
});

/** Stores the counts of a fresh computation (the stored form keeps an empty `clipIds` per
 *  criterion, as 0.1.0 wrote it), only when they changed. A full
 *  or unavailable localStorage only costs the next popup its instant paint (it shows "Loading…"). */
export function writeCoverageCache(
  data: PopupData,
  store: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
): void {
  const value = JSON.stringify({
    version: 1,
    name: data.name,
    ...(data.notice ? { notice: data.notice } : {}),
    coverage: {
      ...data.coverage,
      domains: data.coverage.domains.map((d) => ({
        ...d,
        standards: d.standards.map((s) => ({
          ...s,
          criteria: s.criteria.map((c) => ({ ...c, clipIds: [] })),
        })),
      })),
    },
  } satisfies z.infer<typeof cacheSchema>);
  if (store.getItem(CACHE_KEY) !== value) store.setItem(CACHE_KEY, value);
}
