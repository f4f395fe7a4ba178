// The scale-out backend: several stateless server processes share one PostgreSQL database.
// int8 columns are parsed to numbers (seqs and epoch-ms times stay far below 2^53).
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrate } from './migrations';
import { announceChange, type Backoff, pgChangeSource } from './pg-listen';
import { postgresRecordRows } from './record-rows';
import type { Database as Schema } from './schema';
import { createSqlStore, type SqlStore } from './sql-store';
import type { StoreHooks } from './store';

export interface PostgresStoreOptions {
  url: string;
  now?: () => number;
  hooks?: StoreHooks;
  /** Per-team storage quota in characters of record JSON. */
  teamQuotaBytes?: number;
  /** Pool size (default 10); the change listener is one more connection, outside the pool. */
  max?: number;
  /** Reconnect delays of the change listener (default 250 ms doubling to 10 s, with jitter). */
  listenBackoff?: Backoff;
}

const INT8_OID = 20;

/** Open (and migrate) a PostgreSQL store. @throws when the database is unreachable. */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<SqlStore> {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  await migrate(db);
  return createSqlStore({
    db,
    dialect: 'postgres',
    records: postgresRecordRows(),
    now: opts.now ?? Date.now,
    hooks: opts.hooks,
    teamQuotaBytes: opts.teamQuotaBytes,
    notify: { announce: announceChange, listen: pgChangeSource(opts.url, opts.listenBackoff) },
  });
}
