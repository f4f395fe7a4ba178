// Resource limits from the security review: client addresses behind a trusted proxy, IPv6 keyed
// by /64, a global cap on joins, a per-team storage quota (SQLite and PostgreSQL) and a cap on
// concurrent long-polls per token.
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddress, rateKey, trustedProxies } from '../../server/client-address';
import type { SqlStore } from '../../server/store/sql-store';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { call, createApp, createTeam, headers, makeClip, openTestStore, PG_URL } from './helpers';

const V = PROTOCOL_VERSION;
const CODE = `qsi-inv-${'A'.repeat(32)}`; // well-formed, never issued: a 401 that counts

describe('client addresses', () => {
  const proxy = trustedProxies('127.0.0.1, ::1, not-an-address');

  it('reads X-Forwarded-For only from a trusted proxy, from the right', () => {
    expect([...proxy]).toEqual(['127.0.0.1', '::1']);
    expect(clientAddress('127.0.0.1', '10.1.2.3', proxy)).toBe('10.1.2.3');
    expect(clientAddress('::ffff:127.0.0.1', '10.1.2.3', proxy)).toBe('10.1.2.3');
    // A client's own X-Forwarded-For entries sit to the left of what the proxy appended.
    expect(clientAddress('127.0.0.1', '6.6.6.6, 10.1.2.3', proxy)).toBe('10.1.2.3');
    expect(clientAddress('127.0.0.1', '10.1.2.3, 127.0.0.1', proxy)).toBe('10.1.2.3');
    // Controls: an untrusted peer's header is ignored; a malformed hop stops the walk.
    expect(clientAddress('10.9.9.9', '1.2.3.4', proxy)).toBe('10.9.9.9');
    expect(clientAddress('127.0.0.1', 'garbage', proxy)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', undefined, proxy)).toBe('127.0.0.1');
  });

  it('keys IPv6 by /64 and IPv4 by address', () => {
    expect(rateKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(rateKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(rateKey('2001:0db8:0001:0002:0:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(rateKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateKey('2001:db8:1:3::1')).not.toBe(rateKey('2001:db8:1:2::1'));
    expect(rateKey('10.1.2.3')).toBe('10.1.2.3');
  });
});

/** A request as if from socket `peer` (what @hono/node-server's getConnInfo reads). */
function from(app: ReturnType<typeof createApp>, peer: string, forwarded?: string) {
  return app.request(
    '/v1/join',
    {
      method: 'POST',
      headers: { ...headers(), ...(forwarded ? { 'x-forwarded-for': forwarded } : {}) },
      body: JSON.stringify({ protocolVersion: V, code: CODE, displayName: 'X', deviceLabel: '' }),
    },
    {
      incoming: {
        socket: { remoteAddress: peer, remotePort: 1, remoteFamily: peer.includes(':') ? 'IPv6' : 'IPv4' },
      },
    },
  );
}

describe('join rate limits', () => {
  const limits = { joins: { perMinute: 1, burst: 2 }, joinsGlobal: { perMinute: 1, burst: 100 } };

  it('gives each client behind a trusted proxy its own bucket', async () => {
    const store = await openTestStore('sqlite');
    const app = createApp({ store, log: () => {}, limits, trustProxy: '127.0.0.1' });
    expect((await from(app, '127.0.0.1', '10.0.0.1')).status).toBe(401);
    expect((await from(app, '127.0.0.1', '10.0.0.1')).status).toBe(401);
    expect((await from(app, '127.0.0.1', '10.0.0.1')).status).toBe(429);
    expect((await from(app, '127.0.0.1', '10.0.0.2')).status).toBe(401);
    // Control: without TRUST_PROXY, everyone behind the proxy shares the proxy's bucket.
    const shared = createApp({ store, log: () => {}, limits });
    await from(shared, '127.0.0.1', '10.0.0.1');
    await from(shared, '127.0.0.1', '10.0.0.1');
    expect((await from(shared, '127.0.0.1', '10.0.0.2')).status).toBe(429);
    // And a client that is not the proxy cannot pick its key by sending the header.
    const direct = createApp({ store, log: () => {}, limits, trustProxy: '127.0.0.1' });
    await from(direct, '10.5.5.5', '1.1.1.1');
    await from(direct, '10.5.5.5', '2.2.2.2');
    expect((await from(direct, '10.5.5.5', '3.3.3.3')).status).toBe(429);
    await store.close();
  });

  it('counts one IPv6 /64 as one client', async () => {
    const store = await openTestStore('sqlite');
    const app = createApp({ store, log: () => {}, limits });
    expect((await from(app, '2001:db8:1:2::1')).status).toBe(401);
    expect((await from(app, '2001:db8:1:2::2')).status).toBe(401);
    expect((await from(app, '2001:db8:1:2::ffff')).status).toBe(429);
    expect((await from(app, '2001:db8:1:3::1')).status).toBe(401);
    await store.close();
  });

  it('caps joins across all addresses', async () => {
    const store = await openTestStore('sqlite');
    const app = createApp({
      store,
      log: () => {},
      limits: { joins: { perMinute: 10, burst: 10 }, joinsGlobal: { perMinute: 1, burst: 3 } },
    });
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) expect((await from(app, ip)).status).toBe(401);
    const capped = await from(app, '10.0.0.4');
    expect(capped.status).toBe(429);
    expect(capped.headers.get('retry-after')).toMatch(/^\d+$/);
    await store.close();
  });
});

describe('concurrent long-polls per token', () => {
  it('refuses a poll beyond the cap with 429 and admits again when one ends', async () => {
    const store = await openTestStore('sqlite');
    const app = createApp({ store, log: () => {}, maxWaitsPerToken: 2 });
    const { admin } = await createTeam(store, app);
    const wait = () =>
      call(app, 'POST', '/v1/wait', admin.token, { protocolVersion: V, cursor: '0', timeoutMs: 1000 });
    const open = [wait(), wait()];
    await new Promise((r) => setTimeout(r, 50));
    const third = await wait();
    expect(third.status).toBe(429);
    expect(third.json).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await Promise.all(open)).map((r) => r.status)).toEqual([200, 200]);
    expect((await wait()).status).toBe(200);
    await store.close();
  });
});

for (const backend of [
  { kind: 'sqlite' as const, skip: false },
  { kind: 'postgres' as const, skip: !PG_URL },
]) {
  describe.skipIf(backend.skip)(`per-team storage quota (${backend.kind})`, () => {
    let store: SqlStore | undefined;
    afterEach(async () => {
      await store?.close();
    });

    it('rejects a write past the quota with a message; deleting frees room; other teams unaffected', async () => {
      store = await openTestStore(backend.kind, { teamQuotaBytes: 4_000 });
      const app = createApp({ store, log: () => {} });
      const a = await createTeam(store, app, 'Full', 'Ada');
      const b = await createTeam(store, app, 'Other', 'Bob');
      const big = () => makeClip({ note: 'n'.repeat(1_000) });
      const clips = [big(), big(), big(), big()];
      const push = (token: string, clientId: string, mutations: unknown[]) =>
        call(app, 'POST', '/v1/push', token, { protocolVersion: V, clientId, mutations });
      const r = await push(
        a.admin.token,
        'client-quota-a',
        clips.map((clip, i) => ({ mutationId: i + 1, type: 'clip.create', clip })),
      );
      const results = r.json.results as { status: string; code?: string; message?: string }[];
      expect(results.slice(0, 2).map((x) => x.status)).toEqual(['applied', 'applied']);
      expect(results[3]).toMatchObject({ status: 'rejected', code: 'quota_exceeded' });
      expect(results[3]?.message).toMatch(/quota/);
      const stored = await store.db
        .selectFrom('records')
        .select('key')
        .where('team_id', '=', a.team.id)
        .execute();
      expect(stored.length).toBeLessThan(4);
      expect((await store.verifyLog(a.team.id)).problem).toBeUndefined();

      expect(
        (await push(b.admin.token, 'client-quota-b', [{ mutationId: 1, type: 'clip.create', clip: big() }]))
          .json.results,
      ).toMatchObject([{ status: 'applied' }]);
      const freed = await push(a.admin.token, 'client-quota-a', [
        { mutationId: 5, type: 'clip.delete', id: clips[0]?.id },
        { mutationId: 6, type: 'clip.create', clip: clips[3] },
      ]);
      expect(freed.json.results).toMatchObject([{ status: 'applied' }, { status: 'applied' }]);
    });
  });
}
