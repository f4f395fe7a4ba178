// What the three parts of the SQL store share: the connections, the clock, and the one write
// transaction. Every write that must be ordered against the team's other writes (pushes, framework
// changes, invite redemption, role changes, removals, the purge) first takes the team's counter row
// (BEGIN IMMEDIATE on SQLite, SELECT … FOR UPDATE on PostgreSQL), so seqs are handed out in commit
// order and a pull never skips a change (docs/server.md, "Storage boundary").
import { type Kysely, sql, type Transaction } from 'kysely';
import { AppError } from '../../shared/errors';
import type { Database } from './schema';
import type { ChangeListener, StoreHooks } from './store';

export type Db = Kysely<Database>;
export type Tx = Kysely<Database> | Transaction<Database>;

/** The shared state of the SQL store's parts. */
export interface SqlContext {
  /** The writer (and the reader of everything outside the hot paths). */
  db: Db;
  /** The connection of the hot read paths (auth lookup, pull, long-poll); may be `db`. */
  read: Db;
  dialect: 'sqlite' | 'postgres';
  now: () => number;
  hooks: StoreHooks;
  /** Per-team storage quota: characters of stored record JSON. */
  teamQuotaBytes: number;
  /** Told of every counter move: `announce` inside the transaction (PostgreSQL: NOTIFY, sent at
   *  COMMIT), `committed` in this process once it is durable (wakes this process's long-polls). */
  changes: {
    announce?: (tx: Tx, teamId: string, seq: number) => Promise<void>;
    committed: ChangeListener['change'];
  };
}

/** The default per-team storage quota (TEAM_QUOTA_MB): 2 GiB of record JSON. */
export const DEFAULT_TEAM_QUOTA_BYTES = 2048 * 1_048_576;

/** Hands out the team's next seq numbers inside a write transaction. */
export interface SeqCounter {
  value: number;
  next(): number;
}

/** Transient PostgreSQL errors worth one more try: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Run `fn` in a write transaction holding team `teamId`'s counter row.
 * 1. BEGIN (IMMEDIATE on SQLite: the write lock is taken now, so no SQLITE_BUSY upgrade later).
 * 2. Read the team row, `FOR UPDATE` on PostgreSQL: writers of one team queue here.
 * 3. `fn` stamps changed rows with `counter.next()`.
 * 4. Store the counter (and announce it: long-polls wake on it) and COMMIT; any error rolls
 *    everything back, counter and announcement included.
 * 5. Tell this process's change feed of the new head.
 * @throws AppError not_found when the team does not exist; whatever `fn` throws.
 */
export async function writeTransaction<T>(
  ctx: SqlContext,
  teamId: string,
  fn: (tx: Tx, counter: SeqCounter) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.connection().execute(async (conn) => {
        await sql.raw(ctx.dialect === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
        try {
          const team = await conn
            .selectFrom('teams')
            .select(['seq'])
            .where('id', '=', teamId)
            .$if(ctx.dialect === 'postgres', (q) => q.forUpdate())
            .executeTakeFirst();
          if (!team) throw new AppError('not_found', 'Team not found');
          const counter: SeqCounter = {
            value: Number(team.seq),
            next() {
              this.value += 1;
              return this.value;
            },
          };
          const start = counter.value;
          const result = await fn(conn, counter);
          const moved = counter.value !== start;
          if (moved) {
            await conn.updateTable('teams').set({ seq: counter.value }).where('id', '=', teamId).execute();
            await ctx.changes.announce?.(conn, teamId, counter.value);
          }
          await ctx.hooks.beforeCommit?.();
          await sql.raw('commit').execute(conn);
          if (moved) ctx.changes.committed(teamId, counter.value);
          return result;
        } catch (error) {
          await sql
            .raw('rollback')
            .execute(conn)
            .catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt < 3 && typeof code === 'string' && RETRYABLE.has(code)) continue;
      throw error;
    }
  }
}

/** Epoch ms (how times are stored) to the ISO string of the protocol. */
export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** A JSON text column holding an object; anything else reads as `{}`. */
export function parseJsonObject(text: string | null): Record<string, unknown> {
  if (!text) return {};
  const v: unknown = JSON.parse(text);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A record's stored field versions (non-numbers dropped). */
export function parseVersions(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parseJsonObject(text))) if (typeof v === 'number') out[k] = v;
  return out;
}
