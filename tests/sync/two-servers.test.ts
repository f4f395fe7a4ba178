// Two real server processes share one PostgreSQL database; clients on each create, edit (with
// field versions), re-tag and delete the same clips concurrently. After quiescing, every client
// holds the same state as a fresh full pull, and every acknowledged create is there.
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../server/store/postgres';
import { canonicalJson } from '../../shared/merge';
import {
  type Change,
  type MutationResult,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushResponse,
} from '../../shared/protocol';
import { seededRandom } from '../../shared/seeded-random';
import { freshPgDatabase, headers, makeClip, PG_URL } from '../server/helpers';
import { joinOverHttp, type ServerProcess, seedTeamOffline, startServer } from './server-process';

if (!PG_URL)
  console.warn('[two servers] TEST_DATABASE_URL not set: the two-process PostgreSQL test is SKIPPED');

const CLIENTS = 4;
const ROUNDS = 25;

interface View {
  clips: Map<string, { data: Record<string, unknown> | null; versions: Record<string, number> }>;
  cursor: string | null;
}

describe.skipIf(!PG_URL)('two server processes on one PostgreSQL', () => {
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill();
  });

  it('converge: clients on either process end with identical state', async () => {
    const seed = Date.now() % 100_000;
    const rand = seededRandom(seed);
    const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
    const url = await freshPgDatabase();
    const store = await openPostgresStore({ url });
    const codes = await seedTeamOffline(store, 'Two servers', Array(CLIENTS).fill('editor'));
    await store.close();
    const [s1, s2] = await Promise.all([
      startServer({ DATABASE_URL: url }),
      startServer({ DATABASE_URL: url }),
    ]);
    if (!s1 || !s2) throw new Error('servers did not start');
    servers.push(s1, s2);
    const post = async (base: string, p: string, token: string | undefined, body: unknown) => {
      const r = await fetch(`${base}${p}`, {
        method: 'POST',
        headers: headers(token),
        body: JSON.stringify(body),
      });
      if (r.status >= 300) throw new Error(`${p} ${r.status} ${await r.text()}`);
      return r.json();
    };
    const clients = await Promise.all(
      codes.map(async (code, i) => {
        const base = (i % 2 ? s2 : s1).url;
        const token = await joinOverHttp(base, code, `c${i}`);
        return {
          base,
          token,
          clientId: `two-servers-${i}`,
          nextId: 1,
          view: { clips: new Map(), cursor: null } as View,
          /** Clips this client created: editors may retitle only their own (others' they annotate). */
          mine: new Set<string>(),
        };
      }),
    );
    const createdAcked = new Set<string>();
    const deletedAcked = new Set<string>();

    const pull = async (c: (typeof clients)[number]) => {
      for (;;) {
        const r = (await post(c.base, '/v1/pull', c.token, {
          protocolVersion: PROTOCOL_VERSION,
          cursor: c.view.cursor,
          limit: 100,
        })) as PullResponse;
        if (r.type !== 'changes') throw new Error('unexpected resync');
        for (const ch of r.changes as Change[])
          if (ch.kind === 'clip')
            c.view.clips.set(ch.id, {
              data: ch.deleted ? null : (ch.clip as Record<string, unknown>),
              versions: ch.versions,
            });
        c.view.cursor = r.cursor;
        if (!r.hasMore) return;
      }
    };

    await Promise.all(
      clients.map(async (c) => {
        for (let round = 0; round < ROUNDS; round++) {
          const live = [...c.view.clips.entries()].filter(([, v]) => v.data !== null);
          const mutations: Record<string, unknown>[] = [];
          const n = 1 + Math.floor(rand() * 3);
          for (let k = 0; k < n; k++) {
            const target = pick(live);
            const r = rand();
            const mutationId = c.nextId++;
            if (!target || r < 0.35) {
              const clip = makeClip();
              c.mine.add(clip.id);
              mutations.push({ mutationId, type: 'clip.create', clip });
            } else if (r < 0.8) {
              const field = rand() < 0.5 || !c.mine.has(target[0]) ? 'note' : 'title';
              mutations.push({
                mutationId,
                type: 'clip.update',
                id: target[0],
                base: target[1].versions,
                set: { [field]: `${c.clientId}-${round}-${k}` },
                criteriaAdd: rand() < 0.5 ? [`demo:C${Math.floor(rand() * 5)}`] : [],
                criteriaRemove: rand() < 0.3 ? [`demo:C${Math.floor(rand() * 5)}`] : [],
              });
            } else mutations.push({ mutationId, type: 'clip.delete', id: target[0] });
          }
          const res = (await post(c.base, '/v1/push', c.token, {
            protocolVersion: PROTOCOL_VERSION,
            clientId: c.clientId,
            mutations,
          })) as PushResponse;
          res.results.forEach((result: MutationResult, i) => {
            const m = mutations[i] as { type: string; clip?: { id: string }; id?: string };
            expect(result.status).not.toBe('rejected');
            if (result.status === 'applied' && m.type === 'clip.create' && m.clip)
              createdAcked.add(m.clip.id);
            if (result.status === 'applied' && m.type === 'clip.delete' && m.id) deletedAcked.add(m.id);
          });
          await pull(c);
        }
      }),
    );
    for (const c of clients) await pull(c);
    const snapshot = (v: View) =>
      canonicalJson(
        Object.fromEntries(
          [...v.clips.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, x]) => [id, x.data]),
        ),
      );
    const fresh = {
      base: s2.url,
      token: clients[0]?.token,
      clientId: 'fresh',
      nextId: 1,
      view: { clips: new Map(), cursor: null } as View,
    };
    await pull(fresh as (typeof clients)[number]);
    const expected = snapshot(fresh.view);
    for (const c of clients)
      expect(snapshot(c.view), `client ${c.clientId} diverged (seed ${seed})`).toBe(expected);
    for (const id of createdAcked)
      expect(fresh.view.clips.has(id), `acknowledged create ${id} lost`).toBe(true);
    for (const id of deletedAcked) expect(fresh.view.clips.get(id)?.data).toBeNull();
    console.log(
      `[two servers] seed ${seed}: ${createdAcked.size} clips created, ${deletedAcked.size} deleted, ${CLIENTS} clients converged`,
    );
  }, 60_000);
});
