// The HTTP surface through app.request(): error shape, headers, protocol version, auth, roles,
// team isolation on every endpoint, revocation, rate limits, body limits and the audit log.
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import type { SqlStore } from '../../server/store/sql-store';
import { MAX_BATCH, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/protocol';
import { addMember, call, createTeam, headers, makeClip, openTestStore } from './helpers';

const V = PROTOCOL_VERSION;
const framework = {
  format: 'qsi-evidence-clipper/framework@1',
  id: 'demo',
  name: 'Demo framework — not QSI',
  domains: [
    {
      id: 'd1',
      title: 'D1',
      standards: [{ id: 's1', title: 'S1', criteria: [{ id: 'demo:C1', code: 'C1', title: 'Crit' }] }],
    },
  ],
};

let store: SqlStore;
let clock = Date.parse('2026-03-01T00:00:00Z');
const now = () => clock;

async function world(limits?: Parameters<typeof createApp>[0]['limits']) {
  store = await openTestStore('sqlite', { now });
  const app = createApp({ store, now, log: () => {}, limits });
  const a = await createTeam(store, app, 'Team A', 'Alice');
  const b = await createTeam(store, app, 'Team B', 'Bob');
  const editor = await addMember(app, a.admin.token, 'editor', 'Eddie');
  const viewer = await addMember(app, a.admin.token, 'viewer', 'Vera');
  return { app, a, b, editor, viewer };
}

describe('HTTP API', () => {
  beforeEach(() => {
    clock = Date.parse('2026-03-01T00:00:00Z');
  });

  it('answers health, OpenAPI and unknown routes as JSON with secure headers and no CORS', async () => {
    const { app } = await world();
    const h = await app.request('/healthz');
    expect(await h.json()).toEqual({ status: 'ok', store: 'sqlite' });
    const doc = await call(app, 'GET', '/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths as object)).toEqual(
      expect.arrayContaining(['/v1/push', '/v1/pull', '/v1/join']),
    );
    for (const [method, path] of [
      ['GET', '/nope'],
      ['OPTIONS', '/v1/push'],
      ['POST', '/v1/pull'],
    ] as const) {
      const res = await app.request(path, {
        method,
        headers: { origin: 'https://evil.example', ...headers() },
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-powered-by')).toBeNull();
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(typeof body.error.code).toBe('string');
    }
  });

  it('refuses missing or incompatible protocol versions clearly', async () => {
    const { app, a } = await world();
    const none = await app.request('/v1/me', { headers: { authorization: `Bearer ${a.admin.token}` } });
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ error: { code: 'incompatible_protocol' } });
    const old = await app.request('/v1/me', {
      headers: { ...headers(a.admin.token), [PROTOCOL_HEADER]: '0' },
    });
    expect(await old.json()).toMatchObject({
      error: { code: 'incompatible_protocol', message: expect.stringContaining('version 0') },
    });
    const body = await call(app, 'POST', '/v1/pull', a.admin.token, { protocolVersion: 2, cursor: null });
    expect(body.status).toBe(400);
    expect(body.json).toMatchObject({ error: { code: 'incompatible_protocol' } });
  });

  it('validates strictly: unknown fields, wrong types and malformed JSON are 400 with the error shape', async () => {
    const { app, a } = await world();
    const extra = await call(app, 'POST', '/v1/pull', a.admin.token, {
      protocolVersion: V,
      cursor: null,
      teamId: 'x',
    });
    expect(extra.status).toBe(400);
    expect(extra.json).toMatchObject({ error: { code: 'validation_failed' } });
    const bad = await app.request('/v1/pull', {
      method: 'POST',
      headers: headers(a.admin.token),
      body: '{"protocolVersion":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_request' } });
    const mass = await call(app, 'POST', '/v1/push', a.admin.token, {
      protocolVersion: V,
      clientId: 'client-mass',
      mutations: [{ mutationId: 1, type: 'clip.create', clip: { ...makeClip(), teamId: 'other' } }],
    });
    expect(mass.json.results).toMatchObject([{ status: 'rejected', code: 'validation_failed' }]);
  });

  it('authenticates device tokens: missing, malformed, unknown, query-string and revoked tokens get 401', async () => {
    const { app, a, editor } = await world();
    expect((await call(app, 'GET', '/v1/me')).status).toBe(401);
    expect((await call(app, 'GET', '/v1/me', 'not-a-token')).status).toBe(401);
    const forged = `${a.admin.token.slice(0, -4)}AAAA`;
    expect((await call(app, 'GET', '/v1/me', forged)).status).toBe(401);
    const q = await app.request(`/v1/me?token=${encodeURIComponent(a.admin.token)}`, { headers: headers() });
    expect(q.status).toBe(401);
    const me = await call(app, 'GET', '/v1/me', editor.token);
    expect(me.json).toMatchObject({
      member: { displayName: 'Eddie', role: 'editor' },
      team: { name: 'Team A' },
    });
    const revoke = await call(app, 'DELETE', `/v1/devices/${editor.deviceId}`, a.admin.token);
    expect(revoke.status).toBe(204);
    expect((await call(app, 'GET', '/v1/me', editor.token)).status).toBe(401);
    expect(
      (await call(app, 'POST', '/v1/pull', editor.token, { protocolVersion: V, cursor: null })).status,
    ).toBe(401);
    const audit = await store.listAudit(50);
    expect(
      audit.some((e) => e.action === 'auth' && e.outcome === 'failed' && e.detail === 'revoked device'),
    ).toBe(true);
    expect(audit.some((e) => e.action === 'device.revoke' && e.outcome === 'ok')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(a.admin.token.split('.')[1]);
  });

  it('records device use in batches', async () => {
    const { app, a, editor } = await world();
    clock += 10 * 60_000;
    expect((await call(app, 'GET', '/v1/me', editor.token)).status).toBe(200);
    await app.flushTouches();
    const list = await call(app, 'GET', '/v1/members', a.admin.token);
    const device = (list.json.devices as { id: string; lastUsedAt: string }[]).find(
      (d) => d.id === editor.deviceId,
    );
    expect(device?.lastUsedAt).toBe(new Date(clock).toISOString());
  });

  it('removing a member or signing out revokes at once', async () => {
    const { app, a, editor, viewer } = await world();
    expect((await call(app, 'DELETE', `/v1/members/${editor.memberId}`, a.admin.token)).status).toBe(204);
    expect((await call(app, 'GET', '/v1/me', editor.token)).status).toBe(401);
    expect((await call(app, 'DELETE', '/v1/me', viewer.token)).status).toBe(204);
    expect((await call(app, 'GET', '/v1/me', viewer.token)).status).toBe(401);
    expect((await call(app, 'DELETE', `/v1/members/${a.admin.memberId}`, a.admin.token)).status).toBe(409);
  });

  it('joins with an invite once; bad, reused and expired codes are 401 and audited', async () => {
    const { app, a } = await world();
    const inv = await call(app, 'POST', '/v1/invites', a.admin.token, {
      protocolVersion: V,
      role: 'editor',
      expiresInHours: 1,
    });
    expect(inv.status).toBe(201);
    const code = String(inv.json.code);
    const body = { protocolVersion: V, code, displayName: 'New', deviceLabel: 'laptop' };
    expect((await call(app, 'POST', '/v1/join', undefined, body)).status).toBe(201);
    expect((await call(app, 'POST', '/v1/join', undefined, body)).status).toBe(401);
    expect((await call(app, 'POST', '/v1/join', undefined, { ...body, code: 'qsi-inv-guess' })).status).toBe(
      401,
    );
    const inv2 = await call(app, 'POST', '/v1/invites', a.admin.token, {
      protocolVersion: V,
      role: 'viewer',
      expiresInHours: 1,
    });
    clock += 2 * 3_600_000;
    expect(
      (await call(app, 'POST', '/v1/join', undefined, { ...body, code: String(inv2.json.code) })).status,
    ).toBe(401);
    const fails = (await store.listAudit(100)).filter(
      (e) => e.action === 'invite.redeem' && e.outcome === 'failed',
    );
    expect(fails.length).toBe(3);
    expect(JSON.stringify(fails)).not.toContain(code);
    const list = await call(app, 'GET', '/v1/invites', a.admin.token);
    expect((list.json.invites as unknown[]).length).toBe(5);
  });

  it('enforces roles: viewers read but never write; only admins manage members, invites and frameworks', async () => {
    const { app, a, editor, viewer } = await world();
    const push = {
      protocolVersion: V,
      clientId: 'client-role',
      mutations: [{ mutationId: 1, type: 'clip.create', clip: makeClip() }],
    };
    expect((await call(app, 'POST', '/v1/push', viewer.token, push)).status).toBe(403);
    expect(
      (await call(app, 'POST', '/v1/pull', viewer.token, { protocolVersion: V, cursor: null })).status,
    ).toBe(200);
    expect((await call(app, 'GET', '/v1/frameworks', viewer.token)).status).toBe(200);
    for (const token of [editor.token, viewer.token]) {
      expect((await call(app, 'GET', '/v1/members', token)).status).toBe(403);
      expect((await call(app, 'GET', '/v1/invites', token)).status).toBe(403);
      expect(
        (await call(app, 'POST', '/v1/invites', token, { protocolVersion: V, role: 'admin' })).status,
      ).toBe(403);
      expect(
        (
          await call(app, 'PATCH', `/v1/members/${editor.memberId}`, token, {
            protocolVersion: V,
            role: 'admin',
          })
        ).status,
      ).toBe(403);
      expect((await call(app, 'DELETE', `/v1/members/${a.admin.memberId}`, token)).status).toBe(403);
      expect((await call(app, 'DELETE', `/v1/devices/${a.admin.deviceId}`, token)).status).toBe(403);
      expect(
        (await call(app, 'PUT', '/v1/frameworks/demo', token, { protocolVersion: V, framework })).status,
      ).toBe(403);
      expect((await call(app, 'DELETE', '/v1/frameworks/demo', token)).status).toBe(403);
    }
    expect((await call(app, 'POST', '/v1/push', editor.token, push)).status).toBe(200);
    expect(
      (await call(app, 'PUT', '/v1/frameworks/demo', a.admin.token, { protocolVersion: V, framework }))
        .status,
    ).toBe(200);
    const got = await call(app, 'GET', '/v1/frameworks/demo', viewer.token);
    expect(got.json.framework).toMatchObject({ id: 'demo' });
    const denied = (await store.listAudit(200)).filter((e) => e.action === 'authz' && e.outcome === 'denied');
    expect(denied.length).toBeGreaterThanOrEqual(17);
    const roles = await call(app, 'PATCH', `/v1/members/${editor.memberId}`, a.admin.token, {
      protocolVersion: V,
      role: 'viewer',
    });
    expect(roles.json.member).toMatchObject({ role: 'viewer' });
    expect(
      (await call(app, 'POST', '/v1/push', editor.token, { ...push, clientId: 'client-role2' })).status,
    ).toBe(403);
  });

  it('answers another team’s ids with 404 on every endpoint and changes nothing there', async () => {
    const { app, a, b, editor } = await world();
    await call(app, 'PUT', '/v1/frameworks/demo', a.admin.token, { protocolVersion: V, framework });
    const inv = await call(app, 'POST', '/v1/invites', a.admin.token, { protocolVersion: V, role: 'viewer' });
    const inviteId = (inv.json.invite as { id: string }).id;
    const clip = makeClip();
    await call(app, 'POST', '/v1/push', a.admin.token, {
      protocolVersion: V,
      clientId: 'client-a-1',
      mutations: [{ mutationId: 1, type: 'clip.create', clip }],
    });
    const before = await call(app, 'POST', '/v1/pull', a.admin.token, { protocolVersion: V, cursor: null });
    const B = b.admin.token;
    expect((await call(app, 'GET', '/v1/frameworks/demo', B)).status).toBe(404);
    expect((await call(app, 'DELETE', '/v1/frameworks/demo', B)).status).toBe(404);
    expect(
      (await call(app, 'PATCH', `/v1/members/${editor.memberId}`, B, { protocolVersion: V, role: 'admin' }))
        .status,
    ).toBe(404);
    expect((await call(app, 'DELETE', `/v1/members/${editor.memberId}`, B)).status).toBe(404);
    expect((await call(app, 'DELETE', `/v1/devices/${editor.deviceId}`, B)).status).toBe(404);
    expect((await call(app, 'DELETE', `/v1/invites/${inviteId}`, B)).status).toBe(404);
    expect((await call(app, 'DELETE', '/v1/invites/not-a-uuid', B)).status).toBe(404);
    const pushB = await call(app, 'POST', '/v1/push', B, {
      protocolVersion: V,
      clientId: 'client-b-1',
      mutations: [
        { mutationId: 1, type: 'clip.update', id: clip.id, base: {}, set: { note: 'x' } },
        { mutationId: 2, type: 'clip.delete', id: clip.id },
      ],
    });
    expect(pushB.json.results).toMatchObject([
      { status: 'rejected', code: 'not_found' },
      { status: 'applied' },
    ]);
    const pullB = await call(app, 'POST', '/v1/pull', B, { protocolVersion: V, cursor: null });
    expect(pullB.json.changes).toEqual([]);
    expect((await call(app, 'GET', '/v1/frameworks', B)).json.frameworks).toEqual([]);
    const membersB = await call(app, 'GET', '/v1/members', B);
    expect((membersB.json.members as unknown[]).length).toBe(1);
    const after = await call(app, 'POST', '/v1/pull', a.admin.token, { protocolVersion: V, cursor: null });
    expect(after.json).toEqual(before.json);
    expect((await call(app, 'GET', '/v1/me', editor.token)).status).toBe(200);
  });

  it('rate-limits per token with 429 + Retry-After, and recovers', async () => {
    const { app, a, editor } = await world({ requests: { perMinute: 60, burst: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(app, 'GET', '/v1/me', editor.token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await call(app, 'GET', '/v1/me', editor.token);
    expect(limited.res.headers.get('retry-after')).toBe('1');
    expect(limited.json).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await call(app, 'GET', '/v1/me', a.admin.token)).status).toBe(200);
    clock += 1_000;
    expect((await call(app, 'GET', '/v1/me', editor.token)).status).toBe(200);
  });

  it('counts pushed items, not only requests', async () => {
    const { app, editor } = await world({ items: { perMinute: 60, burst: 10 } });
    const push = (first: number, n: number) =>
      call(app, 'POST', '/v1/push', editor.token, {
        protocolVersion: V,
        clientId: 'client-items',
        mutations: Array.from({ length: n }, (_, i) => ({
          mutationId: first + i,
          type: 'clip.create',
          clip: makeClip(),
        })),
      });
    expect((await push(1, 8)).status).toBe(200);
    const limited = await push(9, 8);
    expect(limited.status).toBe(429);
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(6);
    const pulled = await call(app, 'POST', '/v1/pull', editor.token, { protocolVersion: V, cursor: null });
    expect((pulled.json.changes as unknown[]).length).toBe(8);
    clock += 10_000;
    expect((await push(9, 8)).status).toBe(200);
  });

  it('throttles repeated auth failures per address', async () => {
    const { app } = await world({ authFailures: { perMinute: 6, burst: 3 } });
    const s: number[] = [];
    for (let i = 0; i < 5; i++) s.push((await call(app, 'GET', '/v1/me', 'qsi_bad')).status);
    expect(s).toEqual([401, 401, 401, 429, 429]);
  });

  it('caps body sizes (413) and refuses compressed bodies (415)', async () => {
    const { app, a } = await world();
    const big = await app.request('/v1/pull', {
      method: 'POST',
      headers: headers(a.admin.token),
      body: JSON.stringify({ protocolVersion: V, cursor: null, pad: 'x'.repeat(70_000) }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    // A declared length (what @hono/node-server sees from a real client) is judged from the header.
    const padded = JSON.stringify({ protocolVersion: V, cursor: null, pad: 'x'.repeat(70_000) });
    const declared = await app.request('/v1/pull', {
      method: 'POST',
      headers: { ...headers(a.admin.token), 'content-length': String(padded.length) },
      body: padded,
    });
    expect(declared.status).toBe(413);
    const small = JSON.stringify({ protocolVersion: V, cursor: null });
    const fits = await app.request('/v1/pull', {
      method: 'POST',
      headers: { ...headers(a.admin.token), 'content-length': String(small.length) },
      body: small,
    });
    expect(fits.status).toBe(200);
    const huge = await app.request('/v1/push', {
      method: 'POST',
      headers: headers(a.admin.token),
      body: 'x'.repeat(4 * 1024 * 1024 + 10),
    });
    expect(huge.status).toBe(413);
    const gz = await app.request('/v1/pull', {
      method: 'POST',
      headers: { ...headers(a.admin.token), 'content-encoding': 'gzip' },
      body: 'abc',
    });
    expect(gz.status).toBe(415);
    const tooMany = await call(app, 'POST', '/v1/push', a.admin.token, {
      protocolVersion: V,
      clientId: 'client-many',
      mutations: Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({
        mutationId: i + 1,
        type: 'clip.delete',
        id: crypto.randomUUID(),
      })),
    });
    expect(tooMany.status).toBe(400);
  });
});
