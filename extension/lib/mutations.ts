// The changes extension pages make to clips, assessments and frameworks, as functions of the
// database: each runs the local-write layer (lib/store/local-writes.ts) with the wall clock, or
// with `now` when given. Pages never call db.*.put/update/delete themselves.
import type { ImportPlan } from '../../shared/exports/import-file';
import type { AssessmentPatch } from '../../shared/protocol';
import type { Assessment, CriterionId, Framework } from '../../shared/schemas';
import type { ClipperDb } from './db';
import { extensionWrites } from './store/extension-writes';
import type { ClipEdit, ImportSummary, Undo } from './store/local-writes';

export type { ClipEdit, ImportSummary, Undo };

const nowIso = () => new Date().toISOString();
const at = (db: ClipperDb, now: string) => extensionWrites(db, () => now);

/**
 * Edits one clip's note, criteria, title or document metadata.
 * @throws ZodError when the result would not be a valid clip; Error when the clip does not exist.
 */
export const updateClip = (db: ClipperDb, id: string, edit: ClipEdit, now = nowIso()): Promise<Undo> =>
  at(db, now).updateClip(id, edit);

/** Adds and removes criteria on many clips at once (bulk re-tag). Clips already deleted are ignored. */
export const retagClips = (
  db: ClipperDb,
  ids: readonly string[],
  change: { add?: readonly CriterionId[]; remove?: readonly CriterionId[] },
  now = nowIso(),
): Promise<Undo> => at(db, now).retagClips(ids, change);

/** Soft-deletes clips (tombstones, so the deletion can sync). Undo with {@link undoChange}. */
export const deleteClips = (db: ClipperDb, ids: readonly string[], now = nowIso()): Promise<Undo> =>
  at(db, now).deleteClips(ids);

/** Reverts an undoable change (the restoration is itself a change that syncs). */
export const undoChange = (db: ClipperDb, undo: Undo, now = nowIso()): Promise<void> =>
  at(db, now).undoChange(undo);

/**
 * Sets fields of a criterion's self-assessment (creating it when absent). An empty `dueDate`
 * clears the due date.
 * @throws ZodError when the patch is invalid.
 */
export const setAssessment = (
  db: ClipperDb,
  criterionId: CriterionId,
  patch: AssessmentPatch,
  now = nowIso(),
): Promise<Assessment> => at(db, now).setAssessment(criterionId, patch);

/**
 * Installs or replaces a framework (validated), optionally making it the active one.
 * @throws ZodError when the framework is invalid.
 */
export const saveFramework = (db: ClipperDb, framework: Framework, options: { activate?: boolean } = {}) =>
  extensionWrites(db).saveFramework(framework, options);

/**
 * Applies a parsed import in a single transaction: either every record is written or, on any
 * failure, none is. Records with an existing id are replaced.
 */
export const applyImport = (
  db: ClipperDb,
  plan: ImportPlan,
  options: { replaceShared?: boolean } = {},
): Promise<ImportSummary> => extensionWrites(db).applyImport(plan, options);
