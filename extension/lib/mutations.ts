// The one place where extension pages change clips, assessments and frameworks. Each function
// does its Dexie writes in ONE transaction, so that the sync outbox entry (design §7) can be added
// inside the same transaction later. Pages never call db.*.put/update/delete themselves.

import type { Table } from 'dexie';
import type { ImportPlan } from '../../shared/exports/import-file';
import { type AssessmentPatch, assessmentPatchSchema } from '../../shared/protocol';
import {
  type Assessment,
  assessmentSchema,
  type Clip,
  type CriterionId,
  clipSchema,
  type DocMeta,
  emptyAssessment,
  type Framework,
  frameworkSchema,
} from '../../shared/schemas';
import type { ClipperDb } from './db';
import { setActiveFramework } from './frameworks';
import { requestSync } from './sync/background-sync';
import { enqueueAssessmentChange, enqueueClipChange, outboxTables } from './sync/outbox';

/** Runs `write` in one transaction over `tables` plus the sync outbox, then asks for a sync. */
async function withOutbox<T>(db: ClipperDb, tables: Table[], write: () => Promise<T>): Promise<T> {
  const result = await db.transaction('rw', [...tables, ...outboxTables(db)], write);
  requestSync();
  return result;
}

const nowIso = () => new Date().toISOString();

/** What an undoable change replaced: the rows exactly as they were before it. */
export interface Undo {
  /** Short past-tense description for the undo bar, e.g. "Deleted 3 clips". */
  label: string;
  previous: Clip[];
}

/** Editable fields of a clip from the dashboard. */
export interface ClipEdit {
  note?: string;
  criteria?: CriterionId[];
  title?: string;
  docMeta?: DocMeta;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Edits one clip's note, criteria, title or document metadata.
 * @throws ZodError when the result would not be a valid clip; Error when the clip does not exist.
 */
export async function updateClip(db: ClipperDb, id: string, edit: ClipEdit, now = nowIso()): Promise<Undo> {
  return withOutbox(db, [db.clips], async () => {
    const before = await db.clips.get(id);
    if (!before || before.deleted) throw new Error(`Clip ${id} no longer exists`);
    const after = clipSchema.parse({
      ...before,
      ...edit,
      ...(edit.criteria ? { criteria: [...new Set(edit.criteria)] } : {}),
      updatedAt: now,
    });
    await db.clips.put(after);
    await enqueueClipChange(db, before, after);
    return { label: 'Edited 1 clip', previous: [before] };
  });
}

/** Adds and removes criteria on many clips at once (bulk re-tag). Clips already deleted are ignored. */
export async function retagClips(
  db: ClipperDb,
  ids: readonly string[],
  change: { add?: readonly CriterionId[]; remove?: readonly CriterionId[] },
  now = nowIso(),
): Promise<Undo> {
  const add = change.add ?? [];
  const remove = new Set(change.remove ?? []);
  return withOutbox(db, [db.clips], async () => {
    const rows = (await db.clips.bulkGet([...ids])).filter((c): c is Clip => c !== undefined && !c.deleted);
    const previous: Clip[] = [];
    const next: Clip[] = [];
    for (const c of rows) {
      const criteria = [...new Set([...c.criteria.filter((x) => !remove.has(x)), ...add])];
      if (criteria.length === c.criteria.length && criteria.every((x, i) => x === c.criteria[i])) continue;
      previous.push(c);
      next.push(clipSchema.parse({ ...c, criteria, updatedAt: now }));
    }
    await db.clips.bulkPut(next);
    for (const [i, after] of next.entries()) await enqueueClipChange(db, previous[i], after);
    return { label: `Re-tagged ${plural(next.length, 'clip')}`, previous };
  });
}

/** Soft-deletes clips (tombstones, so the deletion can sync). Undo with {@link undoChange}. */
export async function deleteClips(db: ClipperDb, ids: readonly string[], now = nowIso()): Promise<Undo> {
  return withOutbox(db, [db.clips], async () => {
    const rows = (await db.clips.bulkGet([...ids])).filter((c): c is Clip => c !== undefined && !c.deleted);
    const tombstones = rows.map((c) => ({ ...c, deleted: true, updatedAt: now }));
    await db.clips.bulkPut(tombstones);
    for (const [i, after] of tombstones.entries()) await enqueueClipChange(db, rows[i], after);
    return { label: `Deleted ${plural(rows.length, 'clip')}`, previous: rows };
  });
}

/**
 * Reverts an undoable change: every clip gets its earlier content back, stamped `now` so that the
 * restoration is itself a change that syncs (a restored tombstone becomes live again).
 */
export async function undoChange(db: ClipperDb, undo: Undo, now = nowIso()): Promise<void> {
  await withOutbox(db, [db.clips], async () => {
    const current = await db.clips.bulkGet(undo.previous.map((c) => c.id));
    // Keep the current sync bookkeeping: the restore is a new change based on the latest versions.
    const restored = undo.previous.map((c, i) => {
      const sync = current[i]?.sync;
      const { sync: _old, ...rest } = c;
      return sync ? { ...rest, sync, updatedAt: now } : { ...rest, updatedAt: now };
    });
    await db.clips.bulkPut(restored);
    for (const [i, after] of restored.entries()) await enqueueClipChange(db, current[i], after);
  });
}

/**
 * Sets fields of a criterion's self-assessment (creating it when absent). An empty `dueDate`
 * clears the due date.
 * @throws ZodError when the patch is invalid.
 */
export async function setAssessment(
  db: ClipperDb,
  criterionId: CriterionId,
  patch: AssessmentPatch,
  now = nowIso(),
): Promise<Assessment> {
  const p = assessmentPatchSchema.parse(patch);
  return withOutbox(db, [db.assessments], async () => {
    const stored = await db.assessments.get(criterionId);
    const before = stored ?? emptyAssessment(criterionId, now);
    const { dueDate, ...rest } = p;
    const merged: Assessment = { ...before, ...rest, updatedAt: now };
    if (dueDate === '') delete merged.dueDate;
    else if (dueDate !== undefined) merged.dueDate = dueDate;
    const after = assessmentSchema.parse(merged);
    await db.assessments.put(after);
    await enqueueAssessmentChange(db, stored, after);
    return after;
  });
}

/**
 * Installs or replaces a framework (validated), optionally making it the active one.
 * @throws ZodError when the framework is invalid.
 */
export async function saveFramework(
  db: ClipperDb,
  framework: Framework,
  options: { activate?: boolean } = {},
) {
  const fw = frameworkSchema.parse(framework);
  await db.transaction('rw', db.frameworks, db.meta, async () => {
    await db.frameworks.put(fw);
    if (options.activate) await setActiveFramework(db, fw.id);
  });
}

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  assessments: number;
  frameworks: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies a parsed import (shared/exports/import-file.ts) in a single transaction: either every
 * record is written or, on any failure, none is. Records with an existing id are replaced.
 */
export async function applyImport(db: ClipperDb, plan: ImportPlan): Promise<ImportSummary> {
  return withOutbox(db, [db.clips, db.assessments, db.frameworks], async () => {
    const existing = await db.clips.bulkGet(plan.clips.map((c) => c.id));
    const summary: ImportSummary = {
      added: 0,
      updated: 0,
      unchanged: 0,
      assessments: plan.assessments.length,
      frameworks: plan.frameworks.length,
    };
    const writes: Clip[] = [];
    plan.clips.forEach((clip, i) => {
      const old = existing[i];
      if (!old) summary.added += 1;
      else if (same(old, clip)) {
        summary.unchanged += 1;
        return;
      } else summary.updated += 1;
      // Sync bookkeeping is this install's, never the file's.
      const { sync: _fromFile, ...content } = clip;
      writes.push(old?.sync ? { ...content, sync: old.sync } : content);
    });
    await db.clips.bulkPut(writes);
    const byId = new Map(existing.filter((c): c is Clip => c !== undefined).map((c) => [c.id, c]));
    for (const clip of writes) await enqueueClipChange(db, byId.get(clip.id), clip);
    const oldAssessments = await db.assessments.bulkGet(plan.assessments.map((a) => a.criterionId));
    await db.assessments.bulkPut(plan.assessments);
    for (const [i, a] of plan.assessments.entries()) await enqueueAssessmentChange(db, oldAssessments[i], a);
    await db.frameworks.bulkPut(plan.frameworks);
    if (plan.activeFrameworkId && (await db.frameworks.get(plan.activeFrameworkId))) {
      await setActiveFramework(db, plan.activeFrameworkId);
    }
    return summary;
  });
}
