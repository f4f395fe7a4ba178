// The watch loop (extension/lib/sync/watch.ts) against the real server app in process: a clip
// made in A reaches B without B syncing by hand; leave, revocation and an incompatible server end
// the loop; network failures and no-progress wakes back off instead of spinning.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../extension/lib/sync/api';
import { createSyncEngine } from '../../../extension/lib/sync/engine';
import { readSyncOverview, readTeam } from '../../../extension/lib/sync/state';
import { type WatchDeps, watchChanges } from '../../../extension/lib/sync/watch';
import {
  type Client,
  localCreate,
  openTeamFixture,
  type Server,
  type TeamFixture,
} from '../../sync/sim/harness';

let server: Server;
let random: () => number;
let joined: TeamFixture['join'];
const now = () => Date.now();
const at = () => new Date().toISOString();

/** Sleeps recorded and cut short (the loop's backoff is observed, not waited for). */
function fastSleep(onSleep?: (ms: number, n: number) => void) {
  const sleeps: number[] = [];
  const sleep: NonNullable<WatchDeps['sleep']> = async (ms) => {
    sleeps.push(ms);
    onSleep?.(ms, sleeps.length);
    await new Promise((r) => setTimeout(r, 1));
  };
  return { sleeps, sleep };
}

function watch(c: Client, signal: AbortSignal, over: Partial<WatchDeps> = {}) {
  return watchChanges(
    {
      db: c.db,
      fetch: server.fetch,
      credentials: c.credentials,
      now,
      random,
      syncNow: c.engine.syncNow,
      timeoutMs: 1_000,
      backoff: { baseMs: 100, maxMs: 1_000 },
      ...over,
    },
    signal,
  );
}

const until = async (check: () => Promise<boolean>, ms = 3_000) => {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
};

beforeEach(async () => {
  ({ server, random, join: joined } = await openTeamFixture(7));
});
afterEach(async () => {
  await server.store.close();
});

describe('watch loop', () => {
  it("shows A's clip in B without B syncing by hand, well under 2 s", async () => {
    const a = await joined('Ann');
    const b = await joined('Bob');
    const ac = new AbortController();
    const running = watch(b, ac.signal);
    await new Promise((r) => setTimeout(r, 50)); // B's wait is open
    for (const quote of ['First passage', 'Second passage']) {
      const clip = await localCreate(a.db, random, { quote }, at());
      const started = performance.now();
      await a.engine.syncNow({ force: true });
      await until(async () => (await b.db.clips.get(clip.id))?.quote === quote);
      const ms = performance.now() - started;
      console.log(`[watch] A push → visible in B (no Sync now): ${ms.toFixed(0)} ms`);
      expect(ms).toBeLessThan(2_000);
    }
    ac.abort();
    expect(await running).toBe('aborted');
    expect((await readSyncOverview(b.db)).status.state).toBe('synced');
  });

  it('ends when the device leaves the team, and when it is revoked', async () => {
    const b = await joined('Bob');
    const left = watch(b, new AbortController().signal);
    expect((await b.engine.leave()).ok).toBe(true);
    expect(await left).toBe('signed-out');

    const c = await joined('Cat');
    const team = await readTeam(c.db);
    if (!team) throw new Error('not joined');
    const revoked = watch(c, new AbortController().signal);
    await new Promise((r) => setTimeout(r, 50));
    expect(await server.store.revokeDevice(team.teamId, team.deviceId)).toBe(true);
    expect(await revoked).toBe('revoked');
    expect((await readSyncOverview(c.db)).status.state).toBe('revoked');
    // A revoked device does not start watching again by itself.
    expect(await watch(c, new AbortController().signal)).toBe('revoked');
  });

  it('ends on an incompatible server, with the status saying so', async () => {
    const b = await joined('Bob');
    const incompatible: FetchLike = async () =>
      new Response(
        JSON.stringify({
          error: { code: 'incompatible_protocol', message: 'protocol version 1 is not supported' },
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      );
    // B's database and token, talking to a server that speaks another protocol version.
    const engine = createSyncEngine({
      db: b.db,
      fetch: incompatible,
      credentials: b.credentials,
      now,
      random,
      backoff: { baseMs: 1, maxMs: 1 },
    });
    const { sleeps, sleep } = fastSleep();
    const end = await watch(b, new AbortController().signal, {
      fetch: incompatible,
      sleep,
      syncNow: engine.syncNow,
    });
    expect(end).toBe('incompatible');
    expect((await readSyncOverview(b.db)).status.state).toBe('incompatible');
    expect(sleeps).toEqual([]);
  });

  it('backs off on network failures and never spins', async () => {
    const b = await joined('Bob');
    let calls = 0;
    const offline: FetchLike = async () => {
      calls += 1;
      throw new TypeError('Failed to fetch');
    };
    const ac = new AbortController();
    const { sleeps, sleep } = fastSleep((_ms, n) => {
      if (n === 6) ac.abort();
    });
    expect(await watch(b, ac.signal, { fetch: offline, sleep })).toBe('aborted');
    expect(calls).toBe(6);
    expect(sleeps).toHaveLength(6);
    // Exponential with jitter, capped: each ceiling doubles from 100 ms up to 1 000 ms.
    sleeps.forEach((ms, i) => {
      const ceiling = Math.min(1_000, 100 * 2 ** i);
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    });
  });

  it('backs off when a wake brings nothing new (a server that always says changed)', async () => {
    const b = await joined('Bob');
    let waits = 0;
    const liar: FetchLike = async (url, init) => {
      if (url.endsWith('/v1/wait')) {
        waits += 1;
        return new Response(JSON.stringify({ protocolVersion: 1, changed: true, cursor: '999' }), {
          headers: { 'content-type': 'application/json' },
        });
      }
      return server.fetch(url, init);
    };
    const ac = new AbortController();
    const { sleeps, sleep } = fastSleep((_ms, n) => {
      if (n === 3) ac.abort();
    });
    expect(await watch(b, ac.signal, { fetch: liar, sleep })).toBe('aborted');
    expect(waits).toBe(3);
    expect(sleeps).toHaveLength(3);
  });

  it('waits again after a quiet timeout without backing off', async () => {
    const b = await joined('Bob');
    let waits = 0;
    const counting: FetchLike = async (url, init) => {
      if (url.endsWith('/v1/wait')) waits += 1;
      return server.fetch(url, init);
    };
    const ac = new AbortController();
    const { sleeps, sleep } = fastSleep();
    const running = watch(b, ac.signal, { fetch: counting, sleep });
    await until(async () => waits >= 2, 3_000);
    ac.abort();
    expect(await running).toBe('aborted');
    expect(sleeps).toEqual([]);
  });
});
