// Upgrading a 0.1.0 database keeps its data: a database built by the 0.1.0 migrations (0001–0003)
// with rows shaped as 0.1.0 wrote them is migrated to the change log (0004) and then verifies,
// shows each record's history from the migration on, and pulls clips with updatedBy = createdBy.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { newDeviceToken } from '../../server/auth';
import { migrate } from '../../server/store/migrations';
import { openPostgresStore } from '../../server/store/postgres';
import type { SqlStore } from '../../server/store/sql-store';
import { openSqliteStore } from '../../server/store/sqlite';
import type { Actor } from '../../server/store/store';
import { FEATURE_UPDATED_BY } from '../../shared/protocol';
import { freshPgDatabase, makeClip, PG_URL } from './helpers';

// biome-ignore lint/suspicious/noExplicitAny: the 0.1.0 schema, before the typed one
type AnyDb = Kysely<any>;

const T0 = Date.parse('2026-11-30T09:00:00Z');
const teamId = randomUUID();
const adminId = randomUUID();
const editorId = randomUUID();
const clip = { ...makeClip({ note: 'from 0.1.0' }), createdBy: { id: editorId, name: 'Ed' } };
const gone = makeClip();

/** Rows as a 0.1.0 server left them: a team, two members, a clip, an assessment, a framework, a tombstone. */
async function fill010(db: AnyDb) {
  await db
    .insertInto('teams')
    .values({ id: teamId, name: 'Radiology', seq: 4, min_valid_cursor: 0, created_at: T0 })
    .execute();
  for (const [id, name, role] of [
    [adminId, 'Ada', 'admin'],
    [editorId, 'Ed', 'editor'],
  ])
    await db
      .insertInto('members')
      .values({ id, team_id: teamId, display_name: name, role, status: 'active', created_at: T0 })
      .execute();
  const { deviceId, tokenHash } = newDeviceToken();
  await db
    .insertInto('devices')
    .values({
      id: deviceId,
      team_id: teamId,
      member_id: editorId,
      token_hash: tokenHash,
      label: 'laptop',
      created_at: T0,
    })
    .execute();
  const { id, ...clipData } = clip;
  const row = (kind: string, key: string, seq: number, data: object | null, versions: object = {}) => ({
    team_id: teamId,
    kind,
    key,
    seq,
    deleted: data === null ? 1 : 0,
    deleted_at: data === null ? T0 + seq : null,
    data: data === null ? null : JSON.stringify(data),
    versions: JSON.stringify(versions),
    updated_at: T0 + seq,
  });
  await db
    .insertInto('records')
    .values([
      row(
        'clip',
        id,
        1,
        { id, ...clipData },
        { url: 1, docKey: 1, title: 1, quote: 1, note: 1, criteria: 1 },
      ),
      row(
        'assessment',
        'demo:A',
        2,
        {
          criterionId: 'demo:A',
          rating: 'amber',
          owner: 'Ed',
          action: '',
          comment: '',
          updatedAt: new Date(T0).toISOString(),
          updatedBy: { id: adminId, name: 'Ada' },
        },
        { rating: 2 },
      ),
      row('framework', 'demo', 3, {
        format: 'qsi-evidence-clipper/framework@1',
        id: 'demo',
        name: 'Demo',
        domains: [],
      }),
      row('clip', gone.id, 4, null, { quote: 1 }),
    ])
    .execute();
}

const backends = [
  {
    kind: 'sqlite' as const,
    skip: false,
    async open010() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-mig-'));
      const file = path.join(dir, 'clipper.sqlite');
      const db: AnyDb = new Kysely({ dialect: new SqliteDialect({ database: new Database(file) }) });
      return { db, reopen: () => openSqliteStore({ file }) };
    },
  },
  {
    kind: 'postgres' as const,
    skip: !PG_URL,
    async open010() {
      const url = await freshPgDatabase();
      const db: AnyDb = new Kysely({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
      });
      return { db, reopen: () => openPostgresStore({ url }) };
    },
  },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`migration 0004 from a 0.1.0 database (${backend.kind})`, () => {
    let store: SqlStore | undefined;
    afterAll(async () => {
      await store?.close();
    });

    it('logs every existing record, verifies, and keeps syncing', async () => {
      const old = await backend.open010();
      await migrate(old.db, '0003_push_results');
      await fill010(old.db);
      await old.db.destroy();

      store = await old.reopen();
      const report = await store.verifyLog(teamId);
      expect(report).toMatchObject({ teams: 1, entries: 4, records: 4 });
      expect(report.problem).toBeUndefined();

      const history = await store.recordHistory(teamId, 'clip', clip.id);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ seq: 1, type: 'create', by: editorId, at: T0 + 1 });
      expect(history[0]?.changes.note).toEqual({ from: null, to: 'from 0.1.0' });
      expect((await store.recordHistory(teamId, 'assessment', 'demo:A'))[0]).toMatchObject({ by: adminId });
      expect((await store.recordHistory(teamId, 'framework', 'demo'))[0]).toMatchObject({
        by: null,
        changes: {},
      });
      expect((await store.recordHistory(teamId, 'clip', gone.id))[0]).toMatchObject({ type: 'delete' });

      const pulled = await store.pull(teamId, null, 100, undefined, new Set([FEATURE_UPDATED_BY]));
      if (pulled.type !== 'changes') throw new Error('resync');
      const pulledClip = pulled.changes.find((c) => c.kind === 'clip' && !c.deleted);
      expect(pulledClip?.kind === 'clip' && pulledClip.clip?.updatedBy).toEqual({ id: editorId, name: 'Ed' });

      // The admin edits the migrated clip: the chain continues from the migrated head.
      const admin: Actor = { teamId, memberId: adminId, memberName: 'Ada', role: 'admin', deviceId: 'd' };
      const out = await store.push(admin, 'client-after-upgrade', [
        {
          ok: true,
          mutation: {
            mutationId: 1,
            type: 'clip.update',
            id: clip.id,
            base: { note: 1 },
            set: { note: 'after the upgrade' },
            criteriaAdd: [],
            criteriaRemove: [],
          },
        },
      ]);
      expect(out.results[0]).toMatchObject({ status: 'applied', seq: 5 });
      expect((await store.recordHistory(teamId, 'clip', clip.id)).map((e) => [e.type, e.by])).toEqual([
        ['create', editorId],
        ['update', adminId],
      ]);
      expect((await store.verifyLog()).problem).toBeUndefined();
    });
  });
}
