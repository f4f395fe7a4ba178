// Applying the server's answers to one push batch: acknowledge applied mutations (stamp versions
// on the record, rebase later outbox entries), record conflicts and rejections. One transaction.
import { sameValue } from '../../../shared/merge';
import type { Mutation, MutationResult } from '../../../shared/protocol';
import {
  parseRecordKey,
  type RecordKind,
  recordKeyOf,
  recordKeyString,
  recordKinds,
  recordOpOf,
  touchedFields,
  versionedFields,
} from '../../../shared/records/registry';
import type { ClipperDb } from '../db';
import type { Conflict, OutboxEntry } from '../store/rows';
import { applyTables, type Data, pick, setField, type Versions } from './apply-common';
import { isFieldMerged, localRecords, type Row, rowSync } from './local-records';
import { MAX_REJECTIONS_KEPT, type Rejection, readRejections, SYNC_META } from './state';

/**
 * Applies the results of one push batch (entries in the order sent; the batch never holds two
 * entries for the same record). Acknowledged entries leave the outbox; applied versions are
 * stored on the record and rebased onto later outbox entries of the same record.
 * @returns counts for the caller's status.
 */
export async function applyPushResults(
  db: ClipperDb,
  batch: readonly OutboxEntry[],
  results: readonly MutationResult[],
  at: string,
): Promise<{ applied: number; conflicts: number; rejected: number }> {
  const counts = { applied: 0, conflicts: 0, rejected: 0 };
  const byId = new Map(results.map((r) => [r.mutationId, r]));
  const lastId = batch[batch.length - 1]?.mutationId ?? 0;
  await db.transaction('rw', applyTables(db), async () => {
    const later = await db.outbox.where('mutationId').above(lastId).toArray();
    const laterByKey = new Map<string, OutboxEntry[]>();
    for (const e of later) {
      const key = recordKeyOf(e.mutation);
      laterByKey.set(key, [...(laterByKey.get(key) ?? []), e]);
    }
    const present = await db.outbox.bulkGet(batch.map((e) => e.mutationId));
    const cache = await loadCache(db, batch);
    const done: number[] = [];
    const rejections: Rejection[] = [];
    for (const [i, entry] of batch.entries()) {
      const result = byId.get(entry.mutationId);
      if (!result || !present[i]) continue;
      done.push(entry.mutationId);
      const m = entry.mutation;
      const key = recordKeyOf(m);
      const rest = laterByKey.get(key) ?? [];
      if (result.status === 'rejected') {
        counts.rejected += 1;
        rejections.push({
          mutationId: m.mutationId,
          type: m.type,
          recordKey: key,
          code: result.code,
          message: result.message,
          at,
        });
        continue;
      }
      if (result.status === 'applied') {
        counts.applied += 1;
        await acknowledge(db, cache, m, result.seq, pick(result.versions, touchedFields(m)), rest);
        continue;
      }
      counts.conflicts += 1;
      if (result.fields.includes('deleted')) {
        await serverDeleted(db, cache, key, rest, at);
        laterByKey.delete(key);
        continue;
      }
      const conflicting = new Set(result.fields);
      if (result.seq !== undefined) {
        const applied = touchedFields(m).filter((f) => !conflicting.has(f));
        await acknowledge(db, cache, m, result.seq, pick(result.versions, applied), rest);
      }
      const spec = recordKinds[parseRecordKey(key).kind];
      const fields = versionedFields(spec);
      const scalar = result.fields.filter((f) => fields.includes(f));
      if (recordOpOf(m).op === 'create') {
        // Our create met an existing record (a create applied earlier whose answer was lost, sent
        // again from a re-joined device). Only real content differences are a conflict.
        const real = scalar.filter((f) => !spec.setFields.includes(f));
        if (real.length === 0) continue;
        await addConflict(db, cache, key, real, result.server, pick(result.versions, real), at);
        continue;
      }
      await addConflict(db, cache, key, scalar, result.server, pick(result.versions, scalar), at);
    }
    await db.outbox.bulkDelete(done);
    for (const [kind, rows] of cache.dirtyRows()) await localRecords[kind].table(db).bulkPut(rows);
    if (rejections.length) {
      const kept = [...(await readRejections(db)), ...rejections].slice(-MAX_REJECTIONS_KEPT);
      await db.meta.put({ key: SYNC_META.rejections, value: kept });
    }
  });
  return counts;
}

/** The batch's records by record key, read once and written once (bulk, per kind) per push. */
interface Cache {
  rows: Map<string, Row>;
  dirty: Set<string>;
  /** The changed rows, grouped by kind in registry order. */
  dirtyRows(): [RecordKind, Row[]][];
}

async function loadCache(db: ClipperDb, batch: readonly OutboxEntry[]): Promise<Cache> {
  const keysByKind = new Map<RecordKind, string[]>();
  for (const e of batch) {
    const { kind, key } = parseRecordKey(recordKeyOf(e.mutation));
    if (!isFieldMerged(kind)) continue;
    keysByKind.set(kind, [...(keysByKind.get(kind) ?? []), key]);
  }
  const rows = new Map<string, Row>();
  const dirty = new Set<string>();
  for (const [kind, keys] of keysByKind) {
    const local = localRecords[kind];
    for (const row of await local.table(db).bulkGet(keys))
      if (row) rows.set(recordKeyString(kind, local.keyOf(row)), row);
  }
  return {
    rows,
    dirty,
    dirtyRows: () => {
      const byKind = new Map<RecordKind, Row[]>();
      for (const key of dirty) {
        const row = rows.get(key);
        if (!row) continue;
        const { kind } = parseRecordKey(key);
        byKind.set(kind, [...(byKind.get(kind) ?? []), row]);
      }
      return (Object.keys(localRecords) as RecordKind[]).flatMap((k) => {
        const list = byKind.get(k);
        return list ? [[k, list] as [RecordKind, Row[]]] : [];
      });
    },
  };
}

/** An applied mutation: stamp the record, and rebase later entries' base on our own new versions. */
async function acknowledge(
  db: ClipperDb,
  cache: Cache,
  m: Mutation,
  seq: number,
  versions: Versions,
  rest: OutboxEntry[],
) {
  const key = recordKeyOf(m);
  const row = cache.rows.get(key);
  if (row) {
    const sync = rowSync(row);
    cache.rows.set(key, {
      ...row,
      sync: { seq: Math.max(seq, sync?.seq ?? 0), versions: { ...sync?.versions, ...versions } },
    });
    cache.dirty.add(key);
  }
  for (const e of rest) {
    const later = e.mutation;
    const op = recordOpOf(later);
    if (op.op !== 'update') continue;
    let changed = false;
    const base = { ...op.base };
    for (const f of Object.keys(op.set)) {
      const v = versions[f];
      if (v !== undefined && (base[f] ?? 0) < v) {
        base[f] = v;
        changed = true;
      }
    }
    if (!changed) continue;
    e.mutation = { ...later, base } as Mutation;
    await db.outbox.put(e);
  }
}

/** The server deleted a record this install still had changes for: tombstone it, keep a conflict. */
async function serverDeleted(db: ClipperDb, cache: Cache, key: string, rest: OutboxEntry[], at: string) {
  const { kind, key: id } = parseRecordKey(key);
  const local = localRecords[kind];
  if (!local.tombstone) return;
  await db.outbox.bulkDelete(rest.map((e) => e.mutationId));
  const row = cache.rows.get(key);
  if (!row) return;
  if (!local.tombstone.isDeleted(row)) {
    cache.rows.set(key, local.tombstone.withDeleted(row, true));
    cache.dirty.add(key);
  }
  const conflict: Conflict = {
    key,
    kind: kind as Conflict['kind'],
    id,
    reason: 'deleted',
    fields: [],
    mine: local.content(row),
    theirs: { deleted: true },
    theirsVersions: {},
    detectedAt: at,
  };
  await db.conflicts.put(conflict);
}

/** Records (or widens) a field conflict: mine = the local values now, theirs = the server's. */
async function addConflict(
  db: ClipperDb,
  cache: Cache,
  key: string,
  fields: string[],
  server: Data,
  versions: Versions,
  at: string,
) {
  if (fields.length === 0) return;
  const { kind, key: id } = parseRecordKey(key);
  if (!isFieldMerged(kind)) return;
  const local = cache.rows.get(key);
  if (!local) return;
  const old = await db.conflicts.get(key);
  if (old?.reason === 'deleted') return;
  const mine: Data = { ...old?.mine };
  const theirs: Data = { ...old?.theirs };
  const theirsVersions: Versions = { ...old?.theirsVersions, ...versions };
  const all = new Set(old?.fields ?? []);
  for (const f of fields) {
    if (sameValue(local[f], server[f])) continue;
    all.add(f);
    setField(mine, f, local[f]);
    setField(theirs, f, server[f]);
  }
  if (all.size === 0) return;
  await db.conflicts.put({
    key,
    kind: kind as Conflict['kind'],
    id,
    reason: 'fields',
    fields: [...all].sort(),
    mine,
    theirs,
    theirsVersions,
    detectedAt: old?.detectedAt ?? at,
  });
}
