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
  recordOf,
  type SyncedRecord,
} from '../../shared/records/registry';
import type { Framework } from '../../shared/schemas';
import { applyMutation, type StoredRecord } from '../sync/apply-mutation';
import type { RecordRows } from './record-rows';
import { parseJsonObject, type SeqCounter, type SqlContext, type Tx, writeTransaction } from './sql-context';
import type { Actor, IncomingMutation, PushOutcome, SyncStore, TeamHead } from './store';

/** One record as held in memory during a push (the final state is upserted at the end). */
interface WorkingRecord extends StoredRecord {
  dirty: boolean;
}

/** The working records of one write transaction, by kind and key. */
type WorkingSet = Map<string, WorkingRecord>;

const workingKey = (kind: string, key: string) => `${kind}\u0000${key}`;

function parseVersions(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parseJsonObject(text))) if (typeof v === 'number') out[k] = v;
  return out;
}

/**
 * Merge one validated mutation into the working set: the current record, the next seq and the
 * time go to the merge; a record it returns takes that seq and is upserted at the end.
 */
function apply(actor: Actor, m: Mutation, records: WorkingSet, counter: SeqCounter, now: number) {
  const { kind, key } = recordOf(m);
  const mapKey = workingKey(kind, key);
  const { result, write } = applyMutation({
    mutation: m,
    current: records.get(mapKey),
    actor,
    seq: counter.value + 1,
    now,
  });
  if (write) records.set(mapKey, { ...write, seq: counter.next(), dirty: true });
  return result;
}

/** The sync part of the SQL store. `records`: how push reads and upserts rows (record-rows.ts). */
export function sqlSyncStore(ctx: SqlContext, records: RecordRows): SyncStore {
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
        data: r.data === null ? null : JSON.stringify(r.data),
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
            ? apply(actor, m.mutation, working, counter, now)
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
    async pull(teamId: string, cursor: number | null, limit: number, head?: TeamHead): Promise<PullResponse> {
      const from = cursor ?? 0;
      if (head && from === head.seq) return pageResponse(from, head, [], limit);
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
      return pageResponse(from, read, rows.slice(1), limit);
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
        const result = apply(actor, mutation, working, counter, ctx.now());
        await saveRecords(tx, actor.teamId, working, ctx.now());
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
function pageResponse(from: number, team: TeamHead, rows: PulledRow[], limit: number): PullResponse {
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
  const changes: Change[] = page.map((r) => changeOfRecord(syncedRecord(r)));
  const lastSeq = page.length ? Number(page[page.length - 1]?.seq) : from;
  return {
    type: 'changes',
    protocolVersion: PROTOCOL_VERSION,
    changes,
    cursor: String(lastSeq),
    hasMore: rows.length > limit,
  };
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
