// Test harness shared by the engine tests and the simulator: the real server app in process over
// SQLite, sync clients on Dexie (fake-indexeddb must be loaded before dexie by the test file),
// and local edits made through the extension's own write layer (lib/store/local-writes.ts) with
// the test's clock and ids.

import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { createLocalWrites } from '../../../extension/lib/store/local-writes';
import type { FetchLike } from '../../../extension/lib/sync/api';
import { memoryCredentials } from '../../../extension/lib/sync/credentials';
import { createSyncEngine } from '../../../extension/lib/sync/engine';
import { newUuid } from '../../../extension/lib/sync/ids';
import { createApp } from '../../../server/app';
import { newInviteCode } from '../../../server/auth';
import type { SqlStore } from '../../../server/store/sql-store';
import { openSqliteStore } from '../../../server/store/sqlite';
import type { Role } from '../../../shared/protocol';
import { type Assessment, type Clip, clipSchema } from '../../../shared/schemas';
import { seededRandom } from '../../../shared/seeded-random';

export const SERVER_URL = 'http://localhost:8787';

const BIG_LIMITS = {
  requests: { perMinute: 1_000_000, burst: 1_000_000 },
  authFailures: { perMinute: 1_000_000, burst: 1_000_000 },
  joins: { perMinute: 1_000_000, burst: 1_000_000 },
  items: { perMinute: 100_000_000, burst: 100_000_000 },
};

/** What @hono/node-server's getConnInfo reads: a loopback peer, as behind a real socket. */
export const LOOPBACK_ENV = {
  incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 40000, remoteFamily: 'IPv4' } },
};

export interface Server {
  store: SqlStore;
  app: ReturnType<typeof createApp>;
  /** A fetch straight into the app (no sockets). */
  fetch: FetchLike;
}

export async function openServer(file = ':memory:', now: () => number = Date.now): Promise<Server> {
  const store = await openSqliteStore({ file, now });
  const app = createApp({ store, now, limits: BIG_LIMITS, log: () => {} });
  return { store, app, fetch: async (url, init) => app.request(url, init, LOOPBACK_ENV) };
}

/** A team with an invite (created as the CLI does). @returns the team id and the invite code. */
export async function createInvite(store: SqlStore, teamId: string, role: Role = 'editor', maxUses = 1_000) {
  const { code, codeHash } = newInviteCode();
  await store.createInvite(teamId, {
    role,
    maxUses,
    expiresAt: Date.now() + 3_600_000 * 24 * 365,
    codeHash,
    createdBy: null,
  });
  return code;
}

let dbCounter = 0;

export function makeClient(opts: {
  fetch: FetchLike;
  now: () => number;
  random: () => number;
  name?: string;
  pageSize?: number;
}) {
  dbCounter += 1;
  const db = createDb(`${opts.name ?? 'client'}-${process.pid}-${dbCounter}`);
  const credentials = memoryCredentials();
  const engine = createSyncEngine({
    db,
    fetch: opts.fetch,
    now: opts.now,
    random: opts.random,
    credentials,
    pageSize: opts.pageSize,
    backoff: { baseMs: 1, maxMs: 1 },
  });
  return { db, engine, credentials };
}
export type Client = ReturnType<typeof makeClient>;

/** An in-process server with one team and a multi-use admin invite, for the engine tests. */
export interface TeamFixture {
  server: Server;
  code: string;
  random: () => number;
  /** A client joined (with `code` unless given another invite) and synced once. */
  join(name: string, fetch?: FetchLike, inviteCode?: string): Promise<Client>;
}

export async function openTeamFixture(seed: number): Promise<TeamFixture> {
  const server = await openServer();
  const team = await server.store.createTeam('Imaging');
  const code = await createInvite(server.store, team.id, 'admin');
  const random = seededRandom(seed);
  return {
    server,
    code,
    random,
    async join(name, fetch = server.fetch, inviteCode = code) {
      const c = makeClient({ fetch, now: Date.now, random, name });
      const r = await c.engine.join(SERVER_URL, inviteCode, name);
      if (!r.ok) throw new Error(`join failed: ${JSON.stringify(r)}`);
      await c.engine.syncNow({ force: true });
      return c;
    },
  };
}

/** The write layer at a fixed instant (`at`), ids from `random`, no sync request after a commit. */
const writesAt = (db: ClipperDb, at: string, random: () => number = () => 0) =>
  createLocalWrites({ db, now: () => at, newId: () => newUuid(random), onCommitted: () => {} });

/** A new valid clip (as createClip builds it), stored with its outbox entry by the write layer. */
export async function localCreate(
  db: ClipperDb,
  random: () => number,
  over: Partial<Clip> & { quote: string },
  at: string,
): Promise<Clip> {
  const id = newUuid(random);
  const clip = clipSchema.parse({
    id,
    url: `https://intranet.example.nhs.uk/policies/${id.slice(0, 6)}`,
    docKey: `https://intranet.example.nhs.uk/policies/${id.slice(0, 6)}`,
    title: 'Policy',
    selectors: [{ type: 'TextQuoteSelector', exact: over.quote }],
    criteria: [],
    note: '',
    docMeta: {},
    createdBy: { id: 'local', name: 'Me' },
    createdAt: at,
    updatedAt: at,
    deleted: false,
    ...over,
  });
  return writesAt(db, at, random).addClip(clip);
}

/** Changes a live clip through the write layer (read, write, enqueue, one transaction). */
export async function localChange(
  db: ClipperDb,
  id: string,
  change: (c: Clip) => Clip,
): Promise<Clip | undefined> {
  return writesAt(db, new Date().toISOString()).changeClip(id, change);
}

/** Changes a criterion's assessment through the write layer (an empty one when absent). */
export async function localAssess(
  db: ClipperDb,
  criterionId: string,
  patch: Partial<Assessment>,
  at: string,
): Promise<Assessment> {
  return writesAt(db, at).changeAssessment(criterionId, (before) => ({ ...before, ...patch, updatedAt: at }));
}
