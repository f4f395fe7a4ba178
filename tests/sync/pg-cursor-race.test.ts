// Many parallel pushes to one team on real PostgreSQL while pullers poll: no pull may ever skip
// a change. The negative control runs the same harness on a plain BIGSERIAL cursor and must
// catch skipped rows; if it did not, the harness would not be exercising the race.
import { randomUUID } from 'node:crypto';
import { type Generated, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDeviceToken, newInviteCode } from '../../server/auth';
import type { SqlStore } from '../../server/store/sql-store';
import type { Actor } from '../../server/store/store';
import { freshPgDatabase, makeClip, openTestStore, PG_URL } from '../server/helpers';

if (!PG_URL)
  console.warn('[pg cursor race] TEST_DATABASE_URL not set: the PostgreSQL concurrency test is SKIPPED');

const WRITERS = 12;
const WRITES_EACH = 10;
const PULLERS = 4;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Random delay inside the write transaction, after the seq was taken: forces overlapping commits. */
const jitter = () => sleep(Math.random() * 6);

interface Impl {
  write(writer: number, i: number): Promise<string>;
  pull(cursor: number): Promise<{ items: { id: string; seq: number }[]; cursor: number }>;
}

interface Outcome {
  written: Set<string>;
  missing: number[];
  outOfOrder: number;
}

async function race(impl: Impl): Promise<Outcome> {
  const written = new Set<string>();
  let writing = true;
  const views = Array.from({ length: PULLERS }, () => ({
    cursor: 0,
    seen: new Set<string>(),
    seqs: [] as number[],
  }));
  const drain = async (v: (typeof views)[number]) => {
    for (;;) {
      const page = await impl.pull(v.cursor);
      for (const it of page.items) {
        v.seen.add(it.id);
        v.seqs.push(it.seq);
      }
      v.cursor = page.cursor;
      if (page.items.length === 0) return;
    }
  };
  const pullers = views.map(async (v) => {
    while (writing) {
      await drain(v);
      await sleep(Math.random() * 2);
    }
  });
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < WRITES_EACH; i++) written.add(await impl.write(w, i));
    }),
  );
  writing = false;
  await Promise.all(pullers);
  // Quiesced: a final incremental pull from each puller's own cursor.
  for (const v of views) await drain(v);
  const missing = views.map((v) => [...written].filter((id) => !v.seen.has(id)).length);
  const outOfOrder = views.reduce(
    (n, v) => n + v.seqs.filter((s, i) => i > 0 && s <= (v.seqs[i - 1] ?? 0)).length,
    0,
  );
  return { written, missing, outOfOrder };
}

describe.skipIf(!PG_URL)('PostgreSQL: concurrent pushes never make a pull skip a change', () => {
  let store: SqlStore;
  let naive: Kysely<{ naive_changes: { seq: Generated<number>; id: string } }>;
  let pool: pg.Pool;

  beforeAll(async () => {
    store = await openTestStore('postgres', { hooks: { beforeCommit: jitter }, max: WRITERS + PULLERS + 2 });
    pool = new pg.Pool({ connectionString: await freshPgDatabase(), max: WRITERS + PULLERS + 2 });
    naive = new Kysely({ dialect: new PostgresDialect({ pool }) });
    await sql`create table naive_changes (seq bigserial primary key, id text not null)`.execute(naive);
  });
  afterAll(async () => {
    await store?.close();
    await naive?.destroy();
  });

  it('team counter row: every puller sees every change, in seq order, seqs contiguous', async () => {
    const team = await store.createTeam('Race');
    const actors: Actor[] = [];
    for (let w = 0; w < WRITERS; w++) {
      const { codeHash } = newInviteCode();
      await store.createInvite(team.id, {
        role: 'editor',
        maxUses: 1,
        expiresAt: Date.now() + 60_000,
        codeHash,
        createdBy: null,
      });
      const { deviceId, tokenHash } = newDeviceToken();
      const r = await store.redeemInvite({
        codeHash,
        displayName: `w${w}`,
        deviceLabel: '',
        deviceId,
        tokenHash,
      });
      if (!r) throw new Error('join failed');
      actors.push({ teamId: team.id, memberId: r.member.id, memberName: `w${w}`, role: 'editor', deviceId });
    }
    const out = await race({
      async write(w, i) {
        const clip = makeClip();
        const actor = actors[w] as Actor;
        await store.push(actor, `client-writer-${w}`, [
          { ok: true, mutation: { mutationId: i + 1, type: 'clip.create', clip } },
        ]);
        return clip.id;
      },
      async pull(cursor) {
        const r = await store.pull(team.id, cursor, 50);
        if (r.type !== 'changes') throw new Error('unexpected resync');
        return {
          items: r.changes.map((c) => ({ id: c.kind === 'clip' ? c.id : '', seq: c.seq })),
          cursor: Number(r.cursor),
        };
      },
    });
    expect(out.written.size).toBe(WRITERS * WRITES_EACH);
    expect(out.missing).toEqual(Array(PULLERS).fill(0));
    expect(out.outOfOrder).toBe(0);
    const full = await store.pull(team.id, null, 1000);
    if (full.type !== 'changes') throw new Error('resync');
    expect(full.changes.map((c) => c.seq)).toEqual(
      Array.from({ length: WRITERS * WRITES_EACH }, (_, i) => i + 1),
    );
  });

  it('negative control: a plain sequence cursor loses changes under the same load', async () => {
    const out = await race({
      async write() {
        const id = randomUUID();
        await naive.transaction().execute(async (tx) => {
          await tx.insertInto('naive_changes').values({ id }).execute();
          await jitter();
        });
        return id;
      },
      async pull(cursor) {
        const rows = await naive
          .selectFrom('naive_changes')
          .select(['seq', 'id'])
          .where('seq', '>', cursor)
          .orderBy('seq')
          .limit(50)
          .execute();
        const items = rows.map((r) => ({ id: r.id, seq: Number(r.seq) }));
        return { items, cursor: items.length ? (items[items.length - 1]?.seq ?? cursor) : cursor };
      },
    });
    const lost = out.missing.reduce((a, b) => a + b, 0);
    console.log(
      `[negative control] plain sequence cursor: ${lost} missed row-views across ${PULLERS} pullers`,
    );
    expect(lost).toBeGreaterThan(0);
  });
});
