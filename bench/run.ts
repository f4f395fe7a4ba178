// `npm run bench`: runs every bench/*.bench.ts and prints one JSON object per line:
// {"name","value","unit","floor","ratio"} — floor/ratio where a floor is measured in the same run.
// Results are also written to bench/results/latest.json.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './result';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const all: BenchResult[] = [];
let failed = 0;
for (const file of files) {
  try {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as {
      default: (emit: (r: BenchResult) => void) => Promise<void>;
    };
    await mod.default((r) => {
      const line = r.floor !== undefined && r.ratio === undefined ? { ...r, ratio: r.value / r.floor } : r;
      all.push(line);
      console.log(JSON.stringify(line));
    });
  } catch (error) {
    failed += 1;
    console.error(`[bench] ${file} failed:`, error);
  }
}
fs.mkdirSync(path.join(dir, 'results'), { recursive: true });
fs.writeFileSync(path.join(dir, 'results', 'latest.json'), `${JSON.stringify(all, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
