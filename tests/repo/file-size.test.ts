// Small files named for what they hold: a module under extension/lib or server/ longer than
// LIMIT lines says at its top why it is not split (a header line such as "About 450 lines: one parser whose steps share …").
import { describe, expect, it } from 'vitest';
import { read, sourceFiles } from './source-files';

const LIMIT = 400;
const HEADER_LINES = 12;

/** A long file's reason, e.g. `// 450 lines: one state machine whose steps share …`. */
function hasSizeReason(text: string): boolean {
  return text
    .split('\n')
    .slice(0, HEADER_LINES)
    .some((line) => /^\s*(\/\/|\*|\/\*)/.test(line) && /\blines:/i.test(line));
}

describe('file size', () => {
  it('reads a reason from the header only (negative control)', () => {
    expect(hasSizeReason('// 450 lines: one parser\nexport {}')).toBe(true);
    expect(hasSizeReason(`${'export const x = 1;\n'.repeat(15)}// 450 lines: below the header`)).toBe(false);
    expect(hasSizeReason('const lines: number[] = [];')).toBe(false);
    expect(hasSizeReason('// a module\n'.repeat(20))).toBe(false);
  });

  it(`keeps modules under extension/lib and server/ within ${LIMIT} lines or says why`, () => {
    const long = sourceFiles(['extension/lib', 'server'])
      .map((file) => ({ file, text: read(file) }))
      .filter(({ text }) => text.split('\n').length > LIMIT && !hasSizeReason(text))
      .map(({ file, text }) => `${file} (${text.split('\n').length} lines)`);
    expect(long).toEqual([]);
  });
});
