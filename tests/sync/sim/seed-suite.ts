// Defines a vitest suite over a seed range of the sync simulator; split over several test files
// so the runner can spread the 1 000 seeds of `npm test` over its workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSimServer, openSimServer, runSeed, type SimServer } from './simulator';

/** Small per-seed scenarios keep 1 000 seeds inside the suite's budget; scripts/sim.ts soaks longer. */
export const SUITE_STEPS = 6;

export function defineSeedSuite(first: number, count: number): void {
  let shared: SimServer;
  beforeAll(async () => {
    shared = await openSimServer(`vitest-${first}`);
  });
  afterAll(async () => {
    await closeSimServer(shared);
  });

  describe(`sync simulator, seeds ${first}–${first + count - 1}`, () => {
    it('converges with no acknowledged write lost, no resurrection, no duplicate', async () => {
      const failed: string[] = [];
      const totals = { submissions: 0, requests: 0, faults: 0, conflicts: 0, restarts: 0, revokes: 0 };
      const started = performance.now();
      for (let seed = first; seed < first + count; seed++) {
        const result = await runSeed(seed, { steps: SUITE_STEPS, shared });
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += result.stats[k];
        if (!result.ok) {
          const line = `seed ${seed} failed (replay: node --import tsx scripts/sim.ts --seeds ${seed} --steps ${SUITE_STEPS} --trace): ${result.failures.slice(0, 3).join(' | ')}`;
          console.error(line);
          failed.push(line);
        }
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `[sim] seeds ${first}-${first + count - 1}: ${count} in ${seconds} s ${JSON.stringify(totals)}`,
      );
      expect(failed).toEqual([]);
    }, 600_000);
  });
}
