// The Store over Kysely, shared by SQLite and PostgreSQL: one object made of three parts, one per
// concept (sql-teams.ts, sql-sync.ts, sql-admin.ts), over one context and one write transaction
// (sql-context.ts). The backends (sqlite.ts, postgres.ts) only open connections and call this.
import { sql } from 'kysely';
import { type ChangeSource, createChangeFeed } from './change-feed';
import type { RecordRows } from './record-rows';
import { sqlAdminStore } from './sql-admin';
import { type Db, DEFAULT_TEAM_QUOTA_BYTES, type SqlContext, type Tx } from './sql-context';
import { sqlOidcStore } from './sql-oidc';
import { sqlSyncStore } from './sql-sync';
import { sqlTeamStore } from './sql-teams';
import type { Store, StoreHooks } from './store';

export interface SqlStoreOptions {
  db: Db;
  /** A second connection for the hot read paths (SQLite); defaults to `db`. Reads of committed
   *  data only, so it must see what `db` committed (a WAL reader does). */
  readDb?: Db;
  dialect: 'sqlite' | 'postgres';
  /** How push reads and upserts `records` rows (record-rows.ts). */
  records: RecordRows;
  now: () => number;
  hooks?: StoreHooks;
  /** Per-team storage quota in characters of record JSON (default DEFAULT_TEAM_QUOTA_BYTES). */
  teamQuotaBytes?: number;
  /** Cross-process change notification: announced in each write transaction, heard by `listen`.
   *  Without it the change feed sees this process's commits only. */
  notify?: { announce: (tx: Tx, teamId: string, seq: number) => Promise<void>; listen: ChangeSource };
  /** Called by close() after the Kysely instance is destroyed. */
  onClose?: () => Promise<void> | void;
  /** SQLite: online backup. */
  backup?: (targetPath: string) => Promise<void>;
}

/** The Store with its raw Kysely instance (tests and the CLI inspect tables through it). */
export interface SqlStore extends Store {
  readonly db: Db;
}

/** Build the store over open (and migrated) connections. */
export function createSqlStore(opts: SqlStoreOptions): SqlStore {
  const changes = createChangeFeed(opts.notify?.listen);
  const ctx: SqlContext = {
    db: opts.db,
    read: opts.readDb ?? opts.db,
    dialect: opts.dialect,
    now: opts.now,
    hooks: opts.hooks ?? {},
    teamQuotaBytes: opts.teamQuotaBytes ?? DEFAULT_TEAM_QUOTA_BYTES,
    changes: { announce: opts.notify?.announce, committed: changes.change },
  };
  return {
    dialect: opts.dialect,
    db: opts.db,
    changes,
    async ping() {
      await sql`select 1`.execute(opts.db);
    },
    async close() {
      await changes.close();
      await opts.db.destroy();
      await opts.onClose?.();
    },
    ...sqlTeamStore(ctx),
    ...sqlSyncStore(ctx, opts.records),
    ...sqlAdminStore(ctx, opts.backup),
    ...sqlOidcStore(ctx),
  };
}
