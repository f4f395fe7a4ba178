// The project's own TypeScript sources, read once for the repository checks in this folder.
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.output', '.wxt', 'data', '.git', 'public']);

/** Every .ts/.tsx file under the given top-level folders, as paths relative to the root. */
export function sourceFiles(folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const f of folders) if (fs.existsSync(path.join(ROOT, f))) walk(f);
  return out.sort();
}

export function read(rel: string): string {
  return fs.readFileSync(path.join(ROOT, rel), 'utf8');
}
