// The per-record reads and writes of a push, the hot path of every write transaction. The store's
// merge logic stays in sql-store.ts; this is only how `records` rows are fetched and upserted:
// through Kysely (batched statements; PostgreSQL) or through better-sqlite3 statements prepared
// once (SQLite, where building a statement through Kysely costs more than running it).
import type Database from 'better-sqlite3';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { RecordsTable, Database as Schema } from './schema';

type Tx = Kysely<Schema> | Transaction<Schema>;

/**
 * Row access for `records` inside a write transaction. Both methods are called only by
 * SqlStore's write path, on the connection that holds the transaction (`tx`).
 */
export interface RecordRows {
  /** The team's rows of `kind` among `keys` (missing keys are absent). */
  load(tx: Tx, teamId: string, kind: string, keys: readonly string[]): Promise<RecordsTable[]>;
  /** Insert or replace each row (keyed by team, kind, key). */
  save(tx: Tx, rows: readonly RecordsTable[]): Promise<void>;
}

/** Through Kysely, batched: one SELECT per 500 keys, one upsert per 100 rows. */
export function kyselyRecordRows(dialect: 'sqlite' | 'postgres'): RecordRows {
  return {
    async load(tx, teamId, kind, keys) {
      const out: RecordsTable[] = [];
      for (let i = 0; i < keys.length; i += 500) {
        const chunk = keys.slice(i, i + 500);
        // PostgreSQL: one array parameter (`= any($3)`) plans once instead of per list length.
        const rows = await tx
          .selectFrom('records')
          .selectAll()
          .where('team_id', '=', teamId)
          .where('kind', '=', kind)
          .$if(dialect === 'postgres', (q) => q.where('key', '=', sql<string>`any(${chunk})`))
          .$if(dialect === 'sqlite', (q) => q.where('key', 'in', chunk))
          .execute();
        out.push(...rows);
      }
      return out;
    },
    async save(tx, rows) {
      for (let i = 0; i < rows.length; i += 100) {
        await tx
          .insertInto('records')
          .values(rows.slice(i, i + 100))
          .onConflict((oc) =>
            oc.columns(['team_id', 'kind', 'key']).doUpdateSet((eb) => ({
              seq: eb.ref('excluded.seq'),
              deleted: eb.ref('excluded.deleted'),
              deleted_at: eb.ref('excluded.deleted_at'),
              data: eb.ref('excluded.data'),
              versions: eb.ref('excluded.versions'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
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
  return {
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
