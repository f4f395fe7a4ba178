// A real server process (SQLite, WAL, synchronous=FULL) is SIGKILLed in the middle of pushes,
// 50 times, and restarted each time. After every kill the database must hold every
// acknowledged mutation and no partial batch; at the end every batch is acknowledged exactly once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite';
import { PROTOCOL_VERSION, type PushResponse } from '../../shared/protocol';
import { headers, makeClip } from '../server/helpers';
import {
  crashLoop,
  freePort,
  joinOverHttp,
  onDisk,
  type ServerProcess,
  seedTeamOffline,
  startServer,
  Writers,
} from './server-process';

const CYCLES = 50;
const CLIENTS = 3;
const BATCH = 5;

interface Batch {
  id: string;
  firstMutationId: number;
  clipIds: string[];
  body: string;
  acked: boolean;
}

describe('SIGKILL during pushes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-sigkill-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged mutation and never a partial batch across ${CYCLES} kills`, async () => {
    const store = await openSqliteStore({ file: path.join(dir, 'clipper.sqlite') });
    const codes = await seedTeamOffline(store, 'Crash team', Array(CLIENTS).fill('editor'));
    await store.close();

    const env = { DATA_DIR: dir, PORT: String(await freePort()) };
    server = await startServer(env);
    const base = server.url;
    const tokens = await Promise.all(codes.map((code, i) => joinOverHttp(base, code, `c${i}`)));

    const batches: Batch[][] = Array.from({ length: CLIENTS }, () => []);
    let running = true;
    let acks = 0;
    const writers = new Writers();
    const newBatch = (client: number): Batch => {
      const list = batches[client] as Batch[];
      const prev = list[list.length - 1];
      const first = prev ? prev.firstMutationId + BATCH + 1 : 1;
      const id = `c${client}-b${list.length}`;
      const clips = Array.from({ length: BATCH }, () => makeClip({ note: id }));
      const mutations = [
        ...clips.map((clip, i) => ({ mutationId: first + i, type: 'clip.create', clip })),
        // The batch's last mutation edits its own first clip: visible only if the whole batch is.
        {
          mutationId: first + BATCH,
          type: 'clip.update',
          id: clips[0]?.id,
          base: {},
          set: {},
          criteriaAdd: [`batch:${id}`],
          criteriaRemove: [],
        },
      ];
      const b: Batch = {
        id,
        firstMutationId: first,
        clipIds: clips.map((c) => c.id),
        body: JSON.stringify({
          protocolVersion: PROTOCOL_VERSION,
          clientId: `sigkill-client-${client}`,
          mutations,
        }),
        acked: false,
      };
      list.push(b);
      return b;
    };
    // Each client pushes its current batch until acknowledged, then the next (an outbox).
    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      let current = newBatch(client);
      while (running || !current.acked) {
        if (current.acked) {
          if (!running) break;
          current = newBatch(client);
        }
        await writers.attempt(async () => {
          const r = await fetch(`${base}/v1/push`, {
            method: 'POST',
            headers: headers(tokens[client]),
            body: current.body,
          });
          if (r.status !== 200) throw new Error(`push ${r.status}`);
          const body = (await r.json()) as PushResponse;
          expect(body.results.every((x) => x.status === 'applied')).toBe(true);
          current.acked = true;
          acks++;
        });
      }
    });

    const checkDisk = () =>
      onDisk(path.join(dir, 'clipper.sqlite'), (db) => {
        const rows = db.prepare("select key, data from records where kind = 'clip'").all() as {
          key: string;
          data: string;
        }[];
        const present = new Map(rows.map((r) => [r.key, JSON.parse(r.data) as { criteria: string[] }]));
        for (const list of batches)
          for (const b of list) {
            const n = b.clipIds.filter((id) => present.has(id)).length;
            const edited = present.get(b.clipIds[0] ?? '')?.criteria.includes(`batch:${b.id}`) ?? false;
            if (b.acked) expect(n, `acknowledged batch ${b.id} lost`).toBe(BATCH);
            expect([0, BATCH], `partial batch ${b.id}`).toContain(n);
            expect(edited, `batch ${b.id} half applied`).toBe(n === BATCH);
          }
        return rows.length;
      });

    const killedMidPush = await crashLoop({
      cycles: CYCLES,
      server,
      env,
      progress: () => [acks],
      inFlight: () => writers.inFlight,
      checkDisk,
      onRestart: (s) => {
        server = s;
      },
    });
    running = false;
    await Promise.all(clients);
    const total = checkDisk();
    const all = batches.flat();
    expect(all.every((b) => b.acked)).toBe(true);
    expect(total).toBe(all.length * BATCH);
    // A full pull through the restarted server returns every clip once, in seq order.
    let cursor: string | null = null;
    const seen: string[] = [];
    for (;;) {
      const r = await fetch(`${base}/v1/pull`, {
        method: 'POST',
        headers: headers(tokens[0]),
        body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, cursor, limit: 1000 }),
      });
      const body = (await r.json()) as {
        changes: { id: string; seq: number }[];
        cursor: string;
        hasMore: boolean;
      };
      seen.push(...body.changes.map((c) => c.id));
      cursor = body.cursor;
      if (!body.hasMore) break;
    }
    expect(new Set(seen).size).toBe(all.length * BATCH);
    expect(seen.length).toBe(all.length * BATCH);
    expect(killedMidPush).toBeGreaterThanOrEqual(CYCLES / 2);
    console.log(
      `[sigkill] ${CYCLES} kills (${killedMidPush} with a push in flight), ${all.length} batches (${acks} acks, ${all.length * (BATCH + 1)} mutations), all present`,
    );
  }, 120_000);
});
