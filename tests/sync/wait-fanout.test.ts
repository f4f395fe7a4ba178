// Long-poll fan-out across real server processes. On one PostgreSQL: a push on process B wakes
// waiters on process A through LISTEN/NOTIFY, well before the (10 s) safety net could; another
// team's waiter stays asleep; with A's listener connection killed, a push still reaches A (the
// reconnect re-reads the counters) and notifications work again afterwards; a change nobody
// announced is found by the safety net. On SQLite: SIGTERM answers open waits before exiting.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { LISTENER_APPLICATION_NAME } from '../../server/store/pg-listen';
import { openPostgresStore } from '../../server/store/postgres';
import { openSqliteStore } from '../../server/store/sqlite';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { freshPgDatabase, headers, makeClip, PG_URL } from '../server/helpers';
import { joinOverHttp, type ServerProcess, seedTeamOffline, sleep, startServer } from './server-process';

if (!PG_URL) console.warn('[wait fan-out] TEST_DATABASE_URL not set: the PostgreSQL part is SKIPPED');

const v = PROTOCOL_VERSION;

async function post(base: string, p: string, token: string, body: unknown) {
  const r = await fetch(`${base}${p}`, {
    method: 'POST',
    headers: headers(token),
    body: JSON.stringify(body),
  });
  if (r.status !== 200) throw new Error(`${p} ${r.status} ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
}

async function headOf(base: string, token: string) {
  return String((await post(base, '/v1/wait', token, { protocolVersion: v, cursor: null })).cursor);
}

/** A wait that records when it was answered. */
function wait(base: string, token: string, cursor: string, timeoutMs = 20_000) {
  return post(base, '/v1/wait', token, { protocolVersion: v, cursor, timeoutMs }).then((json) => ({
    json,
    at: performance.now(),
  }));
}

let mutationId = 0;
function push(base: string, token: string) {
  mutationId += 1;
  return post(base, '/v1/push', token, {
    protocolVersion: v,
    clientId: 'wait-fanout',
    mutations: [{ mutationId, type: 'clip.create', clip: makeClip() }],
  });
}

describe.skipIf(!PG_URL)('wait fan-out across server processes (PostgreSQL)', () => {
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill();
  });

  it('a push on B wakes waiters on A within 1 s, not after the 10 s safety net; other teams sleep on', async () => {
    const url = await freshPgDatabase();
    const store = await openPostgresStore({ url });
    const [adminCode, viewerCode] = await seedTeamOffline(store, 'Imaging', ['admin', 'viewer']);
    const [otherCode] = await seedTeamOffline(store, 'Surgery', ['viewer']);
    await store.close();
    // Several waiters share one device token here; the per-token cap is tested in limits.test.ts.
    const env = { DATABASE_URL: url, WAIT_SAFETY_NET_MS: '10000', MAX_WAITS_PER_TOKEN: '100' };
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    servers.push(a, b);
    const writer = await joinOverHttp(b.url, adminCode as string, 'Writer');
    const reader = await joinOverHttp(a.url, viewerCode as string, 'Reader');
    const other = await joinOverHttp(a.url, otherCode as string, 'Other');
    const otherHead = await headOf(a.url, other);

    for (let round = 0; round < 5; round++) {
      const cursor = await headOf(a.url, reader);
      const waiters = Array.from({ length: 5 }, () => wait(a.url, reader, cursor));
      const asleep = wait(a.url, other, otherHead, 1_500);
      await sleep(150);
      const pushedAt = performance.now();
      await push(b.url, writer);
      for (const w of await Promise.all(waiters)) {
        expect(w.json).toMatchObject({ changed: true, cursor: String(Number(cursor) + 1) });
        expect(w.at - pushedAt).toBeLessThan(1_000);
      }
      expect((await asleep).json).toMatchObject({ changed: false, cursor: otherHead });
    }

    // Kill A's listener connection: a push made while it reconnects still reaches A's waiter (the
    // reconnect re-reads the counters), and notifications wake A again once it is back.
    const admin = await openPostgresStore({ url });
    try {
      let cursor = await headOf(a.url, reader);
      let waiting = wait(a.url, reader, cursor);
      await sleep(100);
      const killed = await sql<{ n: number }>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
         where datname = current_database() and application_name = ${LISTENER_APPLICATION_NAME}`.execute(
        admin.db,
      );
      expect(killed.rows[0]?.n).toBe(2);
      let pushedAt = performance.now();
      await push(b.url, writer);
      let woke = await waiting;
      expect(woke.json).toMatchObject({ changed: true });
      expect(woke.at - pushedAt).toBeLessThan(3_000);

      await sleep(1_500); // both listeners reconnected (first retry after ≤ 250 ms)
      const listeners = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
         where datname = current_database() and application_name = ${LISTENER_APPLICATION_NAME}`.execute(
        admin.db,
      );
      expect(listeners.rows[0]?.n).toBe(2);
      cursor = await headOf(a.url, reader);
      waiting = wait(a.url, reader, cursor);
      await sleep(100);
      pushedAt = performance.now();
      await push(b.url, writer);
      woke = await waiting;
      expect(woke.json).toMatchObject({ changed: true, cursor: String(Number(cursor) + 1) });
      expect(woke.at - pushedAt).toBeLessThan(1_000);
    } finally {
      await admin.close();
    }
  }, 60_000);

  it('the safety net wakes a waiter whose change was never announced', async () => {
    const url = await freshPgDatabase();
    const db = await openPostgresStore({ url });
    try {
      const [viewerCode] = await seedTeamOffline(db, 'Imaging', ['viewer']);
      const s = await startServer({
        DATABASE_URL: url,
        WAIT_SAFETY_NET_MS: '500',
        MAX_WAITS_PER_TOKEN: '100',
      });
      servers.push(s);
      const viewer = await joinOverHttp(s.url, viewerCode as string, 'Vic');
      const cursor = await headOf(s.url, viewer);
      const waiting = wait(s.url, viewer, cursor);
      await sleep(100);
      // A plain UPDATE sends no NOTIFY: only the safety net (500 ms here) can see it.
      const movedAt = performance.now();
      await sql`update teams set seq = seq + 1 where name = 'Imaging'`.execute(db.db);
      const woke = await waiting;
      expect(woke.json).toMatchObject({ changed: true, cursor: String(Number(cursor) + 1) });
      expect(woke.at - movedAt).toBeLessThan(1_500);
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe('server shutdown with open waits (SQLite process)', () => {
  it('SIGTERM answers open waits changed:false, then the process exits 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-wait-'));
    const store = await openSqliteStore({ file: path.join(dir, 'clipper.sqlite') });
    const [code] = await seedTeamOffline(store, 'Imaging', ['viewer']);
    await store.close();
    const s = await startServer({ DATA_DIR: dir, MAX_WAITS_PER_TOKEN: '100' });
    try {
      const viewer = await joinOverHttp(s.url, code as string, 'Vic');
      const cursor = await headOf(s.url, viewer);
      const waits = Array.from({ length: 5 }, () => wait(s.url, viewer, cursor));
      await sleep(200);
      const exited = new Promise<number | null>((resolve) => s.child.once('exit', (c) => resolve(c)));
      const t0 = performance.now();
      s.child.kill('SIGTERM');
      for (const w of await Promise.all(waits)) {
        expect(w.json).toEqual({ protocolVersion: v, changed: false, cursor });
        expect(w.at - t0).toBeLessThan(1_000);
      }
      expect(await exited).toBe(0);
      expect(performance.now() - t0).toBeLessThan(4_000);
    } finally {
      await s.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
