// The one layer that changes records in the extension's Dexie: every clip, assessment and
// framework write, each in ONE transaction together with its sync outbox entry. Made with its
// dependencies (database, clock, id source, what to do after a commit), so the background, the
// extension pages, the sync engine and the simulator share the same code with their own clock.
// It must not talk to the network: `onCommitted` is how a caller asks for a sync.
// About 400 lines: one factory whose writes share its commit helper, clock and id source.
import type { Table } from 'dexie';
import { docKey } from '../../../shared/doc-key';
import type { ImportPlan } from '../../../shared/exports/import-file';
import { fileFingerprintOf } from '../../../shared/file-identity';
import { belongsToPdf } from '../../../shared/pdf/pdf-identity';
import { type AssessmentPatch, assessmentPatchSchema } from '../../../shared/protocol';
import type { RecordKind } from '../../../shared/records/registry';
import {
  type Assessment,
  type Author,
  assessmentSchema,
  type Clip,
  type CriterionId,
  clipSchema,
  type DocMeta,
  emptyAssessment,
  type Framework,
  frameworkSchema,
} from '../../../shared/schemas';
import type { ClipperDb } from '../db';
import { setActiveFramework } from '../frameworks';
import type { ClipDraft, RequestOf } from '../messaging';
import { localRecords, type Row } from '../sync/local-records';
import { enqueueAssessmentChange, enqueueChange, enqueueClipChange, outboxTables } from '../sync/outbox';
import { META_KEYS } from './rows';

/** One clip's anchoring outcome on its page, as the content script reports it. */
export type AnchorReport = RequestOf<'reportAnchors'>['results'][number];

export interface LocalWritesDeps {
  db: ClipperDb;
  /** The current instant as an ISO timestamp (stamps `createdAt`/`updatedAt`). */
  now: () => string;
  /** A new record id (a UUID). */
  newId: () => string;
  /** Runs after a committed write that may have queued a change for the team (asks for a sync). */
  onCommitted: () => void;
}

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

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  assessments: number;
  frameworks: number;
}

type Usage = Record<string, { uses: number; lastUsed: string }>;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Lowercase hex SHA-256 of UTF-8 text (Web Crypto; available in the service worker and pages). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A move stays in the clip's document: same address, or (PDF) the same file at another one. */
function sameDocument(clip: Clip, next: { selectors: Clip['selectors']; url: string }): boolean {
  const fingerprint = fileFingerprintOf(next.selectors);
  const key = docKey(next.url);
  return fingerprint ? belongsToPdf(clip, { docKey: key, fingerprint }) : clip.docKey === key;
}

/** Thrown by `applyImport` when a file would replace clips already synced with the team. */
export class SharedClipsError extends Error {
  constructor(readonly count: number) {
    super(`The file would replace ${plural(count, 'clip')} already shared with your team.`);
    this.name = 'SharedClipsError';
  }
}

/** How many of `incoming` would change a clip already synced with the team (`existing[i]`). */
export function sharedClipsReplaced(
  incoming: readonly Clip[],
  existing: readonly (Clip | undefined)[],
): number {
  return incoming.filter((clip, i) => {
    const old = existing[i];
    if (!old?.sync) return false;
    const { sync: _a, ...mine } = old;
    const { sync: _b, ...theirs } = clip;
    return !same(mine, { ...theirs, createdBy: old.createdBy });
  }).length;
}

/** Creates the write layer over `deps.db`. */
export function createLocalWrites(deps: LocalWritesDeps) {
  const { db } = deps;

  /** Runs `write` in one rw transaction over `tables` plus the sync outbox, then `onCommitted`. */
  async function commit<T>(tables: Table[], write: () => Promise<T>): Promise<T> {
    const result = await db.transaction('rw', [...tables, ...outboxTables(db)], write);
    deps.onCommitted();
    return result;
  }

  /**
   * Inside {@link commit}: stores `after` in its kind's table and queues its mutation, diffed
   * against `before` (the row as the team last saw it; undefined for a new record).
   */
  async function putRecord(
    kind: RecordKind,
    before: Row | undefined,
    after: Row,
    opts: { add?: boolean } = {},
  ) {
    const local = localRecords[kind];
    if (opts.add) await local.table(db).add(after);
    else await local.table(db).put(after);
    await enqueueChange(db, kind, before, after);
  }

  /** This install's author identity; made once, renamed in the dashboard or by joining a team. */
  async function getAuthor(): Promise<Author> {
    const row = await db.meta.get(META_KEYS.author);
    const value = row?.value as Partial<Author> | undefined;
    if (value && typeof value.id === 'string' && typeof value.name === 'string')
      return { id: value.id, name: value.name };
    const author = { id: deps.newId(), name: 'Me' };
    await db.meta.put({ key: META_KEYS.author, value: author });
    return author;
  }

  /** Stores a new, already valid clip with its outbox entry. */
  async function addClip(clip: Clip): Promise<Clip> {
    await commit([db.clips], () => putRecord('clip', undefined, clip, { add: true }));
    return clip;
  }

  /**
   * Changes one live clip: `change` maps the stored clip to the next one (its sync bookkeeping is
   * kept). @returns the stored clip, or undefined when the clip is missing or deleted.
   * @throws ZodError when the result is not a valid clip.
   */
  async function changeClip(id: string, change: (c: Clip) => Clip): Promise<Clip | undefined> {
    return commit([db.clips], async () => {
      const before = await db.clips.get(id);
      if (!before || before.deleted) return undefined;
      const after = clipSchema.parse({ ...change(before), sync: before.sync });
      await putRecord('clip', before, after);
      return after;
    });
  }

  /** Changes a criterion's assessment (an empty one when absent), stamped now. */
  async function changeAssessment(
    criterionId: CriterionId,
    change: (a: Assessment) => Assessment,
  ): Promise<Assessment> {
    return commit([db.assessments], async () => {
      const stored = await db.assessments.get(criterionId);
      const after = change(stored ?? emptyAssessment(criterionId, deps.now()));
      await putRecord('assessment', stored, after);
      return after;
    });
  }

  return {
    commit,
    putRecord,
    getAuthor,
    addClip,
    changeClip,
    changeAssessment,

    async setAuthorName(name: string): Promise<void> {
      const author = await getAuthor();
      await db.meta.put({
        key: META_KEYS.author,
        value: { ...author, name: name.trim().slice(0, 200) || 'Me' },
      });
    },

    /**
     * Stores a new clip from a validated draft: selectors, quote, normalised document key, snapshot
     * with its hash, author and timestamps — and bumps criterion usage — in one transaction.
     * @throws ZodError when the draft does not make a valid clip (e.g. a non-http URL).
     */
    async createClip(draft: ClipDraft): Promise<Clip> {
      const author = await getAuthor();
      const sha256 = await sha256Hex(draft.snapshotText);
      const at = deps.now();
      const clip = clipSchema.parse({
        id: deps.newId(),
        url: draft.url,
        docKey: docKey(draft.url),
        title: draft.title,
        selectors: draft.selectors,
        quote: draft.quote,
        criteria: [...new Set(draft.criteria)],
        note: draft.note,
        docMeta: draft.docMeta,
        snapshot: { text: draft.snapshotText, sha256 },
        createdBy: author,
        createdAt: at,
        updatedAt: at,
        deleted: false,
        anchor: { status: 'exact', checkedAt: at },
      });
      await commit([db.clips], async () => {
        await putRecord('clip', undefined, clip, { add: true });
        const usage = ((await db.meta.get(META_KEYS.criterionUsage))?.value ?? {}) as Usage;
        for (const c of clip.criteria) usage[c] = { uses: (usage[c]?.uses ?? 0) + 1, lastUsed: at };
        await db.meta.put({ key: META_KEYS.criterionUsage, value: usage });
      });
      return clip;
    },

    /** Records where each clip anchored on its page (local bookkeeping only: nothing syncs). */
    async recordAnchors(url: string, results: AnchorReport[], fingerprint?: string): Promise<number> {
      const key = docKey(url);
      const mine = (c: Clip) =>
        fingerprint ? belongsToPdf(c, { docKey: key, fingerprint }) : c.docKey === key;
      const checkedAt = deps.now();
      let updated = 0;
      await db.transaction('rw', db.clips, async () => {
        for (const r of results) {
          const clip = await db.clips.get(r.id);
          if (!clip || !mine(clip)) continue;
          if (clip.anchor?.status === r.status && clip.anchor.found === r.found) continue;
          const anchor: NonNullable<Clip['anchor']> = { status: r.status, checkedAt };
          if (r.found !== undefined) anchor.found = r.found;
          await db.clips.update(r.id, { anchor });
          updated += 1;
        }
      });
      return updated;
    },

    /** Confirms a relocated clip or re-attaches a lost one: new selectors, old ones kept in history. */
    async moveClip(
      id: string,
      next: { selectors: Clip['selectors']; quote: string; url: string },
    ): Promise<Clip | undefined> {
      const at = deps.now();
      const moved = await db.transaction('rw', [db.clips, ...outboxTables(db)], async () => {
        const clip = await db.clips.get(id);
        if (!clip || clip.deleted || !sameDocument(clip, next)) return undefined;
        const history = [...(clip.history ?? []), { selectors: clip.selectors, replacedAt: at }].slice(-50);
        const updated = clipSchema.parse({
          ...clip,
          selectors: next.selectors,
          quote: next.quote,
          history,
          updatedAt: at,
          anchor: { status: 'exact', checkedAt: at },
        });
        await putRecord('clip', clip, updated);
        return updated;
      });
      if (moved) deps.onCommitted();
      return moved;
    },

    /**
     * Edits one clip's note, criteria, title or document metadata.
     * @throws ZodError when the result would not be a valid clip; Error when the clip does not exist.
     */
    async updateClip(id: string, edit: ClipEdit): Promise<Undo> {
      const now = deps.now();
      return commit([db.clips], async () => {
        const before = await db.clips.get(id);
        if (!before || before.deleted) throw new Error(`Clip ${id} no longer exists`);
        const after = clipSchema.parse({
          ...before,
          ...edit,
          ...(edit.criteria ? { criteria: [...new Set(edit.criteria)] } : {}),
          updatedAt: now,
        });
        await putRecord('clip', before, after);
        return { label: 'Edited 1 clip', previous: [before] };
      });
    },

    /** Adds and removes criteria on many clips at once (bulk re-tag). Deleted clips are ignored. */
    async retagClips(
      ids: readonly string[],
      change: { add?: readonly CriterionId[]; remove?: readonly CriterionId[] },
    ): Promise<Undo> {
      const now = deps.now();
      const add = change.add ?? [];
      const remove = new Set(change.remove ?? []);
      return commit([db.clips], async () => {
        const rows = (await db.clips.bulkGet([...ids])).filter(
          (c): c is Clip => c !== undefined && !c.deleted,
        );
        const previous: Clip[] = [];
        const next: Clip[] = [];
        for (const c of rows) {
          const criteria = [...new Set([...c.criteria.filter((x) => !remove.has(x)), ...add])];
          if (criteria.length === c.criteria.length && criteria.every((x, i) => x === c.criteria[i]))
            continue;
          previous.push(c);
          next.push(clipSchema.parse({ ...c, criteria, updatedAt: now }));
        }
        await db.clips.bulkPut(next);
        for (const [i, after] of next.entries()) await enqueueClipChange(db, previous[i], after);
        return { label: `Re-tagged ${plural(next.length, 'clip')}`, previous };
      });
    },

    /** Soft-deletes clips (tombstones, so the deletion can sync). Undo with `undoChange`. */
    async deleteClips(ids: readonly string[]): Promise<Undo> {
      const now = deps.now();
      return commit([db.clips], async () => {
        const rows = (await db.clips.bulkGet([...ids])).filter(
          (c): c is Clip => c !== undefined && !c.deleted,
        );
        const tombstones = rows.map((c) => ({ ...c, deleted: true, updatedAt: now }));
        await db.clips.bulkPut(tombstones);
        for (const [i, after] of tombstones.entries()) await enqueueClipChange(db, rows[i], after);
        return { label: `Deleted ${plural(rows.length, 'clip')}`, previous: rows };
      });
    },

    /**
     * Reverts an undoable change: every clip gets its earlier content back, stamped now so that
     * the restoration is itself a change that syncs (a restored tombstone becomes live again).
     */
    async undoChange(undo: Undo): Promise<void> {
      const now = deps.now();
      await commit([db.clips], async () => {
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
    },

    /**
     * Sets fields of a criterion's self-assessment (creating it when absent). An empty `dueDate`
     * clears the due date.
     * @throws ZodError when the patch is invalid.
     */
    async setAssessment(criterionId: CriterionId, patch: AssessmentPatch): Promise<Assessment> {
      const p = assessmentPatchSchema.parse(patch);
      const now = deps.now();
      return changeAssessment(criterionId, (before) => {
        const { dueDate, ...rest } = p;
        const merged: Assessment = { ...before, ...rest, updatedAt: now };
        if (dueDate === '') delete merged.dueDate;
        else if (dueDate !== undefined) merged.dueDate = dueDate;
        return assessmentSchema.parse(merged);
      });
    },

    /**
     * Installs or replaces a framework (validated), optionally making it the active one.
     * @throws ZodError when the framework is invalid.
     */
    async saveFramework(framework: Framework, options: { activate?: boolean } = {}) {
      const fw = frameworkSchema.parse(framework);
      await db.transaction('rw', db.frameworks, db.meta, async () => {
        await db.frameworks.put(fw);
        if (options.activate) await setActiveFramework(db, fw.id);
      });
    },

    /**
     * Applies a parsed import (shared/exports/import-file.ts) in a single transaction: either every
     * record is written or, on any failure, none is. Records with an existing id are replaced, but
     * keep their author: a file never decides who wrote a clip that is already here.
     * @throws SharedClipsError when the file would change clips already synced with the team and
     * `replaceShared` was not given (the user must be asked first); nothing is written.
     */
    async applyImport(plan: ImportPlan, options: { replaceShared?: boolean } = {}): Promise<ImportSummary> {
      return commit([db.clips, db.assessments, db.frameworks], async () => {
        const existing = await db.clips.bulkGet(plan.clips.map((c) => c.id));
        const shared = sharedClipsReplaced(plan.clips, existing);
        if (shared > 0 && !options.replaceShared) throw new SharedClipsError(shared);
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
          else if (same(old, { ...clip, createdBy: old.createdBy })) {
            summary.unchanged += 1;
            return;
          } else summary.updated += 1;
          // Sync bookkeeping is this install's, never the file's; so is an existing clip's author.
          const { sync: _fromFile, ...content } = clip;
          const kept = old ? { ...content, createdBy: old.createdBy } : content;
          writes.push(old?.sync ? { ...kept, sync: old.sync } : kept);
        });
        await db.clips.bulkPut(writes);
        const byId = new Map(existing.filter((c): c is Clip => c !== undefined).map((c) => [c.id, c]));
        for (const clip of writes) await enqueueClipChange(db, byId.get(clip.id), clip);
        const oldAssessments = await db.assessments.bulkGet(plan.assessments.map((a) => a.criterionId));
        await db.assessments.bulkPut(plan.assessments);
        for (const [i, a] of plan.assessments.entries())
          await enqueueAssessmentChange(db, oldAssessments[i], a);
        await db.frameworks.bulkPut(plan.frameworks);
        if (plan.activeFrameworkId && (await db.frameworks.get(plan.activeFrameworkId))) {
          await setActiveFramework(db, plan.activeFrameworkId);
        }
        return summary;
      });
    },
  };
}
export type LocalWrites = ReturnType<typeof createLocalWrites>;
