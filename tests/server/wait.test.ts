// POST /v1/wait, the long-poll change notification: answers at once when the caller is
// behind, wakes within ~500 ms of a teammate's push, times out with changed:false, ignores other
// teams, needs a token and validates its body. SQLite always; PostgreSQL when TEST_DATABASE_URL is set.
import { afterEach, describe, expect, it } from 'vitest';
import type { SqlStore } from '../../server/store/sql-store';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { addMember, call, createApp, createTeam, makeClip, openTestStore, PG_URL } from './helpers';

if (!PG_URL) console.warn('[wait] TEST_DATABASE_URL not set: the PostgreSQL run is SKIPPED');

const backends = [
  { kind: 'sqlite' as const, skip: false },
  { kind: 'postgres' as const, skip: !PG_URL },
];

const v = PROTOCOL_VERSION;
let mutationId = 0;
const pushClip = (app: ReturnType<typeof createApp>, token: string) => {
  mutationId += 1;
  return call(app, 'POST', '/v1/push', token, {
    protocolVersion: v,
    clientId: 'client-wait-test',
    mutations: [{ mutationId, type: 'clip.create', clip: makeClip() }],
  });
};
const head = async (app: ReturnType<typeof createApp>, token: string) => {
  const r = await call(app, 'POST', '/v1/pull', token, { protocolVersion: v, cursor: null });
  return String(r.json.cursor);
};

for (const backend of backends) {
  describe.skipIf(backend.skip)(`POST /v1/wait (${backend.kind})`, () => {
    let store: SqlStore | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    async function world() {
      store = await openTestStore(backend.kind);
      const app = createApp({ store, log: () => {} });
      const { admin } = await createTeam(store, app);
      const viewer = await addMember(app, admin.token, 'viewer', 'Vic');
      return { app, admin, viewer };
    }

    it('answers at once when the cursor is null or behind', async () => {
      const { app, admin, viewer } = await world();
      const started = performance.now();
      const fresh = await call(app, 'POST', '/v1/wait', viewer.token, { protocolVersion: v, cursor: null });
      expect(fresh.status).toBe(200);
      expect(fresh.json).toEqual({ protocolVersion: v, changed: true, cursor: '0' });
      expect((await pushClip(app, admin.token)).status).toBe(200);
      const behind = await call(app, 'POST', '/v1/wait', viewer.token, { protocolVersion: v, cursor: '0' });
      expect(behind.json).toEqual({ protocolVersion: v, changed: true, cursor: '1' });
      expect(performance.now() - started).toBeLessThan(500);
    });

    it('wakes within ~500 ms after another device pushes', async () => {
      const { app, admin, viewer } = await world();
      const cursor = await head(app, viewer.token);
      const started = performance.now();
      const waiting = call(app, 'POST', '/v1/wait', viewer.token, { protocolVersion: v, cursor });
      await new Promise((r) => setTimeout(r, 300));
      const pushedAt = performance.now();
      expect((await pushClip(app, admin.token)).status).toBe(200);
      const r = await waiting;
      const latency = performance.now() - pushedAt;
      expect(r.json).toMatchObject({ changed: true, cursor: String(Number(cursor) + 1) });
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(latency).toBeLessThan(500);
    });

    it('sees a push committed through another app on the same store (its change feed)', async () => {
      const { app, admin, viewer } = await world();
      if (!store) throw new Error('no store');
      // A second app over the same store: each has its own wait hub, both hear the store's feed.
      // Real separate processes: tests/sync/wait-fanout.test.ts.
      const other = createApp({ store, log: () => {} });
      const cursor = await head(app, viewer.token);
      const waiting = call(app, 'POST', '/v1/wait', viewer.token, { protocolVersion: v, cursor });
      await new Promise((r) => setTimeout(r, 100));
      const pushedAt = performance.now();
      expect((await pushClip(other, admin.token)).status).toBe(200);
      expect((await waiting).json).toMatchObject({ changed: true });
      expect(performance.now() - pushedAt).toBeLessThan(500);
    });

    it('answers changed:false at the timeout', async () => {
      const { app, viewer } = await world();
      const cursor = await head(app, viewer.token);
      const started = performance.now();
      const r = await call(app, 'POST', '/v1/wait', viewer.token, {
        protocolVersion: v,
        cursor,
        timeoutMs: 1000,
      });
      const took = performance.now() - started;
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ protocolVersion: v, changed: false, cursor });
      expect(took).toBeGreaterThanOrEqual(950);
      expect(took).toBeLessThan(1_600);
    });

    it("is not woken by another team's pushes", async () => {
      const { app, viewer } = await world();
      if (!store) throw new Error('no store');
      const other = await createTeam(store, app, 'Surgery', 'Sam');
      const cursor = await head(app, viewer.token);
      const waiting = call(app, 'POST', '/v1/wait', viewer.token, {
        protocolVersion: v,
        cursor,
        timeoutMs: 1000,
      });
      await new Promise((r) => setTimeout(r, 100));
      expect((await pushClip(app, other.admin.token)).status).toBe(200);
      expect((await waiting).json).toEqual({ protocolVersion: v, changed: false, cursor });
    });

    it('stops waiting when the client disconnects', async () => {
      const { app, viewer } = await world();
      const cursor = await head(app, viewer.token);
      const abort = new AbortController();
      const started = performance.now();
      const res = app.request('/v1/wait', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-qsi-protocol': String(v),
          authorization: `Bearer ${viewer.token}`,
        },
        body: JSON.stringify({ protocolVersion: v, cursor, timeoutMs: 20_000 }),
        signal: abort.signal,
      });
      setTimeout(() => abort.abort(), 100);
      await Promise.resolve(res).catch(() => undefined);
      expect(performance.now() - started).toBeLessThan(1_000);
    });

    it('requires a device token', async () => {
      const { app } = await world();
      const r = await call(app, 'POST', '/v1/wait', undefined, { protocolVersion: v, cursor: null });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: { code: 'unauthorized' } });
    });

    it.each([
      ['a missing cursor', { protocolVersion: v }],
      ['a bad cursor', { protocolVersion: v, cursor: 'abc' }],
      ['a timeout below 1 s', { protocolVersion: v, cursor: null, timeoutMs: 10 }],
      ['a timeout above 25 s', { protocolVersion: v, cursor: null, timeoutMs: 60_000 }],
      ['a fractional timeout', { protocolVersion: v, cursor: null, timeoutMs: 1500.5 }],
      ['an unknown field', { protocolVersion: v, cursor: null, extra: 1 }],
    ])('refuses %s with a 400 JSON error', async (_name, body) => {
      const { app, viewer } = await world();
      const r = await call(app, 'POST', '/v1/wait', viewer.token, body);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    });

    it('is listed in /openapi.json', async () => {
      const { app } = await world();
      const r = await call(app, 'GET', '/openapi.json');
      expect(Object.keys((r.json as { paths: Record<string, unknown> }).paths)).toContain('/v1/wait');
    });
  });
}
