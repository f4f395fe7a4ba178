// Length limits of the domain model's fields, apart from the zod schemas that enforce them
// (schemas.ts), so code that only needs the numbers (the web page's content script) does not load zod.
export const LIMITS = {
  quote: 20_000,
  note: 10_000,
  title: 1_000,
  url: 4_096,
  context: 2_000,
  snapshot: 200_000,
  criteriaPerClip: 200,
  shortText: 500,
  longText: 10_000,
  code: 64,
  id: 200,
} as const;
