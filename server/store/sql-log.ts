// The team's change log: appending a write transaction's records to the hash chain, and reading
// it back (a record's history, the head an evidence pack seals, verify). The chain's rules (what
// an entry holds, how it is hashed, how a chain is checked) are in server/sync/change-log.ts.
import { sql } from 'kysely';
import type { RecordKind } from '../../shared/records/registry';
import { recordKinds } from '../../shared/records/registry';
import type { StoredRecord } from '../sync/apply-mutation';
import {
  ChainVerifier,
  chainedRow,
  changeType,
  fieldChanges,
  GENESIS_HASH,
  type LogEntry,
  stateHash,
  type VerifyProblem,
} from '../sync/change-log';
import type { RecordRows } from './record-rows';
import type { ChangeLogTable } from './schema';
import { parseJsonObject, type SqlContext, type Tx } from './sql-context';
import type { SyncStore } from './store';

/** One record write of a transaction, as the log records it. */
export interface LogEvent {
  before: StoredRecord | undefined;
  after: StoredRecord;
  by: string;
  at: number;
}

/**
 * Append the transaction's writes to the team's change log, each entry chained to the one
 * before (the team row holds the newest hash), in the same transaction as the writes.
 */
export async function appendLog(
  tx: Tx,
  records: RecordRows,
  teamId: string,
  events: readonly LogEvent[],
  usage: number,
) {
  if (events.length === 0) return;
  const team = await tx.selectFrom('teams').select('log_hash').where('id', '=', teamId).executeTakeFirst();
  let previous = team?.log_hash ?? GENESIS_HASH;
  const rows = events.map((e) => {
    // A create's entry repeats every field value of the record: canonicalised once for both hashes.
    const cache = new Map<object, string>();
    const entry: LogEntry = {
      teamId,
      seq: e.after.seq,
      at: e.at,
      by: e.by,
      kind: e.after.kind,
      key: e.after.key,
      type: changeType(e.before, e.after),
      changes: fieldChanges(e.before, e.after, recordKinds[e.after.kind].merge === 'whole'),
      stateHash: stateHash(e.after, cache),
    };
    const row = chainedRow(teamId, previous, entry, cache);
    previous = row.hash;
    return row;
  });
  await records.log(tx, rows);
  await tx.updateTable('teams').set({ log_hash: previous, bytes: usage }).where('id', '=', teamId).execute();
}

/** A change_log row as the hash covers it. */
function logEntryOf(r: ChangeLogTable): LogEntry {
  return {
    teamId: r.team_id,
    seq: Number(r.seq),
    at: Number(r.at),
    by: r.by,
    kind: r.kind,
    key: r.key,
    type: r.type as LogEntry['type'],
    changes: JSON.parse(r.changes) as LogEntry['changes'],
    stateHash: r.state_hash,
  };
}

/** The log's read side of the sync store. */
export function sqlLogReads(
  ctx: SqlContext,
): Pick<SyncStore, 'recordHistory' | 'logHead' | 'logEntryAt' | 'verifyLog'> {
  return {
    async recordHistory(teamId: string, kind: RecordKind, key: string) {
      const rows = await ctx.read
        .selectFrom('change_log')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('kind', '=', kind)
        .where('key', '=', key)
        .orderBy('seq')
        .execute();
      return rows.map(logEntryOf);
    },

    async logHead(teamId: string) {
      // One statement: the hash and the seq of the same snapshot.
      const { rows } = await sql<{ log_hash: string | null; seq: number | null }>`select log_hash,
          (select max(seq) from change_log where team_id = ${teamId}) as seq
          from teams where id = ${teamId}`.execute(ctx.read);
      const row = rows[0];
      if (!row) return undefined;
      return { seq: row.seq === null ? 0 : Number(row.seq), hash: row.log_hash ?? GENESIS_HASH };
    },

    async logEntryAt(teamId: string, seq: number) {
      const row = await ctx.read
        .selectFrom('change_log')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('seq', '=', seq)
        .executeTakeFirst();
      return row ? { entry: logEntryOf(row), hash: row.hash } : undefined;
    },

    async verifyLog(teamId?: string) {
      const teams = await ctx.db
        .selectFrom('teams')
        .select(['id', 'log_hash'])
        .$if(teamId !== undefined, (q) => q.where('id', '=', teamId ?? ''))
        .orderBy('id')
        .execute();
      const report: { teams: number; entries: number; records: number; problem?: VerifyProblem } = {
        teams: teams.length,
        entries: 0,
        records: 0,
      };
      for (const team of teams) {
        const chain = new ChainVerifier(team.id);
        // 1. The chain, in pages by seq.
        for (let after = 0; ; ) {
          const page = await ctx.db
            .selectFrom('change_log')
            .selectAll()
            .where('team_id', '=', team.id)
            .where('seq', '>', after)
            .orderBy('seq')
            .limit(2000)
            .execute();
          if (page.length === 0) break;
          for (const r of page) if (!chain.add(logEntryOf(r), r.hash)) break;
          if (chain.problem) break;
          after = Number(page[page.length - 1]?.seq);
        }
        report.entries += chain.entries;
        const chainProblem = chain.finish(team.log_hash);
        if (chainProblem) return { ...report, problem: chainProblem };
        // 2. Every record row must be in the state its last entry states; a row without an entry,
        //    or missing while its last entry is not a delete (purged tombstones are), is broken.
        const seen = new Set<string>();
        for (let after = -1; ; ) {
          const page = await ctx.db
            .selectFrom('records')
            .select(['kind', 'key', 'seq', 'deleted', 'data'])
            .where('team_id', '=', team.id)
            .where('seq', '>', after)
            .orderBy('seq')
            .limit(2000)
            .execute();
          if (page.length === 0) break;
          for (const r of page) {
            report.records += 1;
            const id = `${r.kind}\u0000${r.key}`;
            seen.add(id);
            const last = chain.lastState.get(id);
            const state = {
              deleted: Number(r.deleted) === 1,
              data: r.data === null ? null : parseJsonObject(r.data),
            };
            if (!last || last.stateHash !== stateHash(state) || last.seq !== Number(r.seq))
              return {
                ...report,
                problem: {
                  teamId: team.id,
                  seq: last?.seq ?? null,
                  kind: r.kind,
                  key: r.key,
                  reason: last
                    ? 'record row differs from its last log entry (changed outside the server)'
                    : 'record row has no log entry (inserted outside the server)',
                },
              };
          }
          after = Number(page[page.length - 1]?.seq);
        }
        for (const [id, last] of chain.lastState)
          if (!seen.has(id) && !last.deleted) {
            const [kind = '', key = ''] = id.split('\u0000');
            return {
              ...report,
              problem: {
                teamId: team.id,
                seq: last.seq,
                kind,
                key,
                reason: 'record row missing (deleted outside the server)',
              },
            };
          }
      }
      return report;
    },
  };
}
