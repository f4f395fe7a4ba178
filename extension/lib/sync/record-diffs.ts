// What a local change means for the team, per kind: the mutation body that turns the team's
// record `before` into `after` (none when no synced field changed). Pure; the outbox
// (outbox.ts) numbers and queues it, the kind table (local-records.ts) picks the function.
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

/** A mutation before the outbox gives it its id. */
export type MutationBody = Mutation extends infer M
  ? M extends Mutation
    ? Omit<M, 'mutationId'>
    : never
  : never;

/** The synced content of a clip (local bookkeeping stripped), as `clip.create` carries it. */
export function clipContent(clip: Clip): ClipContent {
  const { anchor: _a, sync: _s, deleted: _d, ...content } = clip;
  return content;
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
 * The mutation for a clip change: a new clip (or a tombstone restored) → `clip.create`; live →
 * tombstone → `clip.delete`; live → live → `clip.update` ({@link clipUpdateOf}).
 */
export function clipMutationOf(before: Clip | undefined, after: Clip): MutationBody | undefined {
  const wasLive = before !== undefined && !before.deleted;
  if (after.deleted) return wasLive ? { type: 'clip.delete', id: after.id } : undefined;
  if (!wasLive) return { type: 'clip.create', clip: clipContent(after) };
  return clipUpdateOf(before, after);
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
