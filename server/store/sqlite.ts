// The embedded default backend: one better-sqlite3 connection per process, WAL with
// synchronous=FULL (an acknowledged push survives power loss), busy_timeout for the CLI.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from './migrations';
import type { Database as Schema } from './schema';
import { SqlStore } from './sql-store';
import type { StoreHooks } from './store';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests. */
  file: string;
  now?: () => number;
  hooks?: StoreHooks;
}

/** Open (and migrate) a SQLite store. @throws when the file cannot be opened or migrated. */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqlStore> {
  const sqlite = new Database(opts.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  return new SqlStore({
    db,
    dialect: 'sqlite',
    now: opts.now ?? Date.now,
    hooks: opts.hooks,
    backup: async (target) => {
      // VACUUM INTO writes a consistent, compacted snapshot while the server keeps running.
      sqlite.prepare('VACUUM INTO ?').run(target);
    },
  });
}
