// The sync outbox: turns a local change into the protocol mutation and queues it in
// the SAME Dexie transaction as the change. Callers open the transaction; nothing here opens one.
import type { Table } from 'dexie';
import type { Mutation } from '../../../shared/protocol';
import type { RecordKind } from '../../../shared/records/registry';
import type { Assessment, Clip } from '../../../shared/schemas';
import type { ClipperDb } from '../db';
import type { OutboxEntry } from '../store/rows';
import { localRecords, type Row } from './local-records';
import { readTeam, SYNC_META } from './state';

/**
 * The tables a caller must include in its rw transaction around enqueue* calls, e.g.
 * `db.transaction('rw', [db.clips, ...outboxTables(db)], …)`.
 */
export function outboxTables(db: ClipperDb): Table[] {
  return [db.outbox, db.meta];
}

/** Allocates the next mutation id (strictly increasing per install; never reset). */
async function nextMutationId(db: ClipperDb): Promise<number> {
  const row = await db.meta.get(SYNC_META.nextMutationId);
  const id = typeof row?.value === 'number' && row.value >= 1 ? row.value : 1;
  await db.meta.put({ key: SYNC_META.nextMutationId, value: id + 1 });
  return id;
}

async function enqueue(db: ClipperDb, build: (mutationId: number) => Mutation, at: string) {
  const mutationId = await nextMutationId(db);
  const entry: OutboxEntry = { mutationId, mutation: build(mutationId), createdAt: at };
  await db.outbox.add(entry);
  return entry;
}

/**
 * Queues the mutation for a change of one record of `kind` (its diff: lib/sync/record-diffs.ts).
 * Call INSIDE the rw transaction that writes `after` (tables: the record's table plus
 * {@link outboxTables}). Nothing is queued when this install has not joined a team or when no
 * synced field changed.
 * @returns the queued entry, if any.
 */
export async function enqueueChange(
  db: ClipperDb,
  kind: RecordKind,
  before: Row | undefined,
  after: Row,
): Promise<OutboxEntry | undefined> {
  if (!(await readTeam(db))) return undefined;
  const body = localRecords[kind].mutationOf?.(before, after);
  if (!body) return undefined;
  return enqueue(db, (mutationId) => ({ mutationId, ...body }) as Mutation, String(after.updatedAt));
}

/**
 * Queues the mutation for a clip change (see {@link enqueueChange}):
 * - new clip (or a tombstone restored) → `clip.create`;
 * - live → tombstone → `clip.delete`;
 * - live → live → `clip.update` with the changed scalar fields, their base versions from
 *   `before.sync.versions`, and criteria as add/remove sets.
 */
export const enqueueClipChange = (db: ClipperDb, before: Clip | undefined, after: Clip) =>
  enqueueChange(db, 'clip', before, after);

/** Queues the `assessment.update` for an assessment change (see {@link enqueueChange}). */
export const enqueueAssessmentChange = (db: ClipperDb, before: Assessment | undefined, after: Assessment) =>
  enqueueChange(db, 'assessment', before, after);

/**
 * After joining a team: queues every local record the team has never seen (no `sync`
 * bookkeeping; per kind, lib/sync/local-records.ts `unsentForJoin`). Call inside a rw transaction
 * over the record tables and {@link outboxTables}. @returns how many mutations were queued.
 */
export async function enqueueAllForJoin(db: ClipperDb, at = new Date().toISOString()): Promise<number> {
  if (!(await readTeam(db))) return 0;
  const mutations: Mutation[] = [];
  for (const local of Object.values(localRecords)) {
    // Only Dexie work is awaited here: awaiting anything else would let the transaction commit.
    if (!local.unsentForJoin) continue;
    for (const body of await local.unsentForJoin(db)) mutations.push({ mutationId: 0, ...body } as Mutation);
  }
  if (mutations.length === 0) return 0;
  // One id range and one bulk write: joining with 10 000 local clips stays one quick transaction.
  const first = await nextMutationId(db);
  await db.meta.put({ key: SYNC_META.nextMutationId, value: first + mutations.length });
  await db.outbox.bulkAdd(
    mutations.map((m, i) => ({
      mutationId: first + i,
      mutation: { ...m, mutationId: first + i },
      createdAt: at,
    })),
  );
  const queued = mutations.length;
  return queued;
}
