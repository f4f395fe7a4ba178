// The web page's content script checks tab commands without zod (it must stay small): its check
// must accept exactly what the schema accepts.
import { expect, test } from 'vitest';
import { tabCommandSchema } from '../../extension/lib/tab-command-schema';
import { parseTabCommand } from '../../extension/lib/tab-commands';

const inputs: unknown[] = [
  { type: 'clipSelection' },
  { type: 'refreshHighlights' },
  { type: 'getPageStatus' },
  { type: 'getPageStatus', extra: 1 },
  { type: 'unknown' },
  { type: 'toString' },
  { type: 'constructor' },
  { type: ['clipSelection'] },
  { type: null },
  {},
  Object.create({ type: 'clipSelection' }),
  ['clipSelection'],
  'clipSelection',
  null,
  undefined,
  42,
  { name: 'getPageClips', body: {} },
];

test.each(inputs.map((input, i) => [`${i}: ${JSON.stringify(input) ?? String(input)}`, input]))(
  '%s: the plain check and the schema agree',
  (_label, input) => {
    const parsed = tabCommandSchema.safeParse(input);
    expect(parseTabCommand(input)).toEqual(parsed.success ? parsed.data : null);
  },
);

test('every command type is accepted', () => {
  for (const type of ['clipSelection', 'refreshHighlights', 'getPageStatus'] as const)
    expect(parseTabCommand({ type })).toEqual({ type });
});
