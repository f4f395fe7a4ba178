// Fuzz every endpoint with fast-check (thousands of requests): never a 5xx, always the one error
// shape, and a refused request (4xx) never changes stored state (audit log excepted).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import type { SqlStore } from '../../server/store/sql-store';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/protocol';
import { FUZZ_ROUTES } from './fuzz-routes';
import { addMember, createTeam, makeClip, openTestStore } from './helpers';

const TABLES = [
  'teams',
  'members',
  'devices',
  'invites',
  'clients',
  'mutation_results',
  'push_results',
  'records',
] as const;

describe('endpoint fuzz', () => {
  let store: SqlStore;
  let app: ReturnType<typeof createApp>;
  let tokens: Record<'admin' | 'editor' | 'viewer' | 'other', string>;
  let ids: { member: string; device: string; otherMember: string };
  const clock = Date.parse('2026-05-01T00:00:00Z');

  const digest = async () => {
    const h = createHash('sha256');
    for (const t of TABLES) h.update(JSON.stringify(await store.db.selectFrom(t).selectAll().execute()));
    return h.digest('hex');
  };

  beforeAll(async () => {
    store = await openTestStore('sqlite', { now: () => clock });
    app = createApp({
      store,
      now: () => clock,
      log: () => {},
      limits: {
        requests: { perMinute: 1e9, burst: 1e9 },
        authFailures: { perMinute: 1e9, burst: 1e9 },
        joins: { perMinute: 1e9, burst: 1e9 },
        items: { perMinute: 1e9, burst: 1e9 },
      },
    });
    const a = await createTeam(store, app, 'Fuzz A');
    const b = await createTeam(store, app, 'Fuzz B');
    const editor = await addMember(app, a.admin.token, 'editor', 'E');
    const viewer = await addMember(app, a.admin.token, 'viewer', 'V');
    tokens = { admin: a.admin.token, editor: editor.token, viewer: viewer.token, other: b.admin.token };
    ids = { member: editor.memberId, device: editor.deviceId, otherMember: b.admin.memberId };
  });

  const validBodies = (): Record<string, unknown>[] => [
    { protocolVersion: PROTOCOL_VERSION, cursor: null },
    { protocolVersion: PROTOCOL_VERSION, cursor: '0', limit: 10 },
    {
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'fuzz-client',
      mutations: [{ mutationId: 1, type: 'clip.create', clip: makeClip() }],
    },
    { protocolVersion: PROTOCOL_VERSION, role: 'viewer', maxUses: 2, expiresInHours: 3 },
    { protocolVersion: PROTOCOL_VERSION, code: 'qsi-inv-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', displayName: 'X' },
    { protocolVersion: PROTOCOL_VERSION, role: 'admin' },
    { protocolVersion: PROTOCOL_VERSION, cursor: '999999', timeoutMs: 1_000 },
  ];

  const route = fc.constantFrom(...FUZZ_ROUTES);

  /** Bodies: arbitrary JSON, raw strings, valid bodies with one field broken or an extra key. */
  const body = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc
      .tuple(fc.constantFrom(...validBodies()), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 3 }))
      .map(([b, k, v]) => {
        const keys = Object.keys(b);
        const key = keys.length && k.length % 2 ? (keys[k.length % keys.length] ?? k) : k || '__proto__';
        return JSON.stringify({ ...b, [key]: v });
      }),
    fc
      .tuple(fc.constantFrom(...validBodies()), fc.anything({ maxDepth: 3 }))
      .map(([b, v]) =>
        JSON.stringify({ ...b, mutations: [{ mutationId: 1, type: 'clip.update', id: v, base: v, set: v }] }),
      ),
  );

  it('never answers 5xx and never changes state on a refused request', async () => {
    let refused = 0;
    let accepted = 0;
    // The state after the last accepted request: a refused one must leave it untouched.
    let current = await digest();
    await fc.assert(
      fc.asyncProperty(
        route,
        body,
        fc.constantFrom<'admin' | 'editor' | 'viewer' | 'other' | 'none' | 'garbage'>(
          'admin',
          'editor',
          'viewer',
          'other',
          'none',
          'garbage',
        ),
        fc.constantFrom(String(PROTOCOL_VERSION), String(PROTOCOL_VERSION), '0', '2', 'x', ''),
        async ([method, rawPath], b, who, version) => {
          // Never sign the fuzzer's own admin out or remove its members: keep the world usable.
          if (rawPath === '/v1/me' && method === 'DELETE' && who !== 'garbage' && who !== 'none') return;
          const path = rawPath
            .replace(':member', ids.member)
            .replace(':other', ids.otherMember)
            .replace(':device', ids.device)
            .replace(':random', crypto.randomUUID());
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (version) headers[PROTOCOL_HEADER] = version;
          if (who === 'garbage') headers.authorization = 'Bearer qsi_garbage';
          else if (who !== 'none') headers.authorization = `Bearer ${tokens[who]}`;
          // A long-poll (/v1/wait) ends when its client goes away: never hold the fuzzer for 20 s.
          const res = await app.request(path, {
            method,
            headers,
            signal: AbortSignal.timeout(300),
            ...(b !== undefined && method !== 'GET' ? { body: b } : {}),
          });
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          const text = await res.text();
          if (res.status >= 400) {
            refused++;
            const parsed = JSON.parse(text) as { error: { code: string; message: string } };
            expect(Object.keys(parsed)).toEqual(['error']);
            expect(typeof parsed.error.code).toBe('string');
            expect(await digest(), `${method} ${path} -> ${res.status} changed state`).toBe(current);
          } else {
            accepted++;
            current = await digest();
          }
        },
      ),
      { numRuns: 2500 },
    );
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    console.log(
      `[fuzz] 2500 requests over ${FUZZ_ROUTES.length} routes: ${refused} refused without state change, ${accepted} accepted`,
    );
  }, 60_000);
});
