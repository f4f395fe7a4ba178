// `npm run sim -- --seeds 5000-5999 [--steps 24] [--trace]`: runs the sync simulator over a seed
// range and prints how many seeds ran and failed; every failing seed is printed for replay.
import 'fake-indexeddb/auto';
import { parseSeedRange, runSeed } from '../tests/sync/sim/simulator';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const seeds = parseSeedRange(arg('--seeds') ?? '1-100');
const steps = arg('--steps') ? Number(arg('--steps')) : undefined;
const trace = args.includes('--trace');

const started = performance.now();
const failed: number[] = [];
const totals = { requests: 0, faults: 0, conflicts: 0, restarts: 0, revokes: 0 };
for (const seed of seeds) {
  const result = await runSeed(seed, { steps, trace });
  for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += result.stats[k];
  if (!result.ok) {
    failed.push(seed);
    console.log(`seed ${seed} FAILED (replay: node --import tsx scripts/sim.ts --seeds ${seed} --trace)`);
    for (const f of result.failures.slice(0, 10)) console.log(`  ${f}`);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `seeds run: ${seeds.length}, failed: ${failed.length} (${seconds} s)${failed.length ? ` → ${failed.join(' ')}` : ''}`,
);
console.log(`totals: ${JSON.stringify(totals)}`);
process.exitCode = failed.length ? 1 : 0;
