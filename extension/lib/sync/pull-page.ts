// Applying pull pages to Dexie: the server's value goes into every field that has no pending
// local change or open conflict; records with unsent changes keep those fields (the outbox is
// rebased onto the server's values, never dropped). Each function runs in ONE transaction.
import { canonicalJson, normaliseSet, sameValue } from '../../../shared/merge';
import { type Change, clipScalarFields } from '../../../shared/protocol';
import {
  parseRecordKey,
  type RecordKindSpec,
  recordKeyOf,
  recordKeyString,
  recordKinds,
  recordOfChange,
  type SyncedRecord,
  versionedFields,
} from '../../../shared/records/registry';
import type { Clip } from '../../../shared/schemas';
import type { ClipperDb } from '../db';
import type { Conflict } from '../store/rows';
import {
  applyTables,
  type Data,
  hasEdits,
  type Pending,
  pendingByRecord,
  setField,
  type Versions,
} from './apply-common';
import { isFieldMerged, type LocalRecordKind, localRecords, type Row, rowSync } from './local-records';
import { SYNC_META } from './state';

/**
 * Merges a server record into the local one field by field: fields with a pending local change
 * or an open conflict keep the local value and version; every other field takes the server's.
 */
function mergeFields(
  local: Data,
  localVersions: Versions,
  server: Data,
  serverVersions: Versions,
  fields: readonly string[],
  keep: ReadonlySet<string>,
): { data: Data; versions: Versions } {
  const data: Data = { ...local };
  const versions: Versions = { ...localVersions };
  for (const f of fields) {
    if (keep.has(f)) continue;
    setField(data, f, server[f]);
    const v = serverVersions[f];
    if (v === undefined) delete versions[f];
    else versions[f] = v;
  }
  return { data, versions };
}

/** Updates an open conflict with the server's latest values; drops fields that now agree. */
function refreshConflict(conflict: Conflict, local: Data, server: Data, serverVersions: Versions) {
  const fields: string[] = [];
  const theirs: Data = { ...conflict.theirs };
  const theirsVersions: Versions = { ...conflict.theirsVersions };
  const agreed: string[] = [];
  for (const f of conflict.fields) {
    setField(theirs, f, server[f]);
    const v = serverVersions[f];
    if (v !== undefined) theirsVersions[f] = v;
    if (sameValue(local[f], server[f])) agreed.push(f);
    else fields.push(f);
  }
  return { next: fields.length ? { ...conflict, fields, theirs, theirsVersions } : undefined, agreed };
}

/**
 * Stores one pull page and the cursor after it, in one transaction. Records with unsent local
 * changes keep those fields (the outbox is rebased onto the server's values, never dropped).
 * @param seen during a resync, collects the record keys the server still has.
 */
export async function applyPullPage(
  db: ClipperDb,
  changes: readonly Change[],
  cursor: string,
  at: string,
  seen?: Set<string>,
): Promise<void> {
  await db.transaction('rw', applyTables(db), async () => {
    const pending = pendingByRecord(await db.outbox.toArray());
    const records = changes.map(recordOfChange);
    const merged = records.filter((r) => isFieldMerged(r.kind));
    const locals = new Map<string, Row>();
    for (const kind of new Set(merged.map((r) => r.kind))) {
      const local = localRecords[kind];
      const keys = merged.filter((r) => r.kind === kind).map((r) => r.key);
      for (const row of await local.table(db).bulkGet(keys))
        if (row) locals.set(recordKeyString(kind, local.keyOf(row)), row);
    }
    const conflicts = new Map<string, Conflict>();
    for (const c of await db.conflicts.bulkGet(merged.map((r) => recordKeyString(r.kind, r.key))))
      if (c) conflicts.set(c.key, c);

    const puts = new Map<string, Row>();
    for (const record of records) {
      const spec = recordKinds[record.kind];
      const local = localRecords[record.kind];
      if (spec.merge === 'whole') {
        seen?.add(recordKeyString(record.kind, record.key));
        if (record.deleted || !record.data) await local.table(db).delete(record.key);
        else await local.table(db).put(record.data);
        continue;
      }
      const key = recordKeyString(record.kind, record.key);
      seen?.add(key);
      const row = puts.get(key) ?? locals.get(key);
      const p = pending.get(key);
      const conflict = conflicts.get(key);
      if (record.deleted || !record.data) {
        if (!row) continue;
        if (p) {
          await db.outbox.bulkDelete(
            (await db.outbox.toArray())
              .filter((e) => recordKeyOf(e.mutation) === key)
              .map((e) => e.mutationId),
          );
          pending.delete(key);
        }
        const deleted = local.tombstone?.isDeleted(row) ?? false;
        if (conflict?.reason === 'deleted') {
          // Already recorded (by the push that met the deletion).
        } else if (((p && hasEdits(p)) || conflict?.reason === 'fields') && !deleted) {
          await db.conflicts.put({
            key,
            kind: record.kind as Conflict['kind'],
            id: record.key,
            reason: 'deleted',
            fields: [],
            mine: local.content(row),
            theirs: { deleted: true },
            theirsVersions: {},
            detectedAt: conflict?.detectedAt ?? at,
          });
        } else if (conflict) await db.conflicts.delete(key);
        const tombstone = local.tombstone ? local.tombstone.withDeleted(row, true) : row;
        puts.set(key, { ...tombstone, sync: { seq: record.seq, versions: record.versions } });
        continue;
      }
      const server: Data = { ...record.data };
      const next = mergeRecord(spec, local, row, server, record, p, conflict);
      if (conflict) {
        const { next: refreshed, agreed } = refreshConflict(conflict, next, server, record.versions);
        const sync = rowSync(next);
        for (const f of agreed) {
          const v = record.versions[f];
          if (v !== undefined && sync) sync.versions[f] = v;
        }
        if (refreshed) await db.conflicts.put(refreshed);
        else await db.conflicts.delete(key);
      }
      puts.set(key, next);
    }
    for (const local of Object.values(localRecords)) {
      const rows = [...puts.entries()]
        .filter(([k]) => parseRecordKey(k).kind === local.kind)
        .map(([, row]) => row);
      if (rows.length) await local.table(db).bulkPut(rows);
    }
    await db.meta.put({ key: SYNC_META.cursor, value: cursor });
  });
}

/** A live server record merged into the local one (pending fields and local bookkeeping kept). */
function mergeRecord(
  spec: RecordKindSpec,
  localKind: LocalRecordKind,
  local: Row | undefined,
  server: Data,
  record: SyncedRecord,
  p: Pending | undefined,
  conflict: Conflict | undefined,
): Row {
  const { seq, versions: serverVersions } = record;
  if (!local) return { ...localKind.fromServer(server), sync: { seq, versions: serverVersions } };
  const localSync = rowSync(local);
  // An unacknowledged create of ours: the local record is still the truth until it is answered.
  if (p?.create) return { ...local, sync: { seq, versions: localSync?.versions ?? {} } };
  const keep = new Set([...(p?.fields ?? []), ...(conflict?.reason === 'fields' ? conflict.fields : [])]);
  const { data, versions } = mergeFields(
    { ...local },
    localSync?.versions ?? {},
    server,
    serverVersions,
    [...versionedFields(spec), ...spec.serverFields],
    keep,
  );
  for (const [field, ops] of p?.setOps ?? []) {
    if (ops.length === 0) continue;
    // Re-apply our unsent set operations on top of the team's set (remove, then add).
    const value = server[field];
    let items = Array.isArray(value) ? value.map(String) : [];
    for (const op of ops) {
      const removed = new Set(op.remove);
      items = normaliseSet([...items.filter((c) => !removed.has(c)), ...op.add]);
    }
    data[field] = items;
  }
  const live = localKind.tombstone
    ? localKind.tombstone.withDeleted(data, p?.delete ? localKind.tombstone.isDeleted(local) : false)
    : data;
  return { ...live, sync: { seq, versions } };
}

// ------------------------------------------------------------------------------------ resync

/**
 * After a full re-download: local records the server no longer has (their tombstones were
 * purged) and that have no unsent change become tombstones; rows of server-only kinds
 * (submissions) the server no longer has are removed. @returns how many.
 */
export async function finishResync(db: ClipperDb, seen: ReadonlySet<string>): Promise<number> {
  return db.transaction('rw', applyTables(db), async () => {
    const pending = pendingByRecord(await db.outbox.toArray());
    let dropped = 0;
    for (const local of Object.values(localRecords)) {
      const { tombstone } = local;
      if (local.serverOnly) {
        // Rows that exist only because the server sent them: gone from the server, gone here.
        const rows = await local.table(db).toArray();
        const stale = rows.map(local.keyOf).filter((key) => !seen.has(recordKeyString(local.kind, key)));
        await local.table(db).bulkDelete(stale);
        dropped += stale.length;
        continue;
      }
      if (!tombstone) continue;
      const keyOf = (row: Row) => recordKeyString(local.kind, local.keyOf(row));
      const gone = await local
        .table(db)
        .filter((row) => !tombstone.isDeleted(row) && rowSync(row) !== undefined && !seen.has(keyOf(row)))
        .toArray();
      const drop = gone.filter((row) => !pending.has(keyOf(row)));
      await local.table(db).bulkPut(drop.map((row) => tombstone.withDeleted(row, true)));
      dropped += drop.length;
    }
    await db.meta.delete(SYNC_META.resyncing);
    return dropped;
  });
}

/** Stable identity of the synced content of a clip (tests and the simulator compare with it). */
export function syncedClipView(clip: Clip): string {
  const view: Data = { id: clip.id, deleted: clip.deleted };
  if (!clip.deleted) {
    for (const f of clipScalarFields) view[f] = clip[f];
    view.criteria = normaliseSet(clip.criteria);
  }
  return canonicalJson(view);
}
