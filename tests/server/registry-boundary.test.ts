// The server handles synced record kinds only through the record registry (shared/records): a
// branch on a kind name or a mutation type name anywhere under server/ means a new kind would
// need an edit there too.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mutationSpecs, RECORD_KINDS } from '../../shared/records/registry';

const names = [...RECORD_KINDS, ...Object.keys(mutationSpecs)];
const quoted = `['"\`](?:${names.map((n) => n.replace('.', '\\.')).join('|')})['"\`]`;
/** `case 'clip':`, `x === 'clip.update'`, `'framework' !== x`. */
const branch = new RegExp(`case\\s+${quoted}|[!=]==\\s*${quoted}|${quoted}\\s*[!=]==`);

function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith('.ts'));
}

describe('server code branches on no record kind', () => {
  it('finds a branch in a sample (control)', () => {
    expect(branch.test("switch (m.type) { case 'clip.create': }")).toBe(true);
    expect(branch.test("if (r.kind === 'assessment')")).toBe(true);
    expect(branch.test('const spec = recordKinds[kind];')).toBe(false);
  });

  it('has none under server/', () => {
    const offending = sources(path.resolve('server')).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ file: path.relative('.', file), line: i + 1, text: line.trim() }))
        .filter((l) => branch.test(l.text)),
    );
    expect(offending).toEqual([]);
  });
});
