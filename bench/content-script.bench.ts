// Size of what the content script injects on page load (target ≤ 60 kB gzip). Builds the
// release extension first so the figure always matches the source.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from './result';

export default async function bench(emit: (r: BenchResult) => void): Promise<void> {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'pipe' });
  const file = path.join(root, '.output/chrome-mv3/content-scripts/content.js');
  const bytes = fs.readFileSync(file);
  emit({ name: 'content-script.raw', value: bytes.length / 1024, unit: 'kB' });
  emit({
    name: 'content-script.gzip',
    value: Math.round((gzipSync(bytes, { level: 9 }).length / 1024) * 10) / 10,
    unit: 'kB',
    target: '<= 60 kB',
  });
}
