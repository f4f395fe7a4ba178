// Schema migrations, run at start by both backends through Kysely's Migrator (which takes a
// lock, so several server processes on one PostgreSQL can start at once). Append, never edit.
import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { isRecordKind, recordKinds } from '../../shared/records/registry';
import {
  chainedRow,
  changeType,
  fieldChanges,
  GENESIS_HASH,
  type LogEntry,
  stateHash,
} from '../sync/change-log';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

const migrations: Record<string, Migration> = {
  '0001_init': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('teams')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('min_valid_cursor', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('members')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('members_team').on('members').columns(['team_id']).execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('devices_team').on('devices').columns(['team_id']).execute();
      await db.schema
        .createTable('invites')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('code_hash', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('max_uses', 'integer', (c) => c.notNull())
        .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema
        .createTable('clients')
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('last_mutation_id', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('clients_pk', ['team_id', 'client_id'])
        .execute();
      await db.schema
        .createTable('mutation_results')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('mutation_id', 'bigint', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('mutation_results_pk', ['team_id', 'client_id', 'mutation_id'])
        .execute();
      await db.schema
        .createTable('records')
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('deleted_at', 'bigint')
        .addColumn('data', 'text')
        .addColumn('versions', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('records_pk', ['team_id', 'kind', 'key'])
        .execute();
      await db.schema
        .createIndex('records_team_seq')
        .on('records')
        .columns(['team_id', 'seq'])
        .unique()
        .execute();
      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('team_id', 'text')
        .addColumn('actor', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .execute();
      await db.schema.createIndex('audit_ts').on('audit_events').columns(['ts']).execute();
      await sql`select 1`.execute(db);
    },
  },
};

migrations['0002_mutation_results_created_at'] = {
  // Stored push results are kept for the tombstone retention window, then purged.
  async up(db: AnyDb) {
    await db.schema
      .alterTable('mutation_results')
      .addColumn('created_at', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('mutation_results_created')
      .on('mutation_results')
      .columns(['created_at'])
      .execute();
  },
};

migrations['0003_push_results'] = {
  // One row per pushed batch (its results as a JSON array) instead of one per mutation: a push
  // writes about one row per clip instead of two. mutation_results stays readable for replays of
  // batches processed before this migration, until retention purges it.
  async up(db: AnyDb) {
    await db.schema
      .createTable('push_results')
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('first_id', 'bigint', (c) => c.notNull())
      .addColumn('last_id', 'bigint', (c) => c.notNull())
      .addColumn('results', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('push_results_pk', ['team_id', 'client_id', 'first_id'])
      .execute();
    await db.schema.createIndex('push_results_created').on('push_results').columns(['created_at']).execute();
  },
};

migrations['0004_change_log'] = {
  // The per-team, hash-chained change log (server/sync/change-log.ts) and the team's chain head.
  // Records written before it get one entry each, in seq order: a `create` (or `delete` for a
  // tombstone) holding the record as it is now, by the member its stamps name (updatedBy, else
  // createdBy; none for frameworks), at its last write. Their earlier edits were never recorded.
  async up(db: AnyDb) {
    await db.schema
      .createTable('change_log')
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('by', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('changes', 'text', (c) => c.notNull())
      .addColumn('state_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('change_log_pk', ['team_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('change_log_record')
      .on('change_log')
      .columns(['team_id', 'kind', 'key', 'seq'])
      .execute();
    await db.schema.alterTable('teams').addColumn('log_hash', 'text').execute();
    // The team's storage use, counted by the quota: characters of its record JSON.
    await db.schema
      .alterTable('teams')
      .addColumn('bytes', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`update teams set bytes = (select coalesce(sum(length(data)), 0) from records
      where records.team_id = teams.id)`.execute(db);

    const teams = await db.selectFrom('teams').select('id').orderBy('id').execute();
    for (const { id: teamId } of teams as { id: string }[]) {
      let previous = GENESIS_HASH;
      let after = -1;
      for (;;) {
        const rows = (await db
          .selectFrom('records')
          .select(['kind', 'key', 'seq', 'deleted', 'data', 'updated_at'])
          .where('team_id', '=', teamId)
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(1000)
          .execute()) as {
          kind: string;
          key: string;
          seq: number;
          deleted: number;
          data: string | null;
          updated_at: number;
        }[];
        if (rows.length === 0) break;
        const out = rows.map((r) => {
          const data = r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown>);
          const state = { deleted: Number(r.deleted) === 1, data };
          const stamp = (data?.updatedBy ?? data?.createdBy) as { id?: unknown } | undefined;
          const whole = isRecordKind(r.kind) && recordKinds[r.kind].merge === 'whole';
          const entry: LogEntry = {
            teamId,
            seq: Number(r.seq),
            at: Number(r.updated_at),
            by: typeof stamp?.id === 'string' ? stamp.id : null,
            kind: r.kind,
            key: r.key,
            type: changeType(undefined, state),
            changes: fieldChanges(undefined, state, whole),
            stateHash: stateHash(state),
          };
          const row = chainedRow(teamId, previous, entry);
          previous = row.hash;
          return row;
        });
        for (let i = 0; i < out.length; i += 50)
          await db
            .insertInto('change_log')
            .values(out.slice(i, i + 50))
            .execute();
        after = Number(rows[rows.length - 1]?.seq);
      }
      if (after >= 0)
        await db.updateTable('teams').set({ log_hash: previous }).where('id', '=', teamId).execute();
    }
  },
};

migrations['0006_oidc'] = {
  // Sign-in with the organisation's OpenID Connect provider: a member may carry the provider's
  // subject (issuer and sub), so signing in again on another device finds the same member;
  // sign-ins in progress and the one-time join codes they end with are short-lived rows.
  async up(db: AnyDb) {
    await db.schema.alterTable('members').addColumn('oidc_subject', 'text').execute();
    await db.schema
      .createIndex('members_oidc_subject')
      .on('members')
      .columns(['team_id', 'oidc_subject'])
      .unique()
      .execute();
    await db.schema
      .createTable('oidc_flows')
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
      .addColumn('browser_hash', 'text', (c) => c.notNull())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('oidc_grants')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Bring the schema to the latest version, or up to migration `to` (tests build a database as an
 * earlier release left it). @throws when a migration fails.
 */
export async function migrate(db: AnyDb, to?: string): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error } = to === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(to);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
