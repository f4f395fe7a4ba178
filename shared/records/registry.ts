// The one home of every synced record kind: its key, its fields, its merge rule and how it travels
// in a pull. The server's merge, the extension's outbox and the pull/push appliers all read this
// table, so adding a kind is one entry here plus its storage table on each side.
import { docKey } from '../doc-key';
import type { Change, Mutation } from '../protocol';
import {
  assessmentScalarFields,
  clipScalarFields,
  FEATURE_SUBMISSIONS,
  FEATURE_UPDATED_BY,
} from '../protocol';

export type RecordKind = Change['kind'];
export type RecordData = Record<string, unknown>;
export type Versions = Record<string, number>;

/** A synced record as both sides store and merge it, whatever its kind. */
export interface SyncedRecord {
  kind: RecordKind;
  key: string;
  seq: number;
  deleted: boolean;
  /** Null for a tombstone. */
  data: RecordData | null;
  /** Per-field versions (the seq at which each field last changed); empty for whole-record kinds. */
  versions: Versions;
}

/** What one mutation does to its record, independent of its kind. */
export type RecordOp =
  /** Create the record; a second create of the same content is a no-op, other content a conflict. */
  | { op: 'create'; data: RecordData }
  /** Field-level compare-and-set of `set` against `base`; add/remove operations on set fields. */
  | {
      op: 'update';
      base: Versions;
      set: RecordData;
      sets: Record<string, { add: readonly string[]; remove: readonly string[] }>;
    }
  /** Tombstone the record (deleting an unknown or deleted record is a no-op). */
  | { op: 'delete' }
  /** Replace the whole record (last write wins; no field versions). */
  | { op: 'replace'; data: RecordData };

/** Per kind: fields, merge rule, permissions and the wire form of a pull change. */
export interface RecordKindSpec {
  kind: RecordKind;
  /**
   * `fields`: scalars merge by per-field compare-and-set, set fields by add/remove (shared/merge.ts);
   * `whole`: the record is replaced as a whole by its latest write.
   */
  merge: 'fields' | 'whole';
  /** Scalar fields, merged by compare-and-set (a concurrent change is a conflict). */
  scalarFields: readonly string[];
  /** Set-valued fields, merged by add/remove (never a conflict). */
  setFields: readonly string[];
  /** Fields the server stamps (author, times); the client copies them from a pull, never sends them. */
  serverFields: readonly string[];
  /** Who may write records of this kind: every editor, or admins only. */
  writers: 'editors' | 'admins';
  /**
   * Stamped by the server on the record: the creator on create; the time (`updatedAt`) and the
   * writer (`updatedBy`) of an update that changed something.
   */
  stamps: { createdBy: boolean; updatedAt: boolean; updatedBy: boolean };
  /**
   * Fields a repeated create may carry with other values and still be the same create: the
   * client's own clock readings, taken again when a create is rebuilt. Absent = none.
   */
  clientClockFields?: readonly string[];
  /**
   * The state an update starts from when the record does not exist yet (assessments exist
   * implicitly for every criterion); absent = an update of a missing record is `not_found`.
   */
  initial?: (key: string) => RecordData;
  /**
   * Fields only the record's creator (`createdBy.id`) or an admin may change: an editor's update
   * setting one of them on a colleague's record is refused. Absent = any writer may change any field.
   */
  authorFields?: readonly string[];
  /**
   * A rule the record's fields must keep between them: checked on create, and on an update that
   * sets one of `fields`. `check` answers a message when the record breaks it.
   */
  consistency?: { fields: readonly string[]; check(data: RecordData): string | undefined };
  /**
   * Fields added to the pulled form after 0.1.0 (whose client parses pulls strictly): sent only to
   * clients naming `feature` in the features header, filled from `fallback` on records written
   * before the field existed.
   */
  laterFields?: readonly { field: string; feature: string; fallback?: string }[];
  /**
   * A kind added after 0.1.0 (whose client parses pulls strictly and rejects an unknown kind): its
   * records are pulled only by clients naming this feature in the features header.
   */
  feature?: string;
  /**
   * Records are never changed once written: a create of an existing record with other content is
   * `rejected` (code `immutable`), not a conflict to resolve; only a delete (tombstone) follows.
   */
  immutable?: boolean;
  /** The pull change for a stored record. */
  toChange(record: SyncedRecord): Change;
  /** The stored record a pull change describes. */
  fromChange(change: Change): SyncedRecord;
}

/** Every versioned field of a `fields` kind: scalars then sets. */
export function versionedFields(spec: RecordKindSpec): string[] {
  return [...spec.scalarFields, ...spec.setFields];
}

const mismatch = (want: RecordKind, change: Change): never => {
  throw new Error(`a ${change.kind} change handed to the ${want} record kind`);
};

const clip: RecordKindSpec = {
  kind: 'clip',
  merge: 'fields',
  scalarFields: clipScalarFields,
  setFields: ['criteria'],
  serverFields: ['createdBy', 'createdAt', 'updatedAt', 'updatedBy'],
  writers: 'editors',
  stamps: { createdBy: true, updatedAt: true, updatedBy: true },
  clientClockFields: ['createdAt', 'updatedAt'],
  // What the evidence is and where it is: an editor may tag and annotate a colleague's clip, not
  // change what it quotes or points at (docs/threat-model.md, "Who changed what").
  authorFields: ['quote', 'url', 'docKey', 'title', 'selectors', 'snapshot'],
  consistency: {
    fields: ['url', 'docKey'],
    check: (d) =>
      typeof d.url === 'string' && d.docKey !== docKey(d.url)
        ? 'docKey must be the normalised url (shared/doc-key.ts)'
        : undefined,
  },
  laterFields: [{ field: 'updatedBy', feature: FEATURE_UPDATED_BY, fallback: 'createdBy' }],
  toChange: (r) => ({
    kind: 'clip',
    seq: r.seq,
    id: r.key,
    deleted: r.deleted,
    clip: r.deleted || !r.data ? null : (r.data as never),
    versions: r.versions,
  }),
  fromChange: (c) =>
    c.kind === 'clip'
      ? {
          kind: 'clip',
          key: c.id,
          seq: c.seq,
          deleted: c.deleted || !c.clip,
          data: c.deleted || !c.clip ? null : { ...c.clip },
          versions: c.versions,
        }
      : mismatch('clip', c),
};

const assessment: RecordKindSpec = {
  kind: 'assessment',
  merge: 'fields',
  scalarFields: assessmentScalarFields,
  setFields: [],
  serverFields: ['updatedAt', 'updatedBy'],
  writers: 'editors',
  stamps: { createdBy: false, updatedAt: true, updatedBy: true },
  initial: (criterionId) => ({ criterionId, rating: 'unrated', owner: '', action: '', comment: '' }),
  toChange: (r) => ({
    kind: 'assessment',
    seq: r.seq,
    assessment: (r.data ?? {}) as never,
    versions: r.versions,
  }),
  fromChange: (c) =>
    c.kind === 'assessment'
      ? {
          kind: 'assessment',
          key: c.assessment.criterionId,
          seq: c.seq,
          deleted: false,
          data: { ...c.assessment },
          versions: c.versions,
        }
      : mismatch('assessment', c),
};

const framework: RecordKindSpec = {
  kind: 'framework',
  merge: 'whole',
  scalarFields: [],
  setFields: [],
  serverFields: [],
  writers: 'admins',
  stamps: { createdBy: false, updatedAt: false, updatedBy: false },
  toChange: (r) => ({
    kind: 'framework',
    seq: r.seq,
    frameworkId: r.key,
    deleted: r.deleted,
    framework: r.deleted || !r.data ? null : (r.data as never),
  }),
  fromChange: (c) =>
    c.kind === 'framework'
      ? {
          kind: 'framework',
          key: c.frameworkId,
          seq: c.seq,
          deleted: c.deleted || !c.framework,
          data: c.deleted || !c.framework ? null : { ...c.framework },
          versions: {},
        }
      : mismatch('framework', c),
};

// A submission: the team's evidence frozen for an assessment. Created and deleted by admins only,
// never changed (docs/architecture.md, "Submissions").
const submission: RecordKindSpec = {
  kind: 'submission',
  merge: 'whole',
  scalarFields: [],
  setFields: [],
  serverFields: ['createdBy'],
  writers: 'admins',
  stamps: { createdBy: true, updatedAt: false, updatedBy: false },
  feature: FEATURE_SUBMISSIONS,
  immutable: true,
  toChange: (r) => ({
    kind: 'submission',
    seq: r.seq,
    id: r.key,
    deleted: r.deleted,
    submission: r.deleted || !r.data ? null : (r.data as never),
  }),
  fromChange: (c) =>
    c.kind === 'submission'
      ? {
          kind: 'submission',
          key: c.id,
          seq: c.seq,
          deleted: c.deleted || !c.submission,
          data: c.deleted || !c.submission ? null : { ...c.submission },
          versions: {},
        }
      : mismatch('submission', c),
};

/** The synced record kinds. */
export const recordKinds: { readonly [K in RecordKind]: RecordKindSpec & { kind: K } } = {
  clip: clip as RecordKindSpec & { kind: 'clip' },
  assessment: assessment as RecordKindSpec & { kind: 'assessment' },
  framework: framework as RecordKindSpec & { kind: 'framework' },
  submission: submission as RecordKindSpec & { kind: 'submission' },
};

export const RECORD_KINDS = Object.keys(recordKinds) as RecordKind[];

export function isRecordKind(value: string): value is RecordKind {
  return Object.hasOwn(recordKinds, value);
}

type MutationOf<T extends Mutation['type']> = Extract<Mutation, { type: T }>;

/** Per mutation type: the kind and key of the record it changes, and what it does to it. */
interface MutationSpec<T extends Mutation['type']> {
  kind: RecordKind;
  key: (m: MutationOf<T>) => string;
  op: (m: MutationOf<T>) => RecordOp;
}

const noSets = {} as const;

/** Every mutation type of the protocol (a missing one is a type error). */
export const mutationSpecs: { readonly [T in Mutation['type']]: MutationSpec<T> } = {
  'clip.create': { kind: 'clip', key: (m) => m.clip.id, op: (m) => ({ op: 'create', data: { ...m.clip } }) },
  'clip.update': {
    kind: 'clip',
    key: (m) => m.id,
    op: (m) => ({
      op: 'update',
      base: m.base,
      set: { ...m.set },
      sets: { criteria: { add: m.criteriaAdd, remove: m.criteriaRemove } },
    }),
  },
  'clip.delete': { kind: 'clip', key: (m) => m.id, op: () => ({ op: 'delete' }) },
  'assessment.update': {
    kind: 'assessment',
    key: (m) => m.criterionId,
    op: (m) => {
      const set: RecordData = { ...m.set };
      // A cleared due date travels as '' (JSON has no undefined): it clears the field.
      if (set.dueDate === '') set.dueDate = undefined;
      return { op: 'update', base: m.base, set, sets: noSets };
    },
  },
  'framework.publish': {
    kind: 'framework',
    key: (m) => m.framework.id,
    op: (m) => ({ op: 'replace', data: { ...m.framework } }),
  },
  'framework.withdraw': { kind: 'framework', key: (m) => m.frameworkId, op: () => ({ op: 'delete' }) },
  'submission.create': {
    kind: 'submission',
    key: (m) => m.submission.id,
    op: (m) => ({ op: 'create', data: { ...m.submission } }),
  },
  'submission.delete': { kind: 'submission', key: (m) => m.id, op: () => ({ op: 'delete' }) },
};

function specOf<T extends Mutation['type']>(m: MutationOf<T>): MutationSpec<T> {
  return mutationSpecs[m.type as T];
}

/** The kind and key of the record a mutation changes. */
export function recordOf(m: Mutation): { kind: RecordKind; key: string } {
  const spec = specOf(m);
  return { kind: spec.kind, key: spec.key(m as never) };
}

/** What a mutation does to its record. */
export function recordOpOf(m: Mutation): RecordOp {
  return specOf(m).op(m as never);
}

/** `kind:key`, e.g. `clip:<uuid>`: one string per record, for maps and the local conflict table. */
export function recordKeyString(kind: RecordKind, key: string): string {
  return `${kind}:${key}`;
}

/** Splits a {@link recordKeyString}. @throws on a string that is not one. */
export function parseRecordKey(value: string): { kind: RecordKind; key: string } {
  const i = value.indexOf(':');
  const kind = value.slice(0, i);
  if (i < 0 || !isRecordKind(kind)) throw new Error(`not a record key: ${value}`);
  return { kind, key: value.slice(i + 1) };
}

/** `kind:key` of the record a mutation changes. */
export function recordKeyOf(m: Mutation): string {
  const { kind, key } = recordOf(m);
  return recordKeyString(kind, key);
}

/** The stored record a pull change describes. */
export function recordOfChange(change: Change): SyncedRecord {
  return recordKinds[change.kind].fromChange(change);
}

/** The pull change for a stored record. */
export function changeOfRecord(record: SyncedRecord): Change {
  return recordKinds[record.kind].toChange(record);
}

/**
 * Fields whose version a mutation moves when applied: the scalar fields it sets and the set
 * fields it changes (a create sets every present scalar and every set field).
 */
export function touchedFields(m: Mutation): string[] {
  const spec = recordKinds[recordOf(m).kind];
  const op = recordOpOf(m);
  switch (op.op) {
    case 'create':
      return [...spec.scalarFields.filter((f) => op.data[f] !== undefined), ...spec.setFields];
    case 'update':
      return [
        ...Object.keys(op.set),
        ...Object.entries(op.sets)
          .filter(([, s]) => s.add.length > 0 || s.remove.length > 0)
          .map(([f]) => f),
      ];
    default:
      return [];
  }
}
