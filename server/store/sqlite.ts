// The embedded default backend: better-sqlite3 in WAL mode with synchronous=FULL (an acknowledged
// push survives power loss), busy_timeout for the CLI. Two connections per process: the writer,
// and a reader for the hot read paths (auth lookup, pull), so a poll never queues behind a push's
// transaction (WAL readers see the last commit and never block the writer). Statements are
// prepared once per connection and reused; push reads and upserts records through statements
// prepared on the writer (record-rows.ts).
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect } from 'kysely';
import { migrate } from './migrations';
import { sqliteRecordRows } from './record-rows';
import type { Database as Schema } from './schema';
import { createSqlStore, type SqlStore } from './sql-store';
import type { StoreHooks } from './store';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests. */
  file: string;
  now?: () => number;
  hooks?: StoreHooks;
  /** Per-team storage quota in characters of record JSON. */
  teamQuotaBytes?: number;
}

const STATEMENT_CACHE = 256;

/** better-sqlite3 with a bounded cache of prepared statements (Kysely prepares per query). */
function withStatementCache(db: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(query: string) {
      let st = cache.get(query);
      if (st) {
        cache.delete(query); // most recently used last
      } else {
        st = db.prepare(query);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(query, st);
      return st;
    },
  };
}

/** The database file and its WAL companions: readable by the server's user only (0600). */
function restrictFiles(file: string) {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
}

/** Open (and migrate) a SQLite store. @throws when the file cannot be opened or migrated. */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqlStore> {
  // SQLite creates the WAL and shared-memory files with the database file's mode, so a 0600
  // database (files of earlier versions were 0644) keeps them 0600 too.
  if (opts.file !== ':memory:') restrictFiles(opts.file);
  const sqlite = new Database(opts.file);
  if (opts.file !== ':memory:') restrictFiles(opts.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  await migrate(db);
  // An in-memory database exists only on its own connection: read through the writer then.
  const reader = opts.file === ':memory:' ? undefined : new Database(opts.file, { readonly: true });
  reader?.pragma('busy_timeout = 5000');
  const readDb = reader
    ? new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(reader) }) })
    : undefined;
  return createSqlStore({
    db,
    readDb,
    dialect: 'sqlite',
    records: sqliteRecordRows(sqlite),
    now: opts.now ?? Date.now,
    hooks: opts.hooks,
    teamQuotaBytes: opts.teamQuotaBytes,
    onClose: async () => {
      await readDb?.destroy();
    },
    backup: async (target) => {
      // VACUUM INTO writes a consistent, compacted snapshot while the server keeps running.
      sqlite.prepare('VACUUM INTO ?').run(target);
      fs.chmodSync(target, 0o600);
    },
  });
}
