// The long-poll fan-out (server/wait-hub.ts) on its own and through a real HTTP socket: one change
// wakes every waiter of its team and no other; the safety net is one counter read per interval for
// all waiting teams, only while there are waiters, faster while the feed is down and at once when
// it comes back; abort, timeout and close leave no waiter, timer or abort listener behind.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createChangeFeed } from '../../server/store/change-feed';
import type { SqlStore } from '../../server/store/sql-store';
import { createWaitHub, type WaitHub } from '../../server/wait-hub';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { addMember, call, createApp, createTeam, headers, makeClip, openTestStore } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const never = () => new AbortController().signal;

/** A store stand-in: a feed the test drives, and counters the safety net reads (calls counted). */
function fakeStore(seqs: Record<string, number>, opts: { live?: boolean } = {}) {
  const feed = createChangeFeed(opts.live === false ? () => async () => {} : undefined);
  const reads: string[][] = [];
  return {
    feed,
    reads,
    seqs,
    store: {
      changes: feed,
      async teamSeqs(ids: readonly string[]) {
        reads.push([...ids]);
        return new Map(ids.filter((id) => id in seqs).map((id) => [id, seqs[id] ?? 0]));
      },
    },
  };
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('wait hub', () => {
  let hub: WaitHub | undefined;
  afterEach(() => {
    hub?.close();
    hub = undefined;
  });

  it("wakes every waiter of the changed team at once, and no other team's", async () => {
    const f = fakeStore({ a: 5, b: 7 });
    hub = createWaitHub({ store: f.store, safetyNetMs: 60_000 });
    const a = Array.from({ length: 20 }, () => hub?.wait('a', 5, 5, 5_000, never()));
    const b = hub.wait('b', 7, 7, 300, never());
    expect(hub.stats()).toMatchObject({ teams: 2, waiters: 21 });
    const t0 = performance.now();
    f.feed.change('a', 6);
    const woken = await Promise.all(a);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(woken.every((w) => w?.changed === true && w.seq === 6)).toBe(true);
    expect(await b).toEqual({ changed: false, seq: 7 });
    expect(hub.stats()).toEqual({ teams: 0, waiters: 0, timers: 0, abortListeners: 0 });
    expect(f.reads).toEqual([]);
  });

  it('answers at once when the head read with the token, or a change heard since, is past the cursor', async () => {
    const f = fakeStore({ a: 5 });
    hub = createWaitHub({ store: f.store });
    expect(await hub.wait('a', 4, 5, 5_000, never())).toEqual({ changed: true, seq: 5 });
    // Heard between the token lookup (head 5) and the wait: not lost.
    f.feed.change('a', 6);
    expect(await hub.wait('a', 5, 5, 5_000, never())).toEqual({ changed: true, seq: 6 });
    expect(hub.stats().waiters).toBe(0);
  });

  it('reads the counters of all waiting teams in one query per interval, only while they wait', async () => {
    const f = fakeStore({ a: 1, b: 1, c: 1 });
    hub = createWaitHub({ store: f.store, safetyNetMs: 150 });
    const waits = ['a', 'b', 'c'].map((t) => hub?.wait(t, 1, 1, 10_000, never()));
    await sleep(500);
    // ~3 sweeps in 500 ms, each one read naming the three teams.
    expect(f.reads.length).toBeGreaterThanOrEqual(2);
    expect(f.reads.length).toBeLessThanOrEqual(4);
    for (const r of f.reads) expect(r.sort()).toEqual(['a', 'b', 'c']);
    // A change nobody announced (another process, notification lost) is found by the next read.
    f.seqs.b = 2;
    const t0 = performance.now();
    expect(await waits[1]).toEqual({ changed: true, seq: 2 });
    expect(performance.now() - t0).toBeLessThan(400);
    hub.close();
    expect(await waits[0]).toEqual({ changed: false, seq: 1 });
    const after = f.reads.length;
    await sleep(400);
    expect(f.reads.length).toBe(after);
  });

  it('reads faster while the feed is down and at once when it is back', async () => {
    const f = fakeStore({ a: 1 }, { live: false });
    hub = createWaitHub({ store: f.store, safetyNetMs: 60_000, fallbackMs: 100 });
    expect(f.feed.live).toBe(false);
    const w = hub.wait('a', 1, 1, 10_000, never());
    await sleep(450);
    expect(f.reads.length).toBeGreaterThanOrEqual(2);
    f.feed.status(true);
    const before = f.reads.length;
    f.seqs.a = 3; // moved while the listener was away: no notification will come
    expect(await w).toEqual({ changed: true, seq: 3 });
    expect(f.reads.length).toBe(before + 1);
  });

  it('leaves no waiter, timer or abort listener behind after aborts, timeouts and close', async () => {
    const f = fakeStore({ a: 1 });
    hub = createWaitHub({ store: f.store, safetyNetMs: 60_000 });
    const baseline = timeouts();
    const aborts = Array.from({ length: 50 }, () => new AbortController());
    const waits = aborts.map((c) => hub?.wait('a', 1, 1, 20_000, c.signal));
    const short = Array.from({ length: 10 }, () => hub?.wait('a', 1, 1, 50, never()));
    expect(hub.stats()).toEqual({ teams: 1, waiters: 60, timers: 61, abortListeners: 60 });
    expect(timeouts()).toBeGreaterThanOrEqual(baseline + 60);
    for (const c of aborts) c.abort();
    expect((await Promise.all(waits)).every((w) => w?.changed === false)).toBe(true);
    expect((await Promise.all(short)).every((w) => w?.changed === false)).toBe(true);
    expect(hub.stats()).toEqual({ teams: 0, waiters: 0, timers: 0, abortListeners: 0 });
    expect(timeouts()).toBeLessThanOrEqual(baseline);
    // Close answers the ones still waiting and refuses to hold new ones.
    const open = hub.wait('a', 1, 1, 20_000, never());
    hub.close();
    expect(await open).toEqual({ changed: false, seq: 1 });
    expect(await hub.wait('a', 1, 1, 20_000, never())).toEqual({ changed: false, seq: 1 });
    expect(hub.stats()).toEqual({ teams: 0, waiters: 0, timers: 0, abortListeners: 0 });
  });
});

describe('/v1/wait over a real socket (SQLite file store)', () => {
  let store: SqlStore | undefined;
  let server: ReturnType<typeof serve> | undefined;
  afterEach(async () => {
    server?.close();
    server = undefined;
    await store?.close();
    store = undefined;
  });

  async function world(waitSafetyNetMs = 60_000) {
    store = await openTestStore('sqlite-file');
    // Many waiters share one device token here; the per-token cap is tested in limits.test.ts.
    const app = createApp({ store, log: () => {}, waitSafetyNetMs, maxWaitsPerToken: 1_000 });
    const { admin, team } = await createTeam(store, app);
    const viewer = await addMember(app, admin.token, 'viewer', 'Vic');
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const cursor = String(
      (await call(app, 'POST', '/v1/pull', viewer.token, { protocolVersion: PROTOCOL_VERSION, cursor: null }))
        .json.cursor,
    );
    return { app, admin, viewer, team, port, cursor };
  }

  /** A raw wait request; `req` lets the test drop the connection. */
  function openWait(port: number, token: string, cursor: string, timeoutMs = 20_000) {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/v1/wait',
      method: 'POST',
      headers: headers(token),
    });
    const answered = new Promise<Record<string, unknown>>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => {
          text += String(d);
        });
        res.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
      });
      req.on('error', reject);
    });
    req.end(JSON.stringify({ protocolVersion: PROTOCOL_VERSION, cursor, timeoutMs }));
    return { req, answered };
  }

  it('a push in the same process wakes the waiter at once', async () => {
    const { app, admin, viewer, port, cursor } = await world();
    const w = openWait(port, viewer.token, cursor);
    await sleep(100);
    const t0 = performance.now();
    const pushed = await call(app, 'POST', '/v1/push', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'hub-test',
      mutations: [{ mutationId: 1, type: 'clip.create', clip: makeClip() }],
    });
    expect(pushed.status).toBe(200);
    expect(await w.answered).toMatchObject({ changed: true, cursor: String(Number(cursor) + 1) });
    expect(performance.now() - t0).toBeLessThan(300);
    expect(app.waitStats().waiters).toBe(0);
  });

  it('a client that hangs up leaves nothing waiting', async () => {
    const { app, viewer, port, cursor } = await world();
    const waits = Array.from({ length: 20 }, () => openWait(port, viewer.token, cursor));
    for (const w of waits) w.answered.catch(() => undefined);
    const deadline = performance.now() + 2_000;
    while (app.waitStats().waiters < 20 && performance.now() < deadline) await sleep(10);
    expect(app.waitStats()).toMatchObject({ teams: 1, waiters: 20, abortListeners: 20 });
    for (const w of waits) w.req.destroy();
    while (app.waitStats().waiters > 0 && performance.now() < deadline + 1_000) await sleep(10);
    expect(app.waitStats()).toEqual({ teams: 0, waiters: 0, timers: 0, abortListeners: 0 });
  });

  it('the safety net finds a change no notification announced', async () => {
    const { app, viewer, team, port, cursor } = await world(200);
    const w = openWait(port, viewer.token, cursor);
    await sleep(100);
    // Another process's write (the CLI on the same file) is not announced to this one.
    if (!store) throw new Error('no store');
    await sql`update teams set seq = seq + 1 where id = ${team.id}`.execute(store.db);
    const t0 = performance.now();
    expect(await w.answered).toMatchObject({ changed: true, cursor: String(Number(cursor) + 1) });
    expect(performance.now() - t0).toBeLessThan(600);
    expect(app.waitStats().waiters).toBe(0);
  });
});
