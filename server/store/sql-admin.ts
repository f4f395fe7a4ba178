// Administration: tombstone retention, the audit log and backups. The purge takes each team's
// write transaction, so it may run while pushes do, and in several processes at once.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../shared/errors';
import { iso, type SqlContext, writeTransaction } from './sql-context';
import type { AdminStore, AuditEvent, AuditRow } from './store';

/**
 * The admin part of the SQL store. `onlineBackup`: the backend's online backup (SQLite); absent on
 * PostgreSQL, where pg_dump does it.
 */
export function sqlAdminStore(
  ctx: SqlContext,
  onlineBackup?: (targetPath: string) => Promise<void>,
): AdminStore {
  return {
    async purgeTombstones(olderThan: number): Promise<number> {
      // Replay results older than the retention window go too: a client that stale must resync anyway.
      await ctx.db.deleteFrom('mutation_results').where('created_at', '<', olderThan).execute();
      await ctx.db.deleteFrom('push_results').where('created_at', '<', olderThan).execute();
      const teams = await ctx.db
        .selectFrom('records')
        .select('team_id')
        .distinct()
        .where('deleted', '=', 1)
        .where('deleted_at', '<', olderThan)
        .execute();
      let purged = 0;
      for (const { team_id } of teams) {
        purged += await writeTransaction(ctx, team_id, async (tx) => {
          const max = await tx
            .selectFrom('records')
            .select((eb) => [eb.fn.max<number>('seq').as('max'), eb.fn.count<number>('key').as('n')])
            .where('team_id', '=', team_id)
            .where('deleted', '=', 1)
            .where('deleted_at', '<', olderThan)
            .executeTakeFirst();
          if (!max || max.max === null) return 0;
          await tx
            .deleteFrom('records')
            .where('team_id', '=', team_id)
            .where('deleted', '=', 1)
            .where('deleted_at', '<', olderThan)
            .execute();
          // A cursor below the newest purged tombstone may have missed it: such pulls must resync.
          await tx
            .updateTable('teams')
            .set((eb) => ({
              min_valid_cursor: sql<number>`case when ${eb.ref('min_valid_cursor')} > ${Number(max.max)} then ${eb.ref('min_valid_cursor')} else ${Number(max.max)} end`,
            }))
            .where('id', '=', team_id)
            .execute();
          return Number(max.n);
        });
      }
      return purged;
    },

    async audit(event: AuditEvent) {
      await ctx.db
        .insertInto('audit_events')
        .values({
          id: randomUUID(),
          ts: ctx.now(),
          team_id: event.teamId ?? null,
          actor: event.actor ?? null,
          action: event.action,
          outcome: event.outcome,
          detail: (event.detail ?? '').replace(/[\r\n\t]/g, ' ').slice(0, 500),
          ip: event.ip ?? null,
        })
        .execute();
    },

    async listAudit(limit: number, teamId?: string): Promise<AuditRow[]> {
      const rows = await ctx.db
        .selectFrom('audit_events')
        .selectAll()
        .$if(teamId !== undefined, (q) => q.where('team_id', '=', teamId ?? ''))
        .orderBy('ts', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        ts: iso(Number(r.ts)),
        teamId: r.team_id,
        actor: r.actor,
        action: r.action,
        outcome: r.outcome === 'ok' ? 'ok' : r.outcome === 'denied' ? 'denied' : 'failed',
        detail: r.detail,
        ip: r.ip,
      }));
    },

    async backup(targetPath: string) {
      if (!onlineBackup) throw new AppError('bad_request', 'Backups are made with pg_dump on PostgreSQL');
      await onlineBackup(targetPath);
    },
  };
}
