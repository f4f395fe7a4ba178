import { AppError } from '../../shared/errors';
import type { Mutation, MutationResult } from '../../shared/protocol';
import { type RecordKind, recordOf } from '../../shared/records/registry';
import type { Framework } from '../../shared/schemas';
import type { SubmissionContent } from '../../shared/submissions';
import { applyMutation, type StoredRecord } from '../sync/apply-mutation';
import type { RecordRows } from './record-rows';
import {
  parseJsonObject,
  parseVersions,
  type SeqCounter,
  type SqlContext,
  type Tx,
  writeTransaction,
} from './sql-context';
import { appendLog, type LogEvent, sqlLogReads } from './sql-log';
import { sqlPullReads } from './sql-pull';
import type { Actor, IncomingMutation, PushOutcome, SyncStore } from './store';

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
    ...sqlLogReads(ctx),
    ...sqlPullReads(ctx),
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
        await appendLog(tx, records, actor.teamId, state.log, state.usage);
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
      return writeOne(actor, mutation);
    },

    async changeSubmission(actor: Actor, change: { create: SubmissionContent } | { delete: string }) {
      const mutation: Mutation =
        'create' in change
          ? { mutationId: 1, type: 'submission.create', submission: change.create }
          : { mutationId: 1, type: 'submission.delete', id: change.delete };
      return writeOne(actor, mutation);
    },
  };

  /** One mutation outside a push (the REST routes of admin-only kinds): the same path and seq. */
  function writeOne(actor: Actor, mutation: Mutation): Promise<MutationResult> {
    return writeTransaction(ctx, actor.teamId, async (tx, counter) => {
      const working = await loadRecords(tx, actor.teamId, [{ ok: true, mutation }]);
      const state = await txState(tx, actor.teamId, counter, ctx.now());
      const result = apply(actor, mutation, working, state);
      await saveRecords(tx, actor.teamId, working, state.now);
      await appendLog(tx, records, actor.teamId, state.log, state.usage);
      return result;
    });
  }
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
