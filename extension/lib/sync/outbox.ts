// The sync outbox: turns a local change into the protocol mutation and queues it in
// the SAME Dexie transaction as the change. Callers open the transaction; nothing here opens one.
import type { Table } from 'dexie';
import { sameValue } from '../../../shared/merge';
import {
  type AssessmentPatch,
  assessmentScalarFields,
  type ClipContent,
  type ClipPatch,
  clipScalarFields,
  type Mutation,
} from '../../../shared/protocol';
import type { Assessment, Clip } from '../../../shared/schemas';
import type { ClipperDb } from '../db';
import type { OutboxEntry } from '../store/rows';
import { readTeam, SYNC_META } from './state';

/**
 * The tables a caller must include in its rw transaction around enqueue* calls, e.g.
 * `db.transaction('rw', [db.clips, ...outboxTables(db)], …)`.
 */
export function outboxTables(db: ClipperDb): Table[] {
  return [db.outbox, db.meta];
}

/** The synced content of a clip (local bookkeeping stripped), as `clip.create` carries it. */
export function clipContent(clip: Clip): ClipContent {
  const { anchor: _a, sync: _s, deleted: _d, ...content } = clip;
  return content;
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

/** The clip.update for `before` → `after` (both live), or undefined when nothing synced changed. */
export function clipUpdateOf(
  before: Clip,
  after: Clip,
): Omit<Extract<Mutation, { type: 'clip.update' }>, 'mutationId'> | undefined {
  const set: Record<string, unknown> = {};
  const base: Record<string, number> = {};
  for (const f of clipScalarFields) {
    const value = after[f];
    // JSON cannot carry `undefined`: an optional field cleared locally is not sent.
    if (value === undefined || sameValue(before[f], value)) continue;
    set[f] = value;
    base[f] = before.sync?.versions[f] ?? 0;
  }
  const had = new Set(before.criteria);
  const has = new Set(after.criteria);
  const criteriaAdd = [...has].filter((c) => !had.has(c)).sort();
  const criteriaRemove = [...had].filter((c) => !has.has(c)).sort();
  if (Object.keys(set).length === 0 && criteriaAdd.length === 0 && criteriaRemove.length === 0)
    return undefined;
  return { type: 'clip.update', id: after.id, base, set: set as ClipPatch, criteriaAdd, criteriaRemove };
}

/**
 * Queues the mutation for a clip change. Call INSIDE the rw transaction that writes `after`
 * (tables: the clip table plus {@link outboxTables}). Nothing is queued when this install has
 * not joined a team or when no synced field changed.
 * - new clip (or a tombstone restored) → `clip.create`;
 * - live → tombstone → `clip.delete`;
 * - live → live → `clip.update` with the changed scalar fields, their base versions from
 *   `before.sync.versions`, and criteria as add/remove sets.
 * @returns the queued entry, if any.
 */
export async function enqueueClipChange(
  db: ClipperDb,
  before: Clip | undefined,
  after: Clip,
): Promise<OutboxEntry | undefined> {
  if (!(await readTeam(db))) return undefined;
  const at = after.updatedAt;
  const wasLive = before !== undefined && !before.deleted;
  if (after.deleted) {
    if (!wasLive) return undefined;
    return enqueue(db, (mutationId) => ({ mutationId, type: 'clip.delete', id: after.id }), at);
  }
  if (!wasLive)
    return enqueue(db, (mutationId) => ({ mutationId, type: 'clip.create', clip: clipContent(after) }), at);
  const update = clipUpdateOf(before, after);
  if (!update) return undefined;
  return enqueue(db, (mutationId) => ({ mutationId, ...update }), at);
}

/** The assessment.update for `before` → `after`, or undefined when nothing synced changed. */
export function assessmentUpdateOf(
  before: Assessment | undefined,
  after: Assessment,
): Omit<Extract<Mutation, { type: 'assessment.update' }>, 'mutationId'> | undefined {
  const set: Record<string, unknown> = {};
  const base: Record<string, number> = {};
  const defaults: Record<string, unknown> = { rating: 'unrated', owner: '', action: '', comment: '' };
  for (const f of assessmentScalarFields) {
    const was = before ? before[f] : defaults[f];
    const now = after[f];
    if (sameValue(was, now)) continue;
    // A cleared due date travels as '' (the protocol's "clear").
    set[f] = now === undefined ? '' : now;
    base[f] = before?.sync?.versions[f] ?? 0;
  }
  if (Object.keys(set).length === 0) return undefined;
  return { type: 'assessment.update', criterionId: after.criterionId, base, set: set as AssessmentPatch };
}

/**
 * Queues the mutation for an assessment change; same contract as {@link enqueueClipChange}
 * (tables: the assessments table plus {@link outboxTables}).
 */
export async function enqueueAssessmentChange(
  db: ClipperDb,
  before: Assessment | undefined,
  after: Assessment,
): Promise<OutboxEntry | undefined> {
  if (!(await readTeam(db))) return undefined;
  const update = assessmentUpdateOf(before, after);
  if (!update) return undefined;
  return enqueue(db, (mutationId) => ({ mutationId, ...update }), after.updatedAt);
}

/**
 * After joining a team: queues every local clip the team has never seen (no `sync` bookkeeping)
 * and every assessment that says something. Call inside a rw transaction over clips,
 * assessments and {@link outboxTables}. @returns how many mutations were queued.
 */
export async function enqueueAllForJoin(db: ClipperDb, at = new Date().toISOString()): Promise<number> {
  if (!(await readTeam(db))) return 0;
  const mutations: Mutation[] = [];
  const clips = await db.clips.filter((c) => !c.deleted && c.sync === undefined).toArray();
  clips.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  for (const clip of clips) mutations.push({ mutationId: 0, type: 'clip.create', clip: clipContent(clip) });
  for (const a of await db.assessments.filter((x) => x.sync === undefined).toArray()) {
    const update = assessmentUpdateOf(undefined, a);
    if (update) mutations.push({ mutationId: 0, ...update });
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
