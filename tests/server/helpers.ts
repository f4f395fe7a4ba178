// Test helpers for the sync server: a store on SQLite (in memory) or PostgreSQL, an app over it,
// and teams joined through the real invite flow.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createApp } from '../../server/app';
import { newInviteCode } from '../../server/auth';
import { openPostgresStore } from '../../server/store/postgres';
import type { SqlStore } from '../../server/store/sql-store';
import { openSqliteStore } from '../../server/store/sqlite';
import type { StoreHooks } from '../../server/store/store';
import {
  CLIENT_FEATURES,
  FEATURES_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type Role,
} from '../../shared/protocol';
import type { Clip } from '../../shared/schemas';

export const PG_URL = process.env.TEST_DATABASE_URL;

/** A fresh PostgreSQL database per call (created on the throwaway cluster), or SQLite in memory. */
export async function openTestStore(
  kind: 'sqlite' | 'sqlite-file' | 'postgres',
  opts: { now?: () => number; hooks?: StoreHooks; max?: number; teamQuotaBytes?: number } = {},
): Promise<SqlStore> {
  if (kind === 'sqlite')
    return openSqliteStore({
      file: ':memory:',
      now: opts.now,
      hooks: opts.hooks,
      teamQuotaBytes: opts.teamQuotaBytes,
    });
  if (kind === 'sqlite-file') {
    // A file database: the production shape, with its separate reader connection.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-store-'));
    return openSqliteStore({
      file: path.join(dir, 'clipper.sqlite'),
      now: opts.now,
      hooks: opts.hooks,
      teamQuotaBytes: opts.teamQuotaBytes,
    });
  }
  return openPostgresStore({ url: await freshPgDatabase(), ...opts });
}

/** Create an empty database on the test cluster and return its URL. */
export async function freshPgDatabase(): Promise<string> {
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = await openPostgresAdmin();
  try {
    // Concurrent CREATE DATABASE calls (test files run in parallel) can collide on template1.
    for (let attempt = 0; ; attempt++) {
      try {
        await sql.raw(`create database ${name}`).execute(admin.db);
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
      }
    }
  } finally {
    await admin.close();
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function openPostgresAdmin() {
  const { Kysely, PostgresDialect } = await import('kysely');
  const pg = await import('pg');
  const pool = new pg.default.Pool({ connectionString: PG_URL, max: 1 });
  const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}

export const headers = (token?: string): Record<string, string> => ({
  'content-type': 'application/json',
  [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
  [FEATURES_HEADER]: CLIENT_FEATURES.join(','),
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

export async function call(app: Requester, method: string, path: string, token?: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers: headers(token),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json: json as Record<string, unknown> & { [k: string]: unknown }, res };
}

/** Create a team with an admin invite (as the CLI does) and join it through the app. */
export async function createTeam(store: SqlStore, app: Requester, name = 'Imaging', adminName = 'Ada') {
  const team = await store.createTeam(name);
  const { code, codeHash } = newInviteCode();
  await store.createInvite(team.id, {
    role: 'admin',
    maxUses: 1,
    expiresAt: Date.now() + 3_600_000 * 1000,
    codeHash,
    createdBy: null,
  });
  const joined = await join(app, code, adminName);
  return { team, admin: joined };
}

export async function join(app: Requester, code: string, displayName: string) {
  const r = await call(app, 'POST', '/v1/join', undefined, {
    protocolVersion: PROTOCOL_VERSION,
    code,
    displayName,
    deviceLabel: 'test',
  });
  if (r.status !== 201) throw new Error(`join failed: ${r.status} ${JSON.stringify(r.json)}`);
  const body = r.json as { token: string; member: { id: string }; device: { id: string } };
  return { token: body.token, memberId: body.member.id, deviceId: body.device.id };
}

/** Admin creates an invite for `role` and a new member joins with it. */
export async function addMember(app: Requester, adminToken: string, role: Role, name: string) {
  const r = await call(app, 'POST', '/v1/invites', adminToken, { protocolVersion: PROTOCOL_VERSION, role });
  if (r.status !== 201) throw new Error(`invite failed: ${r.status} ${JSON.stringify(r.json)}`);
  return join(app, String(r.json.code), name);
}

let clipCounter = 0;
/** A valid clip as the extension would create it. */
export function makeClip(over: Partial<Clip> = {}) {
  clipCounter += 1;
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    url: `https://intranet.example.nhs.uk/policies/${clipCounter}`,
    docKey: `https://intranet.example.nhs.uk/policies/${clipCounter}`,
    title: `Policy ${clipCounter}`,
    selectors: [{ type: 'TextQuoteSelector' as const, exact: `passage ${clipCounter}` }],
    quote: `passage ${clipCounter}`,
    criteria: ['demo:DEMO-LM-01'],
    note: '',
    docMeta: {},
    createdBy: { id: 'local', name: 'me' },
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

export { createApp };
