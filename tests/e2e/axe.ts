// axe-core in a page under test: the serious and critical violations, one line per node.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious or critical axe violations on `p`; `within` keeps those whose target mentions it. */
export async function axeSerious(p: Page, within?: string): Promise<string[]> {
  await p.evaluate(AXE);
  const found = await p.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          c: Document,
          o: object,
        ) => Promise<{
          violations: { id: string; impact: string; help: string; nodes: { target: unknown[] }[] }[];
        }>;
      };
    };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.flatMap((v) =>
      v.nodes.map((n) => ({ id: v.id, impact: v.impact, help: v.help, target: JSON.stringify(n.target) })),
    );
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .filter((v) => !within || v.target.includes(within))
    .map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.target}`);
}
