// The per-record reads and writes of a push, the hot path of every write transaction. The merge
// lives in server/sync/apply-mutation.ts; this is only how `records` rows are fetched and upserted, per
// backend: one array-bound statement per batch on PostgreSQL (a round trip costs more than a row),
// better-sqlite3 statements prepared once on SQLite (there a statement costs microseconds, less
// than building it through Kysely did).
import type Database from 'better-sqlite3';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ChangeLogTable, RecordsTable, Database as Schema } from './schema';

type Tx = Kysely<Schema> | Transaction<Schema>;

/**
 * Row access for `records` inside a write transaction. Both methods are called only by
 * the sync store's write path (sql-sync.ts), on the connection that holds the transaction (`tx`); the rows of one
 * call have distinct keys.
 */
export interface RecordRows {
  /** The team's rows of `kind` among `keys` (missing keys are absent). */
  load(tx: Tx, teamId: string, kind: string, keys: readonly string[]): Promise<RecordsTable[]>;
  /** Insert or replace each row (keyed by team, kind, key). */
  save(tx: Tx, rows: readonly RecordsTable[]): Promise<void>;
  /** Append change-log entries (one per record write of the transaction). */
  log(tx: Tx, rows: readonly ChangeLogTable[]): Promise<void>;
}

/**
 * PostgreSQL: one statement each way per batch, whatever its size. Keys and rows travel as arrays
 * (`= any(…)`, `unnest`), so the SQL text is the same for every batch and no statement with
 * hundreds of placeholders is built per push.
 */
export function postgresRecordRows(): RecordRows {
  return {
    load(tx, teamId, kind, keys) {
      return tx
        .selectFrom('records')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('kind', '=', kind)
        .where('key', '=', sql<string>`any(${keys})`)
        .execute();
    },
    async save(tx, rows) {
      if (rows.length === 0) return;
      const col = <K extends keyof RecordsTable>(k: K) => rows.map((r) => r[k]);
      await sql`insert into records (team_id, kind, key, seq, deleted, deleted_at, data, versions, updated_at)
        select * from unnest(${col('team_id')}::text[], ${col('kind')}::text[], ${col('key')}::text[],
          ${col('seq')}::int8[], ${col('deleted')}::int4[], ${col('deleted_at')}::int8[],
          ${col('data')}::text[], ${col('versions')}::text[], ${col('updated_at')}::int8[])
        on conflict (team_id, kind, key) do update set seq = excluded.seq, deleted = excluded.deleted,
          deleted_at = excluded.deleted_at, data = excluded.data, versions = excluded.versions,
          updated_at = excluded.updated_at`.execute(tx);
    },
    async log(tx, rows) {
      if (rows.length === 0) return;
      const col = <K extends keyof ChangeLogTable>(k: K) => rows.map((r) => r[k]);
      await sql`insert into change_log (team_id, seq, kind, key, at, by, type, changes, state_hash, hash)
        select * from unnest(${col('team_id')}::text[], ${col('seq')}::int8[], ${col('kind')}::text[],
          ${col('key')}::text[], ${col('at')}::int8[], ${col('by')}::text[], ${col('type')}::text[],
          ${col('changes')}::text[], ${col('state_hash')}::text[], ${col('hash')}::text[])`.execute(tx);
    },
  };
}

/**
 * better-sqlite3 statements prepared once on the writer connection. `tx` is not used: better-sqlite3
 * has one connection per handle, and the caller holds it inside its BEGIN IMMEDIATE transaction,
 * so these statements run in that transaction.
 */
export function sqliteRecordRows(writer: Database.Database): RecordRows {
  const select = writer.prepare<[string, string, string], RecordsTable>(
    'select * from records where team_id = ? and kind = ? and key = ?',
  );
  const upsert = writer.prepare(
    `insert into records (team_id, kind, key, seq, deleted, deleted_at, data, versions, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (team_id, kind, key) do update set seq = excluded.seq, deleted = excluded.deleted,
       deleted_at = excluded.deleted_at, data = excluded.data, versions = excluded.versions,
       updated_at = excluded.updated_at`,
  );
  const append = writer.prepare(
    `insert into change_log (team_id, seq, kind, key, at, by, type, changes, state_hash, hash)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    async log(_tx, rows) {
      for (const r of rows)
        append.run(r.team_id, r.seq, r.kind, r.key, r.at, r.by, r.type, r.changes, r.state_hash, r.hash);
    },
    async load(_tx, teamId, kind, keys) {
      const out: RecordsTable[] = [];
      for (const key of keys) {
        const row = select.get(teamId, kind, key);
        if (row) out.push(row);
      }
      return out;
    },
    async save(_tx, rows) {
      for (const r of rows)
        upsert.run(
          r.team_id,
          r.kind,
          r.key,
          r.seq,
          r.deleted,
          r.deleted_at,
          r.data,
          r.versions,
          r.updated_at,
        );
    },
  };
}
