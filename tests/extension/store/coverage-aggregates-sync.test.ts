// Property: after any sequence of writes on two team members' extensions — create, re-tag, change
// a review date, delete, restore, an anchor lost or found, a push and a pull applying the other's
// changes, a framework change — each database's coverage rows equal a full recount of its clips,
// and the coverage read from them equals the coverage computed from every clip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClipperDb } from '../../../extension/lib/db';
import { seedFrameworks } from '../../../extension/lib/frameworks';
import { createLocalWrites, type Undo } from '../../../extension/lib/store/local-writes';
import { readActiveCoverage } from '../../../extension/lib/store/read-coverage';
import { computeCoverage } from '../../../shared/coverage';
import { recountAggregates } from '../../../shared/coverage-aggregate';
import { docKey } from '../../../shared/doc-key';
import { demoFramework } from '../../../shared/frameworks/demo';
import { qsi2021Structure } from '../../../shared/frameworks/qsi-2021';
import { type Clip, clipSchema } from '../../../shared/schemas';
import { type Client, openTeamFixture } from '../../sync/sim/harness';

const TODAY = '2026-11-29';
const AT = '2026-11-29T10:00:00.000Z';
const demoIds = demoFramework.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map((c) => c.id)));
const qsiIds = qsi2021Structure.domains.flatMap((d) =>
  d.standards.flatMap((s) => s.criteria.map((c) => c.id)),
);
const criterionArb = fc.constantFrom(...demoIds.slice(0, 4), ...qsiIds.slice(0, 2));
const criteriaArb = fc.array(criterionArb, { maxLength: 3 });
const dueArb = fc.constantFrom(undefined, '2025-01-01', TODAY, '2026-11-30', '2030-01-01');
const who = fc.constantFrom(0, 1);
const pick = fc.nat(50);

type Op =
  | { op: 'create'; who: number; criteria: string[]; due: string | undefined }
  | { op: 'retag'; who: number; pick: number; criteria: string[] }
  | { op: 'review'; who: number; pick: number; due: string | undefined }
  | { op: 'delete'; who: number; pick: number }
  | { op: 'restore'; who: number }
  | { op: 'anchor'; who: number; pick: number; status: 'exact' | 'relocated' | 'lost' | 'unknown' }
  | { op: 'sync'; who: number }
  | { op: 'framework'; who: number; id: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), who, criteria: criteriaArb, due: dueArb }),
  fc.record({ op: fc.constant('retag' as const), who, pick, criteria: criteriaArb }),
  fc.record({ op: fc.constant('review' as const), who, pick, due: dueArb }),
  fc.record({ op: fc.constant('delete' as const), who, pick }),
  fc.record({ op: fc.constant('restore' as const), who }),
  fc.record({
    op: fc.constant('anchor' as const),
    who,
    pick,
    status: fc.constantFrom('exact' as const, 'relocated' as const, 'lost' as const, 'unknown' as const),
  }),
  fc.record({ op: fc.constant('sync' as const), who }),
  fc.record({
    op: fc.constant('framework' as const),
    who,
    id: fc.constantFrom(demoFramework.id, qsi2021Structure.id),
  }),
);

const sorted = async (db: ClipperDb) =>
  (await db.coverage.toArray()).sort((a, b) => (a.criterionId < b.criterionId ? -1 : 1));

async function expectConsistent(db: ClipperDb): Promise<void> {
  const clips = await db.clips.toArray();
  expect(await sorted(db)).toEqual(recountAggregates(clips));
  const active = await readActiveCoverage(db, TODAY);
  const framework = [demoFramework, qsi2021Structure].find((f) => f.id === active?.frameworkId);
  if (!active || !framework) throw new Error('no active framework');
  const assessments = await db.assessments.toArray();
  const full = computeCoverage({ framework, clips, assessments, today: TODAY });
  expect(active.coverage.tally).toEqual(full.tally);
  const counts = (c: { id: string; fresh: number; stale: number; rag: string }) => [
    c.id,
    c.fresh,
    c.stale,
    c.rag,
  ];
  expect(active.coverage.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map(counts)))).toEqual(
    full.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map(counts))),
  );
}

async function run(ops: Op[]): Promise<void> {
  const fixture = await openTeamFixture(7);
  try {
    const clients: Client[] = [await fixture.join('Ann'), await fixture.join('Bob')];
    for (const c of clients) await seedFrameworks(c.db);
    let n = 0;
    const undos: (Undo | undefined)[] = [undefined, undefined];
    for (const op of ops) {
      const c = clients[op.who];
      if (!c) continue;
      const writes = createLocalWrites({
        db: c.db,
        now: () => AT,
        newId: () => crypto.randomUUID(),
        onCommitted: () => {},
      });
      const live = (await c.db.clips.toArray()).filter((x) => !x.deleted);
      const target = 'pick' in op ? live[op.pick % Math.max(1, live.length)] : undefined;
      switch (op.op) {
        case 'create': {
          n += 1;
          const url = `https://intranet.example.nhs.uk/policies/p${n % 3}`;
          const clip: Clip = clipSchema.parse({
            id: crypto.randomUUID(),
            url,
            docKey: docKey(url),
            title: 'Policy',
            selectors: [{ type: 'TextQuoteSelector', exact: `quote ${n}` }],
            quote: `quote ${n}`,
            criteria: [...new Set(op.criteria)],
            note: '',
            docMeta: op.due ? { reviewDue: op.due } : {},
            createdBy: { id: 'local', name: 'Me' },
            createdAt: AT,
            updatedAt: AT,
            deleted: false,
          });
          await writes.addClip(clip);
          break;
        }
        case 'retag':
          if (target) await writes.updateClip(target.id, { criteria: op.criteria });
          break;
        case 'review':
          if (target) await writes.updateClip(target.id, { docMeta: op.due ? { reviewDue: op.due } : {} });
          break;
        case 'delete':
          if (target) undos[op.who] = await writes.deleteClips([target.id]);
          break;
        case 'restore': {
          const undo = undos[op.who];
          undos[op.who] = undefined;
          if (undo) await writes.undoChange(undo);
          break;
        }
        case 'anchor':
          if (target) await writes.recordAnchors(target.url, [{ id: target.id, status: op.status }]);
          break;
        case 'sync':
          await c.engine.syncNow({ force: true });
          break;
        case 'framework':
          await writes.saveFramework(op.id === demoFramework.id ? demoFramework : qsi2021Structure, {
            activate: true,
          });
          break;
      }
      await expectConsistent(c.db);
    }
    for (const c of clients) await c.engine.syncNow({ force: true });
    for (const c of clients) {
      await c.engine.syncNow({ force: true });
      await expectConsistent(c.db);
    }
  } finally {
    await fixture.server.store.close();
  }
}

describe('coverage aggregates through writes and sync', () => {
  it('equal a recount after any sequence of writes, pushes and pulls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), (ops) => run(ops)),
      { numRuns: 25 },
    );
  }, 240_000);
});
