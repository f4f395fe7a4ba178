// Sign-in with the organisation's identity provider, against a real OIDC provider (oidc-provider)
// started here: the whole join, the roles its groups map to, and every refusal (wrong issuer,
// expired ID token, outside the allowed domain, state, browser binding, PKCE, replays), each 4xx
// in the usual error shape with nothing created. On SQLite, and on PostgreSQL when it is set up.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { envSchema } from '../../server/env';
import { admit, oidcSettings } from '../../server/oidc-config';
import type { SqlStore } from '../../server/store/sql-store';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { call, createTeam, openTestStore, PG_URL } from './helpers';
import {
  CookieJar,
  signInAtProvider,
  startTestProvider,
  TEST_CLIENT_ID,
  TEST_SECRET_CLIENT,
  type TestProvider,
} from './oidc-provider';

const SERVER = 'http://clipper.test';
const REDIRECT = `${SERVER}/oidc/callback`;

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider([REDIRECT]);
});
afterAll(() => provider.close());

function settings(over: Record<string, string> = {}) {
  return oidcSettings(
    envSchema.parse({
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: TEST_CLIENT_ID,
      OIDC_REDIRECT_URI: REDIRECT,
      OIDC_ALLOWED_DOMAINS: 'trust.nhs.uk',
      OIDC_ROLE_MAP: 'clipper-admins=admin,clipper-editors=editor',
      OIDC_DEFAULT_ROLE: 'viewer',
      OIDC_ALLOW_HTTP: '1',
      OIDC_TEAM: '0b7f2d7e-8b8e-4a55-9a43-1f1f0e5b8c11',
      ...over,
    }),
  );
}

type App = ReturnType<typeof createApp>;

/** A browser's visit: start at the server, sign in at the provider, stop before the callback. */
async function startSignIn(app: App, login: string, jar = new CookieJar()) {
  const start = await app.request(`${SERVER}/oidc/start`, { headers: { cookie: jar.header(SERVER) } });
  expect(start.status).toBe(302);
  jar.store(SERVER, start);
  const callbackUrl = await signInAtProvider(start.headers.get('location') ?? '', login, jar);
  expect(callbackUrl.startsWith(REDIRECT)).toBe(true);
  return { jar, callbackUrl };
}

async function callback(app: App, url: string, jar: CookieJar) {
  const res = await app.request(url, { headers: { cookie: jar.header(SERVER) } });
  const text = await res.text();
  return { status: res.status, text, code: /qsi-sso-[A-Za-z0-9_-]{32}/.exec(text)?.[0] };
}

const joinWith = (app: App, code: string, label = 'laptop') =>
  call(app, 'POST', '/v1/join', undefined, {
    protocolVersion: PROTOCOL_VERSION,
    code,
    displayName: 'ignored for sign-in',
    deviceLabel: label,
  });

async function counts(store: SqlStore) {
  const members = await store.db.selectFrom('members').select('id').execute();
  const devices = await store.db.selectFrom('devices').select('id').execute();
  const grants = await store.db.selectFrom('oidc_grants').select('code_hash').execute();
  return { members: members.length, devices: devices.length, grants: grants.length };
}

function expectErrorShape(text: string, code: string) {
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body.error.message;
}

describe('admission rule', () => {
  it('maps groups to the highest role, else the default; refuses outside domains and groups', () => {
    const s = settings();
    if (!s) throw new Error('not configured');
    const base = { sub: 'x', email: 'a@trust.nhs.uk', groups: [] as string[] };
    expect(admit(s, { ...base, groups: ['clipper-editors', 'clipper-admins'] })).toEqual({
      ok: true,
      role: 'admin',
    });
    expect(admit(s, base)).toEqual({ ok: true, role: 'viewer' });
    expect(admit(s, { ...base, email: 'a@TRUST.NHS.UK' }).ok).toBe(true);
    expect(admit(s, { ...base, email: 'a@trust.nhs.uk.evil.example' }).ok).toBe(false);
    expect(admit(s, { ...base, email: undefined }).ok).toBe(false);
    expect(admit(s, { ...base, emailVerified: false }).ok).toBe(false);
    const groupsOnly = settings({
      OIDC_ALLOWED_DOMAINS: '',
      OIDC_REQUIRED_GROUPS: 'clipper-editors',
      OIDC_DEFAULT_ROLE: 'none',
    });
    if (!groupsOnly) throw new Error('not configured');
    expect(admit(groupsOnly, { ...base, groups: ['clipper-editors'] })).toEqual({ ok: true, role: 'editor' });
    expect(admit(groupsOnly, { ...base, groups: ['other'] }).ok).toBe(false);
  });

  it('refuses a half or unsafe configuration at start', () => {
    const base = {
      OIDC_ISSUER: 'https://login.example/t/v2.0',
      OIDC_CLIENT_ID: 'c',
      OIDC_REDIRECT_URI: 'https://clipper.example/oidc/callback',
    };
    const team = '0b7f2d7e-8b8e-4a55-9a43-1f1f0e5b8c11';
    expect(
      envSchema.safeParse({ ...base, OIDC_TEAM: team, OIDC_ALLOWED_DOMAINS: 'trust.nhs.uk' }).success,
    ).toBe(true);
    expect(envSchema.safeParse({ OIDC_ISSUER: base.OIDC_ISSUER }).success).toBe(false);
    expect(envSchema.safeParse({ ...base, OIDC_TEAM: team }).success).toBe(false);
    expect(
      envSchema.safeParse({
        ...base,
        OIDC_TEAM: team,
        OIDC_ALLOWED_DOMAINS: 'x.uk',
        OIDC_ROLE_MAP: 'g=owner',
      }).success,
    ).toBe(false);
    expect(
      envSchema.safeParse({
        ...base,
        OIDC_ISSUER: 'http://login.example',
        OIDC_TEAM: team,
        OIDC_ALLOWED_DOMAINS: 'x.uk',
      }).success,
    ).toBe(false);
    expect(envSchema.safeParse({}).success).toBe(true);
  });
});

const backends = [
  { kind: 'sqlite' as const, skip: false },
  { kind: 'postgres' as const, skip: !PG_URL },
];

for (const backend of backends)
  describe.skipIf(backend.skip)(`sign-in with the identity provider (${backend.kind})`, () => {
    async function world(over: Record<string, string> = {}, clock?: () => number) {
      const store = await openTestStore(backend.kind, { now: clock });
      const bootstrap = createApp({ store, log: () => {} });
      const { team, admin } = await createTeam(store, bootstrap, 'Imaging', 'Ada');
      const other = await createTeam(store, bootstrap, 'Other team', 'Olga');
      const app = createApp({
        store,
        now: clock,
        log: () => {},
        oidc: settings({ OIDC_TEAM: team.id, ...over }),
        limits: { joins: { perMinute: 1_000, burst: 1_000 } },
      });
      return { store, app, team, admin, other };
    }

    it('joins end to end: sign in, one-time code, device token in the mapped team with the mapped role', async () => {
      const { store, app, team, admin, other } = await world();
      const { jar, callbackUrl } = await startSignIn(app, 'alice');
      const page = await callback(app, callbackUrl, jar);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Imaging');
      expect(page.code).toBeDefined();
      const joined = await joinWith(app, page.code ?? '');
      expect(joined.status).toBe(201);
      const body = joined.json as {
        token: string;
        team: { id: string };
        member: { id: string; role: string; displayName: string };
      };
      expect(body.team.id).toBe(team.id);
      expect(body.member).toMatchObject({ role: 'editor', displayName: 'Alice Radiographer' });
      const me = await call(app, 'GET', '/v1/me', body.token);
      expect(me.status).toBe(200);
      // Team isolation: the new member is in Imaging only.
      const members = await call(app, 'GET', '/v1/members', admin.token);
      expect((members.json.members as { id: string }[]).map((m) => m.id)).toContain(body.member.id);
      expect((await store.listMembers(other.team.id)).map((m) => m.id)).not.toContain(body.member.id);
      const audit = await store.listAudit(50, team.id);
      expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(
        expect.arrayContaining(['oidc.signin:ok', 'oidc.redeem:ok']),
      );

      // The code works once.
      const before = await counts(store);
      const again = await joinWith(app, page.code ?? '');
      expect(again.status).toBe(401);
      expect((again.json.error as { code: string }).code).toBe('unauthorized');
      expect(await counts(store)).toEqual(before);

      // Signing in again (another device) finds the same member; the groups set the role again.
      const second = await startSignIn(app, 'alice');
      const page2 = await callback(app, second.callbackUrl, second.jar);
      const joined2 = await joinWith(app, page2.code ?? '', 'desktop');
      expect(joined2.status).toBe(201);
      expect((joined2.json.member as { id: string }).id).toBe(body.member.id);
      expect((await counts(store)).members).toBe(before.members);

      // Removed by an admin: signing in does not bring the member back.
      expect((await call(app, 'DELETE', `/v1/members/${body.member.id}`, admin.token)).status).toBe(204);
      const third = await startSignIn(app, 'alice');
      const page3 = await callback(app, third.callbackUrl, third.jar);
      const refused = await joinWith(app, page3.code ?? '');
      expect(refused.status).toBe(403);
    });

    it('maps the admin group to admin and no mapped group to the default role', async () => {
      const { app } = await world();
      for (const [login, role] of [
        ['root', 'admin'],
        ['vic', 'viewer'],
      ] as const) {
        const { jar, callbackUrl } = await startSignIn(app, login);
        const page = await callback(app, callbackUrl, jar);
        const joined = await joinWith(app, page.code ?? '');
        expect((joined.json.member as { role: string }).role).toBe(role);
      }
    });

    it('works as a confidential client (client secret), and refuses a wrong secret', async () => {
      const { app } = await world({
        OIDC_CLIENT_ID: TEST_SECRET_CLIENT.id,
        OIDC_CLIENT_SECRET: TEST_SECRET_CLIENT.secret,
      });
      const { jar, callbackUrl } = await startSignIn(app, 'alice');
      const page = await callback(app, callbackUrl, jar);
      expect(page.status).toBe(200);
      expect((await joinWith(app, page.code ?? '')).status).toBe(201);

      const wrong = await world({
        OIDC_CLIENT_ID: TEST_SECRET_CLIENT.id,
        OIDC_CLIENT_SECRET: 'not-the-secret',
      });
      const before = await counts(wrong.store);
      const w = await startSignIn(wrong.app, 'alice');
      const refused = await callback(wrong.app, w.callbackUrl, w.jar);
      expect(refused.status).toBe(401);
      expect(expectErrorShape(refused.text, 'unauthorized')).toMatch(/invalid_client/);
      expect(await counts(wrong.store)).toEqual(before);
    });

    it('refuses a user outside the allowed domain (403, nothing created)', async () => {
      const { store, app } = await world();
      const before = await counts(store);
      const { jar, callbackUrl } = await startSignIn(app, 'mallory');
      const page = await callback(app, callbackUrl, jar);
      expect(page.status).toBe(403);
      expect(expectErrorShape(page.text, 'forbidden')).toContain('elsewhere.example');
      expect(page.code).toBeUndefined();
      expect(await counts(store)).toEqual(before);
      const audit = await store.listAudit(5);
      expect(audit[0]).toMatchObject({ action: 'oidc.signin', outcome: 'failed' });
    });

    it('refuses an expired ID token (the server clock two hours ahead of the provider)', async () => {
      const ahead = () => Date.now() + 2 * 3_600_000;
      const { store, app } = await world({}, ahead);
      const before = await counts(store);
      const { jar, callbackUrl } = await startSignIn(app, 'alice');
      const page = await callback(app, callbackUrl, jar);
      expect(page.status).toBe(401);
      expect(expectErrorShape(page.text, 'unauthorized')).toMatch(/exp/);
      expect(await counts(store)).toEqual(before);
    });

    it('refuses an answer from another issuer than the configured one', async () => {
      // A discovery document claiming another issuer name while pointing at the real provider's
      // endpoints: what the provider sends back names its own issuer, which must not be accepted.
      const real = (await (
        await fetch(`${provider.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      const fake: Server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...real, issuer: fakeIssuer }));
      });
      await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
      const fakeIssuer = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
      try {
        const { store, app } = await world({ OIDC_ISSUER: fakeIssuer });
        const before = await counts(store);
        const { jar, callbackUrl } = await startSignIn(app, 'alice');
        const page = await callback(app, callbackUrl, jar);
        expect(page.status).toBe(401);
        expect(expectErrorShape(page.text, 'unauthorized')).toMatch(/iss/);
        expect(await counts(store)).toEqual(before);
      } finally {
        fake.close();
      }
    });

    it('refuses a missing or unknown state, another browser, a mismatched PKCE verifier and replays', async () => {
      const { store, app } = await world();
      const before = await counts(store);
      const a = await startSignIn(app, 'alice');
      const url = new URL(a.callbackUrl);

      const noState = new URL(url);
      noState.searchParams.delete('state');
      const r1 = await callback(app, noState.href, a.jar);
      expect(r1.status).toBe(400);
      expectErrorShape(r1.text, 'bad_request');

      const badState = new URL(url);
      badState.searchParams.set('state', 'not-the-state');
      const r2 = await callback(app, badState.href, a.jar);
      expect(r2.status).toBe(401);
      expectErrorShape(r2.text, 'unauthorized');

      // Another browser (no sign-in cookie) presenting a valid state: refused, and the state is spent.
      const r3 = await callback(app, url.href, new CookieJar());
      expect(r3.status).toBe(401);
      const r4 = await callback(app, url.href, a.jar);
      expect(r4.status).toBe(401);

      // PKCE: B's state and cookie with A's authorization code (B's verifier does not fit A's challenge).
      const codeA = (await startSignIn(app, 'alice')).callbackUrl;
      const b = await startSignIn(app, 'alice');
      const swapped = new URL(b.callbackUrl);
      swapped.searchParams.set('code', new URL(codeA).searchParams.get('code') ?? '');
      const r5 = await callback(app, swapped.href, b.jar);
      expect(r5.status).toBe(401);
      expect(expectErrorShape(r5.text, 'unauthorized')).toMatch(/invalid_grant/);

      // A replayed callback (same code, same state) after a successful one.
      const c = await startSignIn(app, 'alice');
      const ok = await callback(app, c.callbackUrl, c.jar);
      expect(ok.status).toBe(200);
      const replay = await callback(app, c.callbackUrl, c.jar);
      expect(replay.status).toBe(401);
      expectErrorShape(replay.text, 'unauthorized');
      // Only the successful sign-in left a (one-time) code; no member or device was created.
      expect(await counts(store)).toEqual({ ...before, grants: before.grants + 1 });
    });

    it('answers 404 in the usual shape when sign-in is not configured', async () => {
      const store = await openTestStore(backend.kind);
      const app = createApp({ store, log: () => {} });
      const res = await app.request(`${SERVER}/oidc/start`);
      expect(res.status).toBe(404);
      expectErrorShape(await res.text(), 'not_found');
    });
  });
