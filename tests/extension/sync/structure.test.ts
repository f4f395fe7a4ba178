// The extension's structure rules: synced record kinds are told apart only by the registry
// (shared/records) and the extension's kind table (lib/sync/local-records.ts), and no module
// imports itself back through others (type-only imports included).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localRecords } from '../../../extension/lib/sync/local-records';
import { RECORD_KINDS } from '../../../shared/records/registry';

const root = path.resolve('extension');
const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
const files = sources(root);
const rel = (f: string) => path.relative(process.cwd(), f);

describe('record kinds', () => {
  it('has one local table entry per registry kind', () => {
    expect(Object.keys(localRecords).sort()).toEqual([...RECORD_KINDS].sort());
    for (const [kind, local] of Object.entries(localRecords)) expect(local.kind).toBe(kind);
  });

  it('strips local bookkeeping from a clip row and keeps its synced content', () => {
    const row = {
      id: 'x',
      note: 'n',
      history: [],
      anchor: {},
      sync: { seq: 1, versions: {} },
      deleted: false,
    };
    expect(localRecords.clip.content(row)).toEqual({ id: 'x', note: 'n', history: [] });
    expect(localRecords.assessment.content({ criterionId: 'c', rating: 'red', sync: {} })).toEqual({
      criterionId: 'c',
      rating: 'red',
    });
  });

  it('are not compared or switched on by name outside the kind table', () => {
    const kinds = RECORD_KINDS.join('|');
    const pattern = new RegExp(
      `(kind\\s*[!=]==\\s*'(${kinds})'|'(${kinds})'\\s*[!=]==\\s*\\w*\\.?kind|case\\s+'(${kinds})'\\s*:)`,
    );
    const allowed = new Set([path.join(root, 'lib/sync/local-records.ts')]);
    const offenders = files
      .filter((f) => !allowed.has(f))
      .flatMap((f) =>
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) => (pattern.test(line) ? [`${rel(f)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });
});

describe('imports', () => {
  it('have no cycle in extension/', () => {
    const graph = new Map<string, string[]>();
    for (const f of files) {
      const deps: string[] = [];
      for (const m of fs
        .readFileSync(f, 'utf8')
        .matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
        const target = path.resolve(path.dirname(f), m[1] ?? '');
        const hit = [`${target}.ts`, `${target}.tsx`, path.join(target, 'index.ts')].find((c) =>
          fs.existsSync(c),
        );
        if (hit) deps.push(hit);
      }
      graph.set(f, deps);
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, stack: string[]) => {
      state.set(node, 'open');
      stack.push(node);
      for (const dep of graph.get(node) ?? []) {
        if (state.get(dep) === 'open')
          cycles.push([...stack.slice(stack.indexOf(dep)), dep].map(rel).join(' → '));
        else if (!state.has(dep)) visit(dep, stack);
      }
      stack.pop();
      state.set(node, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
