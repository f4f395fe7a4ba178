// Upgrading to sign-in (migration 0006_oidc) keeps what the previous release wrote: members,
// devices and invites of a database migrated to 0004 still work, invite joins still work, and a
// sign-in code can then admit a new member next to them.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { newDeviceToken, newInviteCode, sha256Hex } from '../../server/auth';
import { migrate } from '../../server/store/migrations';
import { openPostgresStore } from '../../server/store/postgres';
import type { SqlStore } from '../../server/store/sql-store';
import { openSqliteStore } from '../../server/store/sqlite';
import { freshPgDatabase, PG_URL } from './helpers';

// biome-ignore lint/suspicious/noExplicitAny: the schema before 0006, not the typed one
type AnyDb = Kysely<any>;

const T0 = Date.parse('2026-12-01T09:00:00Z');

const backends = [
  {
    kind: 'sqlite' as const,
    skip: false,
    async open() {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-mig6-')), 'clipper.sqlite');
      const db: AnyDb = new Kysely({ dialect: new SqliteDialect({ database: new Database(file) }) });
      return { db, reopen: (): Promise<SqlStore> => openSqliteStore({ file }) };
    },
  },
  {
    kind: 'postgres' as const,
    skip: !PG_URL,
    async open() {
      const url = await freshPgDatabase();
      const db: AnyDb = new Kysely({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
      });
      return { db, reopen: (): Promise<SqlStore> => openPostgresStore({ url }) };
    },
  },
];

for (const backend of backends)
  describe.skipIf(backend.skip)(`migration 0006_oidc (${backend.kind})`, () => {
    it('keeps members, devices and invites, and lets sign-in add a member', async () => {
      const old = await backend.open();
      await migrate(old.db, '0004_change_log');
      const teamId = randomUUID();
      const memberId = randomUUID();
      await old.db
        .insertInto('teams')
        .values({ id: teamId, name: 'Radiology', seq: 0, min_valid_cursor: 0, created_at: T0, bytes: 0 })
        .execute();
      await old.db
        .insertInto('members')
        .values({
          id: memberId,
          team_id: teamId,
          display_name: 'Ada',
          role: 'admin',
          status: 'active',
          created_at: T0,
        })
        .execute();
      const device = newDeviceToken();
      await old.db
        .insertInto('devices')
        .values({
          id: device.deviceId,
          team_id: teamId,
          member_id: memberId,
          token_hash: device.tokenHash,
          label: 'pc',
          created_at: T0,
        })
        .execute();
      const invite = newInviteCode();
      await old.db
        .insertInto('invites')
        .values({
          id: randomUUID(),
          team_id: teamId,
          code_hash: invite.codeHash,
          role: 'editor',
          max_uses: 1,
          uses: 0,
          expires_at: Date.now() + 3_600_000,
          created_by: memberId,
          created_at: T0,
        })
        .execute();
      await old.db.destroy();

      const store = await old.reopen();
      try {
        expect((await store.findDevice(device.deviceId))?.member).toMatchObject({
          id: memberId,
          role: 'admin',
        });
        const fromInvite = newDeviceToken();
        const joined = await store.redeemInvite({
          codeHash: invite.codeHash,
          displayName: 'Ed',
          deviceLabel: 'laptop',
          deviceId: fromInvite.deviceId,
          tokenHash: fromInvite.tokenHash,
        });
        expect(joined?.member.role).toBe('editor');

        const code = 'qsi-sso-abcdefghijklmnopqrstuvwxyz012345';
        await store.createOidcGrant({
          code_hash: sha256Hex(code),
          team_id: teamId,
          subject: 'https://login.example/ alice',
          display_name: 'Alice',
          role: 'viewer',
          expires_at: Date.now() + 600_000,
        });
        const fromSignIn = newDeviceToken();
        const redeemed = await store.redeemOidcGrant({
          codeHash: sha256Hex(code),
          deviceLabel: 'ward pc',
          deviceId: fromSignIn.deviceId,
          tokenHash: fromSignIn.tokenHash,
        });
        expect(redeemed).toMatchObject({
          ok: true,
          created: true,
          member: { displayName: 'Alice', role: 'viewer' },
        });
        expect((await store.listMembers(teamId)).map((m) => m.displayName)).toEqual(['Ada', 'Ed', 'Alice']);
        const subjects = await store.db
          .selectFrom('members')
          .select(['display_name', 'oidc_subject'])
          .execute();
        expect(subjects.find((m) => m.display_name === 'Ada')?.oidc_subject).toBeNull();
      } finally {
        await store.close();
      }
    });
  });
