// Applying the server's answers to Dexie: push results (acknowledge, rebase later outbox
// entries, record conflicts and rejections) and pull pages (merge server values into every field
// that has no pending local change). Each function runs in ONE transaction it opens itself.
import { canonicalJson, normaliseSet, sameValue } from '../../../shared/merge';
import {
  assessmentScalarFields,
  type Change,
  clipScalarFields,
  type Mutation,
  type MutationResult,
} from '../../../shared/protocol';
import type { Assessment, Clip } from '../../../shared/schemas';
import type { ClipperDb, OutboxEntry } from '../db';
import { recordKeyOf } from './outbox';
import { type Conflict, MAX_REJECTIONS_KEPT, type Rejection, readRejections, SYNC_META } from './state';

/** The tables every apply transaction takes. */
export const applyTables = (db: ClipperDb) => [
  db.clips,
  db.assessments,
  db.frameworks,
  db.outbox,
  db.meta,
  db.conflicts,
];

type Versions = Record<string, number>;
type Data = Record<string, unknown>;

/** Fields whose version a mutation moves when applied (the fields it itself changed). */
export function touchedFields(m: Mutation): string[] {
  switch (m.type) {
    case 'clip.create':
      return [...clipScalarFields.filter((f) => m.clip[f] !== undefined), 'criteria'];
    case 'clip.update': {
      const fields = Object.keys(m.set);
      if (m.criteriaAdd.length || m.criteriaRemove.length) fields.push('criteria');
      return fields;
    }
    case 'assessment.update':
      return Object.keys(m.set);
    default:
      return [];
  }
}

const pick = (versions: Versions | undefined, fields: readonly string[]): Versions => {
  const out: Versions = {};
  for (const f of fields) {
    const v = versions?.[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
};

function setField(target: Data, field: string, value: unknown) {
  if (value === undefined) delete target[field];
  else target[field] = value;
}

// ------------------------------------------------------------------------------------ push

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
      const scalar = result.fields.filter(
        (f) =>
          (clipScalarFields as readonly string[]).includes(f) || f === 'criteria' || isAssessmentField(f),
      );
      if (m.type === 'clip.create') {
        // Our create met an existing record (a create applied earlier whose answer was lost, sent
        // again from a re-joined device). Only real content differences are a conflict.
        const real = scalar.filter((f) => f !== 'criteria');
        if (real.length === 0) continue;
        await addConflict(db, cache, key, real, result.server, pick(result.versions, real), at);
        continue;
      }
      await addConflict(db, cache, key, scalar, result.server, pick(result.versions, scalar), at);
    }
    await db.outbox.bulkDelete(done);
    if (cache.dirtyClips.size)
      await db.clips.bulkPut([...cache.dirtyClips].flatMap((id) => cache.clips.get(id) ?? []));
    if (cache.dirtyAssessments.size)
      await db.assessments.bulkPut(
        [...cache.dirtyAssessments].flatMap((id) => cache.assessments.get(id) ?? []),
      );
    if (rejections.length) {
      const kept = [...(await readRejections(db)), ...rejections].slice(-MAX_REJECTIONS_KEPT);
      await db.meta.put({ key: SYNC_META.rejections, value: kept });
    }
  });
  return counts;
}

/** The batch's records, read once and written once (bulk) per push transaction. */
interface Cache {
  clips: Map<string, Clip>;
  assessments: Map<string, Assessment>;
  dirtyClips: Set<string>;
  dirtyAssessments: Set<string>;
}

async function loadCache(db: ClipperDb, batch: readonly OutboxEntry[]): Promise<Cache> {
  const clipIds: string[] = [];
  const criterionIds: string[] = [];
  for (const e of batch) {
    const [kind, id] = splitKey(recordKeyOf(e.mutation));
    if (kind === 'clip') clipIds.push(id);
    else if (kind === 'assessment') criterionIds.push(id);
  }
  const cache: Cache = {
    clips: new Map(),
    assessments: new Map(),
    dirtyClips: new Set(),
    dirtyAssessments: new Set(),
  };
  for (const c of await db.clips.bulkGet(clipIds)) if (c) cache.clips.set(c.id, c);
  for (const a of await db.assessments.bulkGet(criterionIds)) if (a) cache.assessments.set(a.criterionId, a);
  return cache;
}

const isAssessmentField = (f: string) => (assessmentScalarFields as readonly string[]).includes(f);

/** An applied mutation: stamp the record, and rebase later entries' base on our own new versions. */
async function acknowledge(
  db: ClipperDb,
  cache: Cache,
  m: Mutation,
  seq: number,
  versions: Versions,
  rest: OutboxEntry[],
) {
  const [kind, id] = splitKey(recordKeyOf(m));
  if (kind === 'clip') {
    const clip = cache.clips.get(id);
    if (clip) {
      cache.clips.set(id, {
        ...clip,
        sync: { seq: Math.max(seq, clip.sync?.seq ?? 0), versions: { ...clip.sync?.versions, ...versions } },
      });
      cache.dirtyClips.add(id);
    }
  } else if (kind === 'assessment') {
    const a = cache.assessments.get(id);
    if (a) {
      cache.assessments.set(id, {
        ...a,
        sync: { seq: Math.max(seq, a.sync?.seq ?? 0), versions: { ...a.sync?.versions, ...versions } },
      });
      cache.dirtyAssessments.add(id);
    }
  }
  for (const e of rest) {
    const later = e.mutation;
    if (later.type !== 'clip.update' && later.type !== 'assessment.update') continue;
    let changed = false;
    const base = { ...later.base };
    for (const f of Object.keys(later.set)) {
      const v = versions[f];
      if (v !== undefined && (base[f] ?? 0) < v) {
        base[f] = v;
        changed = true;
      }
    }
    if (!changed) continue;
    e.mutation = { ...later, base };
    await db.outbox.put(e);
  }
}

const splitKey = (key: string): [string, string] => {
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
};

/** The server deleted a record this install still had changes for: tombstone it, keep a conflict. */
async function serverDeleted(db: ClipperDb, cache: Cache, key: string, rest: OutboxEntry[], at: string) {
  const [kind, id] = splitKey(key);
  if (kind !== 'clip') return;
  await db.outbox.bulkDelete(rest.map((e) => e.mutationId));
  const clip = cache.clips.get(id);
  if (!clip) return;
  if (!clip.deleted) {
    cache.clips.set(id, { ...clip, deleted: true });
    cache.dirtyClips.add(id);
  }
  const { anchor: _a, sync: _s, deleted: _d, ...mine } = clip;
  const conflict: Conflict = {
    key,
    kind: 'clip',
    id,
    reason: 'deleted',
    fields: [],
    mine,
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
  const [kind, id] = splitKey(key);
  if (kind !== 'clip' && kind !== 'assessment') return;
  const local: Data | undefined = kind === 'clip' ? cache.clips.get(id) : cache.assessments.get(id);
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
    kind,
    id,
    reason: 'fields',
    fields: [...all].sort(),
    mine,
    theirs,
    theirsVersions,
    detectedAt: old?.detectedAt ?? at,
  });
}

// ------------------------------------------------------------------------------------ pull

interface Pending {
  create: boolean;
  delete: boolean;
  /** Scalar fields with an unsent local value. */
  fields: Set<string>;
  /** Criteria operations in outbox order. */
  criteriaOps: { add: readonly string[]; remove: readonly string[] }[];
}

function pendingByRecord(outbox: readonly OutboxEntry[]): Map<string, Pending> {
  const map = new Map<string, Pending>();
  for (const { mutation: m } of outbox) {
    const key = recordKeyOf(m);
    const p = map.get(key) ?? { create: false, delete: false, fields: new Set<string>(), criteriaOps: [] };
    if (m.type === 'clip.create') p.create = true;
    else if (m.type === 'clip.delete') p.delete = true;
    else if (m.type === 'clip.update') {
      for (const f of Object.keys(m.set)) p.fields.add(f);
      p.criteriaOps.push({ add: m.criteriaAdd, remove: m.criteriaRemove });
    } else if (m.type === 'assessment.update') for (const f of Object.keys(m.set)) p.fields.add(f);
    map.set(key, p);
  }
  return map;
}

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

const CLIP_META_FIELDS = ['createdBy', 'createdAt', 'updatedAt'] as const;

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
    const clipIds = changes.flatMap((c) => (c.kind === 'clip' ? [c.id] : []));
    const criterionIds = changes.flatMap((c) => (c.kind === 'assessment' ? [c.assessment.criterionId] : []));
    const clips = new Map<string, Clip>();
    for (const c of await db.clips.bulkGet(clipIds)) if (c) clips.set(c.id, c);
    const assessments = new Map<string, Assessment>();
    for (const a of await db.assessments.bulkGet(criterionIds)) if (a) assessments.set(a.criterionId, a);
    const keys = [...clipIds.map((id) => `clip:${id}`), ...criterionIds.map((id) => `assessment:${id}`)];
    const conflicts = new Map<string, Conflict>();
    for (const c of await db.conflicts.bulkGet(keys)) if (c) conflicts.set(c.key, c);

    const clipPuts = new Map<string, Clip>();
    const assessmentPuts = new Map<string, Assessment>();
    for (const change of changes) {
      if (change.kind === 'framework') {
        if (change.deleted || !change.framework) await db.frameworks.delete(change.frameworkId);
        else await db.frameworks.put(change.framework);
        continue;
      }
      if (change.kind === 'clip') {
        const key = `clip:${change.id}`;
        seen?.add(key);
        const local = clipPuts.get(change.id) ?? clips.get(change.id);
        const p = pending.get(key);
        const conflict = conflicts.get(key);
        if (change.deleted || !change.clip) {
          if (!local) continue;
          const edited = p !== undefined && (p.create || p.fields.size > 0 || p.criteriaOps.length > 0);
          if (p) {
            await db.outbox.bulkDelete(
              (await db.outbox.toArray())
                .filter((e) => recordKeyOf(e.mutation) === key)
                .map((e) => e.mutationId),
            );
            pending.delete(key);
          }
          if (conflict?.reason === 'deleted') {
            // Already recorded (by the push that met the deletion).
          } else if ((edited || conflict?.reason === 'fields') && !local.deleted) {
            const { anchor: _a, sync: _s, deleted: _d, ...mine } = local;
            await db.conflicts.put({
              key,
              kind: 'clip',
              id: change.id,
              reason: 'deleted',
              fields: [],
              mine,
              theirs: { deleted: true },
              theirsVersions: {},
              detectedAt: conflict?.detectedAt ?? at,
            });
          } else if (conflict) await db.conflicts.delete(key);
          clipPuts.set(change.id, {
            ...local,
            deleted: true,
            sync: { seq: change.seq, versions: change.versions },
          });
          continue;
        }
        const server: Data = { ...change.clip };
        const next = mergeClip(local, server, change.versions, change.seq, p, conflict);
        if (conflict) {
          const { next: refreshed, agreed } = refreshConflict(conflict, next, server, change.versions);
          for (const f of agreed) {
            const v = change.versions[f];
            if (v !== undefined && next.sync) next.sync.versions[f] = v;
          }
          if (refreshed) await db.conflicts.put(refreshed);
          else await db.conflicts.delete(key);
        }
        clipPuts.set(change.id, next);
        continue;
      }
      const id = change.assessment.criterionId;
      const key = `assessment:${id}`;
      seen?.add(key);
      const local = assessmentPuts.get(id) ?? assessments.get(id);
      const p = pending.get(key);
      const conflict = conflicts.get(key);
      const server: Data = { ...change.assessment };
      const keep = new Set([...(p?.fields ?? []), ...(conflict?.fields ?? [])]);
      const merged = local
        ? mergeFields(
            { ...local },
            local.sync?.versions ?? {},
            server,
            change.versions,
            [...assessmentScalarFields, 'updatedAt', 'updatedBy'],
            keep,
          )
        : { data: server, versions: change.versions };
      const next = { ...merged.data, sync: { seq: change.seq, versions: merged.versions } } as Assessment;
      if (conflict) {
        const { next: refreshed, agreed } = refreshConflict(conflict, next, server, change.versions);
        for (const f of agreed) {
          const v = change.versions[f];
          if (v !== undefined && next.sync) next.sync.versions[f] = v;
        }
        if (refreshed) await db.conflicts.put(refreshed);
        else await db.conflicts.delete(key);
      }
      assessmentPuts.set(id, next);
    }
    if (clipPuts.size) await db.clips.bulkPut([...clipPuts.values()]);
    if (assessmentPuts.size) await db.assessments.bulkPut([...assessmentPuts.values()]);
    await db.meta.put({ key: SYNC_META.cursor, value: cursor });
  });
}

/** A live server clip merged into the local record (pending fields and local bookkeeping kept). */
function mergeClip(
  local: Clip | undefined,
  server: Data,
  serverVersions: Versions,
  seq: number,
  p: Pending | undefined,
  conflict: Conflict | undefined,
): Clip {
  if (!local) {
    return { ...(server as Omit<Clip, 'deleted'>), deleted: false, sync: { seq, versions: serverVersions } };
  }
  // An unacknowledged create of ours: the local record is still the truth until it is answered.
  if (p?.create) return { ...local, sync: { seq, versions: local.sync?.versions ?? {} } };
  const keep = new Set([...(p?.fields ?? []), ...(conflict?.reason === 'fields' ? conflict.fields : [])]);
  const { data, versions } = mergeFields(
    { ...local },
    local.sync?.versions ?? {},
    server,
    serverVersions,
    [...clipScalarFields, 'criteria', ...CLIP_META_FIELDS],
    keep,
  );
  if (p?.criteriaOps.length) {
    // Re-apply our unsent criteria operations on top of the team's set (remove, then add).
    let criteria = Array.isArray(server.criteria) ? server.criteria.map(String) : [];
    for (const op of p.criteriaOps) {
      const removed = new Set(op.remove);
      criteria = normaliseSet([...criteria.filter((c) => !removed.has(c)), ...op.add]);
    }
    data.criteria = criteria;
  }
  if (local.history) data.history = local.history;
  const next = { ...data, deleted: p?.delete ? local.deleted : false, sync: { seq, versions } } as Clip;
  return next;
}

// ------------------------------------------------------------------------------------ resync

/**
 * After a full re-download: local records the server no longer has (their tombstones were
 * purged) and that have no unsent change become tombstones. @returns how many.
 */
export async function finishResync(db: ClipperDb, seen: ReadonlySet<string>): Promise<number> {
  return db.transaction('rw', applyTables(db), async () => {
    const pending = pendingByRecord(await db.outbox.toArray());
    const gone = await db.clips
      .filter((c) => !c.deleted && c.sync !== undefined && !seen.has(`clip:${c.id}`))
      .toArray();
    const dropped = gone.filter((c) => !pending.has(`clip:${c.id}`));
    await db.clips.bulkPut(dropped.map((c) => ({ ...c, deleted: true })));
    await db.meta.delete(SYNC_META.resyncing);
    return dropped.length;
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
