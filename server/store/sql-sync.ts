// The sync log: push (exactly once, in order), pull (gap-free pages by seq) and the frameworks,
// which are records too. This file only reads and writes rows: what a mutation does to its record
// is decided by server/sync/apply-mutation.ts, and a record's kind, key and wire form come from
// the record registry (shared/records).
import { sql } from 'kysely';
import { AppError } from '../../shared/errors';
import {
  type Change,
  type Mutation,
  type MutationResult,
  PROTOCOL_VERSION,
  type PullResponse,
} from '../../shared/protocol';
import {
  changeOfRecord,
  isRecordKind,
  type RecordKind,
  recordKinds,
  recordOf,
  type SyncedRecord,
} from '../../shared/records/registry';
import type { Framework } from '../../shared/schemas';
import { applyMutation, type StoredRecord } from '../sync/apply-mutation';
import {
  ChainVerifier,
  changeType,
  entryHash,
  fieldChanges,
  GENESIS_HASH,
  type LogEntry,
  stateHash,
  type VerifyProblem,
} from '../sync/change-log';
import type { RecordRows } from './record-rows';
import type { ChangeLogTable } from './schema';
import { parseJsonObject, type SeqCounter, type SqlContext, type Tx, writeTransaction } from './sql-context';
import type { Actor, IncomingMutation, PushOutcome, SyncStore, TeamHead } from './store';

/** One record as held in memory during a push (the final state is upserted at the end). */
interface WorkingRecord extends StoredRecord {
  dirty: boolean;
  /** Length of its stored JSON (what the storage quota counts). */
  bytes: number;
  /** Its data as JSON, once written in this transaction. */
  json?: string | null;
}

/** The working records of one write transaction, by kind and key. */
type WorkingSet = Map<string, WorkingRecord>;

const workingKey = (kind: string, key: string) => `${kind}\u0000${key}`;

function parseVersions(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parseJsonObject(text))) if (typeof v === 'number') out[k] = v;
  return out;
}

/** One record write of a transaction, for the change log: the states before and after. */
interface LogEvent {
  before: StoredRecord | undefined;
  after: StoredRecord;
  by: string;
  at: number;
}

/** What the mutations of one write transaction share. */
interface TxState {
  counter: SeqCounter;
  now: number;
  log: LogEvent[];
  /** The team's stored record JSON (characters), kept up to date write by write. */
  usage: number;
  quota: number;
}

/**
 * Merge one validated mutation into the working set: the current record, the next seq and the
 * time go to the merge; a record it returns takes that seq, is upserted at the end and is logged.
 * A write that would take the team past its storage quota is refused instead (nothing changes).
 */
function apply(actor: Actor, m: Mutation, records: WorkingSet, tx: TxState): MutationResult {
  const { kind, key } = recordOf(m);
  const mapKey = workingKey(kind, key);
  const current = records.get(mapKey);
  const { result, write } = applyMutation({
    mutation: m,
    current,
    actor,
    seq: tx.counter.value + 1,
    now: tx.now,
  });
  if (!write) return result;
  const json = write.data === null ? null : JSON.stringify(write.data);
  const bytes = json?.length ?? 0;
  const delta = bytes - (current?.bytes ?? 0);
  if (delta > 0 && tx.usage + delta > tx.quota)
    return {
      mutationId: m.mutationId,
      status: 'rejected',
      code: 'quota_exceeded',
      message: `The team's storage quota (${Math.round(tx.quota / 1_048_576)} MiB) is used up; delete clips or ask the server admin to raise TEAM_QUOTA_MB`,
    };
  tx.usage += delta;
  const after: WorkingRecord = { ...write, seq: tx.counter.next(), dirty: true, bytes, json };
  records.set(mapKey, after);
  tx.log.push({ before: current, after, by: actor.memberId, at: tx.now });
  return result;
}

/**
 * Append the transaction's writes to the team's change log, each entry chained to the one
 * before (the team row holds the newest hash), in the same transaction as the writes.
 */
async function appendLog(tx: Tx, records: RecordRows, teamId: string, state: TxState) {
  const events = state.log;
  if (events.length === 0) return;
  const team = await tx.selectFrom('teams').select('log_hash').where('id', '=', teamId).executeTakeFirst();
  let previous = team?.log_hash ?? GENESIS_HASH;
  const rows = events.map((e) => {
    const entry: LogEntry = {
      teamId,
      seq: e.after.seq,
      at: e.at,
      by: e.by,
      kind: e.after.kind,
      key: e.after.key,
      type: changeType(e.before, e.after),
      changes: fieldChanges(e.before, e.after, recordKinds[e.after.kind].merge === 'whole'),
      stateHash: stateHash(e.after),
    };
    previous = entryHash(previous, entry);
    return {
      team_id: teamId,
      seq: entry.seq,
      kind: entry.kind,
      key: entry.key,
      at: entry.at,
      by: entry.by,
      type: entry.type,
      changes: JSON.stringify(entry.changes),
      state_hash: entry.stateHash,
      hash: previous,
    };
  });
  await records.log(tx, rows);
  await tx
    .updateTable('teams')
    .set({ log_hash: previous, bytes: state.usage })
    .where('id', '=', teamId)
    .execute();
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

/** The sync part of the SQL store. `records`: how push reads and upserts rows (record-rows.ts). */
export function sqlSyncStore(ctx: SqlContext, records: RecordRows): SyncStore {
  /** The shared state of a write transaction's mutations; the team's usage read under its lock. */
  async function txState(tx: Tx, teamId: string, counter: SeqCounter, now: number): Promise<TxState> {
    const team = await tx.selectFrom('teams').select('bytes').where('id', '=', teamId).executeTakeFirst();
    return { counter, now, log: [], usage: Number(team?.bytes ?? 0), quota: ctx.teamQuotaBytes };
  }

  /** The records the fresh mutations of a batch name, read under the team lock. */
  async function loadRecords(tx: Tx, teamId: string, incoming: IncomingMutation[]): Promise<WorkingSet> {
    const map: WorkingSet = new Map();
    const wanted = new Map<RecordKind, Set<string>>();
    for (const m of incoming) {
      if (!m.ok) continue;
      const { kind, key } = recordOf(m.mutation);
      const set = wanted.get(kind) ?? new Set<string>();
      set.add(key);
      wanted.set(kind, set);
    }
    for (const [kind, keys] of wanted) {
      for (const r of await records.load(tx, teamId, kind, [...keys])) {
        map.set(workingKey(kind, r.key), {
          kind,
          key: r.key,
          seq: Number(r.seq),
          deleted: Number(r.deleted) === 1,
          deletedAt: r.deleted_at === null ? null : Number(r.deleted_at),
          data: r.data === null ? null : parseJsonObject(r.data),
          versions: parseVersions(r.versions),
          dirty: false,
          bytes: r.data?.length ?? 0,
        });
      }
    }
    return map;
  }

  async function saveRecords(tx: Tx, teamId: string, working: WorkingSet, now: number) {
    const dirty = [...working.values()].filter((r) => r.dirty);
    await records.save(
      tx,
      dirty.map((r) => ({
        team_id: teamId,
        kind: r.kind,
        key: r.key,
        seq: r.seq,
        deleted: r.deleted ? 1 : 0,
        deleted_at: r.deletedAt,
        data: r.json !== undefined ? r.json : r.data === null ? null : JSON.stringify(r.data),
        versions: JSON.stringify(r.versions),
        updated_at: now,
      })),
    );
  }

  return {
    /**
     * Apply a batch in one write transaction:
     * 1. Bind `clientId` to the member on first use; another member's client id is refused (403).
     * 2. Ids ≤ the client's `last_mutation_id` were processed before: replay the stored result
     *    (or `rejected: stale_mutation` when the id was skipped over), never apply again.
     * 3. Newer ids are applied in order; each ends `applied`, `conflict` or `rejected`, and a
     *    rejected one is recorded as processed so it never blocks the queue.
     * 4. Results, changed records and the new `last_mutation_id` commit together, so a crash
     *    leaves either the whole batch or none of it.
     */
    async push(actor: Actor, clientId: string, incoming: IncomingMutation[]): Promise<PushOutcome> {
      return writeTransaction(ctx, actor.teamId, async (tx, counter) => {
        const now = ctx.now();
        const client = await tx
          .selectFrom('clients')
          .select(['member_id', 'last_mutation_id'])
          .where('team_id', '=', actor.teamId)
          .where('client_id', '=', clientId)
          .executeTakeFirst();
        if (client && client.member_id !== actor.memberId)
          throw new AppError('forbidden', 'This client id belongs to another member');
        const last = client ? Number(client.last_mutation_id) : 0;
        const idOf = (m: IncomingMutation) => (m.ok ? m.mutation.mutationId : m.mutationId);

        const replayIds = incoming.map(idOf).filter((id) => id <= last);
        const stored = replayIds.length
          ? await storedResults(tx, actor.teamId, clientId, replayIds)
          : new Map<number, MutationResult>();

        const fresh = incoming.filter((m) => idOf(m) > last);
        const working = await loadRecords(tx, actor.teamId, fresh);
        const state = await txState(tx, actor.teamId, counter, now);
        const results: MutationResult[] = [];
        const newResults: MutationResult[] = [];
        for (const m of incoming) {
          const id = idOf(m);
          if (id <= last) {
            results.push(
              stored.get(id) ?? {
                mutationId: id,
                status: 'rejected',
                code: 'stale_mutation',
                message: `mutation ${id} arrived after mutation ${last} of this client was processed`,
              },
            );
            continue;
          }
          const result = m.ok
            ? apply(actor, m.mutation, working, state)
            : ({
                mutationId: id,
                status: 'rejected',
                code: 'validation_failed',
                message: m.message,
              } as const);
          results.push(result);
          newResults.push(result);
        }
        if (fresh.length === 0) return { results, lastMutationId: last };

        await saveRecords(tx, actor.teamId, working, now);
        await appendLog(tx, records, actor.teamId, state);
        await tx
          .insertInto('push_results')
          .values({
            team_id: actor.teamId,
            client_id: clientId,
            first_id: newResults[0]?.mutationId ?? 0,
            last_id: newResults[newResults.length - 1]?.mutationId ?? 0,
            results: JSON.stringify(newResults),
            created_at: now,
          })
          .execute();
        const lastMutationId = idOf(fresh[fresh.length - 1] as IncomingMutation);
        if (client) {
          await tx
            .updateTable('clients')
            .set({ last_mutation_id: lastMutationId, updated_at: now })
            .where('team_id', '=', actor.teamId)
            .where('client_id', '=', clientId)
            .execute();
        } else {
          await tx
            .insertInto('clients')
            .values({
              team_id: actor.teamId,
              client_id: clientId,
              member_id: actor.memberId,
              last_mutation_id: lastMutationId,
              updated_at: now,
            })
            .execute();
        }
        return { results, lastMutationId };
      });
    },

    /**
     * One statement, hence one snapshot on both backends (a PostgreSQL statement sees one snapshot
     * even under READ COMMITTED): the team row (head, minimum valid cursor) followed by the page of
     * records with seq > cursor. A poll whose cursor is at the `head` read while authenticating it
     * (findDevice) needs no statement at all: nothing can follow the head, and a commit after that
     * read reaches the client on its next pull, as if this poll had come a moment earlier.
     */
    async pull(
      teamId: string,
      cursor: number | null,
      limit: number,
      head?: TeamHead,
      features: ReadonlySet<string> = new Set(),
    ): Promise<PullResponse> {
      const from = cursor ?? 0;
      if (head && from === head.seq) return pageResponse(from, head, [], limit, features);
      const { rows } = await sql<
        PulledRow & { ord: number }
      >`select 0 as ord, '' as kind, '' as key, seq, min_valid_cursor as deleted, cast(null as text) as data, '' as versions
           from teams where id = ${teamId}
         union all
         select * from (
           select 1 as ord, kind, key, seq, deleted, data, versions from records
            where team_id = ${teamId} and seq > ${from} order by seq limit ${limit + 1}
         ) as page
         order by ord, seq`.execute(ctx.read);
      const team = rows[0];
      if (!team || Number(team.ord) !== 0) throw new AppError('not_found', 'Team not found');
      const read = { seq: Number(team.seq), minValidCursor: Number(team.deleted) };
      return pageResponse(from, read, rows.slice(1), limit, features);
    },

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

    async teamSeq(teamId: string): Promise<number | undefined> {
      const row = await ctx.read
        .selectFrom('teams')
        .select(['seq'])
        .where('id', '=', teamId)
        .executeTakeFirst();
      return row ? Number(row.seq) : undefined;
    },

    async teamSeqs(teamIds: readonly string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      for (let i = 0; i < teamIds.length; i += 500) {
        const rows = await ctx.read
          .selectFrom('teams')
          .select(['id', 'seq'])
          .where('id', 'in', teamIds.slice(i, i + 500))
          .execute();
        for (const r of rows) out.set(r.id, Number(r.seq));
      }
      return out;
    },

    async listFrameworks(teamId: string) {
      const rows = await ctx.db
        .selectFrom('records')
        .select(['key', 'seq', 'data'])
        .where('team_id', '=', teamId)
        .where('kind', '=', 'framework')
        .where('deleted', '=', 0)
        .orderBy('key')
        .execute();
      return rows.map((r) => {
        const d = parseJsonObject(r.data);
        return {
          id: r.key,
          name: typeof d.name === 'string' ? d.name : r.key,
          ...(typeof d.edition === 'string' ? { edition: d.edition } : {}),
          seq: Number(r.seq),
        };
      });
    },

    async getFramework(teamId: string, frameworkId: string): Promise<Framework | undefined> {
      const row = await ctx.db
        .selectFrom('records')
        .select(['data'])
        .where('team_id', '=', teamId)
        .where('kind', '=', 'framework')
        .where('key', '=', frameworkId)
        .where('deleted', '=', 0)
        .executeTakeFirst();
      return row?.data ? (JSON.parse(row.data) as Framework) : undefined;
    },

    async changeFramework(actor: Actor, change: { publish: Framework } | { withdraw: string }) {
      const mutation: Mutation =
        'publish' in change
          ? { mutationId: 1, type: 'framework.publish', framework: change.publish }
          : { mutationId: 1, type: 'framework.withdraw', frameworkId: change.withdraw };
      return writeTransaction(ctx, actor.teamId, async (tx, counter) => {
        const working = await loadRecords(tx, actor.teamId, [{ ok: true, mutation }]);
        const state = await txState(tx, actor.teamId, counter, ctx.now());
        const result = apply(actor, mutation, working, state);
        await saveRecords(tx, actor.teamId, working, state.now);
        await appendLog(tx, records, actor.teamId, state);
        return result;
      });
    },
  };
}

/** The stored results of already-processed mutation ids (batches overlapping them, then the
 *  per-mutation table written before migration 0003). */
async function storedResults(tx: Tx, teamId: string, clientId: string, ids: number[]) {
  const stored = new Map<number, MutationResult>();
  const wanted = new Set(ids);
  const lo = Math.min(...ids);
  const hi = Math.max(...ids);
  const batches = await tx
    .selectFrom('push_results')
    .select('results')
    .where('team_id', '=', teamId)
    .where('client_id', '=', clientId)
    .where('first_id', '<=', hi)
    .where('last_id', '>=', lo)
    .execute();
  for (const b of batches)
    for (const r of JSON.parse(b.results) as MutationResult[])
      if (wanted.has(r.mutationId)) stored.set(r.mutationId, r);
  const missing = ids.filter((id) => !stored.has(id));
  for (let i = 0; i < missing.length; i += 500) {
    const rows = await tx
      .selectFrom('mutation_results')
      .select(['mutation_id', 'result'])
      .where('team_id', '=', teamId)
      .where('client_id', '=', clientId)
      .where('mutation_id', 'in', missing.slice(i, i + 500))
      .execute();
    for (const r of rows) stored.set(Number(r.mutation_id), JSON.parse(r.result) as MutationResult);
  }
  return stored;
}

/** A `records` row as a pull reads it. */
interface PulledRow {
  kind: string;
  key: string;
  seq: number;
  deleted: number;
  data: string | null;
  versions: string;
}

/**
 * The answer to a pull from `from` given the team's counter row and the records after `from`
 * (up to `limit + 1` of them: one more than a page says whether there are more).
 */
function pageResponse(
  from: number,
  team: TeamHead,
  rows: PulledRow[],
  limit: number,
  features: ReadonlySet<string>,
): PullResponse {
  if (from > 0 && from < team.minValidCursor)
    return {
      type: 'resync',
      protocolVersion: PROTOCOL_VERSION,
      reason: 'Your cursor predates the tombstone retention window; download the team again.',
    };
  if (from > team.seq)
    return {
      type: 'resync',
      protocolVersion: PROTOCOL_VERSION,
      reason: 'Your cursor is ahead of the server (restored database?); download the team again.',
    };
  const page = rows.slice(0, limit);
  const changes: Change[] = page.map((r) => changeOfRecord(withLaterFields(syncedRecord(r), features)));
  const lastSeq = page.length ? Number(page[page.length - 1]?.seq) : from;
  return {
    type: 'changes',
    protocolVersion: PROTOCOL_VERSION,
    changes,
    cursor: String(lastSeq),
    hasMore: rows.length > limit,
  };
}

/**
 * A record in the form the client parses: fields added since 0.1.0 (registry `laterFields`) only
 * for clients naming their feature, filled from their fallback on records written before them.
 */
function withLaterFields(record: SyncedRecord, features: ReadonlySet<string>): SyncedRecord {
  const later = recordKinds[record.kind].laterFields;
  if (!later || !record.data) return record;
  const data = { ...record.data };
  for (const { field, feature, fallback } of later) {
    if (!features.has(feature)) delete data[field];
    else if (data[field] === undefined && fallback && data[fallback] !== undefined)
      data[field] = data[fallback];
  }
  return { ...record, data };
}

/** A pulled row decoded. @throws on a kind the registry does not know (a corrupt row). */
function syncedRecord(r: PulledRow): SyncedRecord {
  if (!isRecordKind(r.kind)) throw new Error(`records row of unknown kind ${JSON.stringify(r.kind)}`);
  return {
    kind: r.kind,
    key: r.key,
    seq: Number(r.seq),
    deleted: Number(r.deleted) === 1,
    data: r.data === null ? null : parseJsonObject(r.data),
    versions: parseVersions(r.versions),
  };
}
