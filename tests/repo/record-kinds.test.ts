// Synced record kinds are handled in one place: shared/records/ (key, fields, merge rule, wire
// form) plus the extension's table of local storage per kind. A comparison or `case` over a kind
// name or a mutation type anywhere else is a second home for that kind and fails here.
import { describe, expect, it } from 'vitest';
import { mutationSpecs, RECORD_KINDS } from '../../shared/records/registry';
import { read, sourceFiles } from './source-files';

/** Files allowed to branch on kind names: the registry and the extension's kind → table map. */
const HOMES = [/^shared\/records\//, /^extension\/lib\/sync\/local-records\.ts$/];

const names = [...RECORD_KINDS, ...Object.keys(mutationSpecs)].map((n) => n.replace('.', '\\.'));
const BRANCH = new RegExp(
  String.raw`(?:===|!==|\bcase)\s*['"\`](?:${names.join('|')})['"\`]|['"\`](?:${names.join('|')})['"\`]\s*(?:===|!==)`,
);

/** Lines of `text` that branch on a record kind or a mutation type. */
function kindBranches(text: string): string[] {
  return text.split('\n').filter((line) => !/^\s*(\/\/|\*)/.test(line) && BRANCH.test(line));
}

describe('record kinds live in the registry', () => {
  it('detects a branch over a kind or a mutation type (negative control)', () => {
    expect(kindBranches("if (change.kind === 'clip') x();")).toHaveLength(1);
    expect(kindBranches("  case 'assessment.update':")).toHaveLength(1);
    expect(kindBranches("if ('framework' !== kind) return;")).toHaveLength(1);
    expect(kindBranches("const m = { type: 'clip.create', clip };")).toHaveLength(0);
    expect(kindBranches("// when kind === 'clip' we …")).toHaveLength(0);
  });

  it('no source outside shared/records and the local kind table branches on a kind', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(['extension', 'server', 'shared'])) {
      if (HOMES.some((home) => home.test(file))) continue;
      for (const line of kindBranches(read(file))) offenders.push(`${file}: ${line.trim()}`);
    }
    expect(offenders).toEqual([]);
  });
});
