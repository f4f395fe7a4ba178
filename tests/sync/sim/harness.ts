// Test harness shared by the engine tests and the simulator: the real server app in process over
// SQLite, sync clients on Dexie (fake-indexeddb must be loaded before dexie by the test file),
// and local edits written the way clip-store/mutations do (one transaction + outbox).

import { type ClipperDb, createDb } from '../../../extension/lib/db';
import type { FetchLike } from '../../../extension/lib/sync/api';
import { memoryCredentials } from '../../../extension/lib/sync/credentials';
import { createSyncEngine, newUuid } from '../../../extension/lib/sync/engine';
import { enqueueAssessmentChange, enqueueClipChange, outboxTables } from '../../../extension/lib/sync/outbox';
import { createApp } from '../../../server/app';
import { newInviteCode } from '../../../server/auth';
import type { SqlStore } from '../../../server/store/sql-store';
import { openSqliteStore } from '../../../server/store/sqlite';
import type { Role } from '../../../shared/protocol';
import { type Assessment, type Clip, clipSchema, emptyAssessment } from '../../../shared/schemas';
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

/** A new valid clip (as createClip builds it), written with its outbox entry in one transaction. */
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
  await db.transaction('rw', [db.clips, ...outboxTables(db)], async () => {
    await db.clips.add(clip);
    await enqueueClipChange(db, undefined, clip);
  });
  return clip;
}

/** Changes a clip the way mutations.ts does (read, write, enqueue, one transaction). */
export async function localChange(
  db: ClipperDb,
  id: string,
  change: (c: Clip) => Clip,
): Promise<Clip | undefined> {
  return db.transaction('rw', [db.clips, ...outboxTables(db)], async () => {
    const before = await db.clips.get(id);
    if (!before || before.deleted) return undefined;
    const after = clipSchema.parse({ ...change(before), sync: before.sync });
    await db.clips.put(after);
    await enqueueClipChange(db, before, after);
    return after;
  });
}

export async function localAssess(
  db: ClipperDb,
  criterionId: string,
  patch: Partial<Assessment>,
  at: string,
): Promise<Assessment> {
  return db.transaction('rw', [db.assessments, ...outboxTables(db)], async () => {
    const before = await db.assessments.get(criterionId);
    const after: Assessment = { ...(before ?? emptyAssessment(criterionId, at)), ...patch, updatedAt: at };
    await db.assessments.put(after);
    await enqueueAssessmentChange(db, before, after);
    return after;
  });
}
