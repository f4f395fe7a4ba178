// The extension's side of the record registry (shared/records): per synced kind, the Dexie table
// that holds it and the local bookkeeping around the synced content (sync versions, tombstones,
// anchoring state). Adding a kind = one registry entry + one entry here. Every other sync module
// handles records through these two tables and never compares kind names.
import type { Table } from 'dexie';
import { type RecordKind, recordKinds } from '../../../shared/records/registry';
import { type Assessment, type Clip, clipSchema } from '../../../shared/schemas';
import { submissionSchema } from '../../../shared/submissions';
import type { ClipperDb } from '../db';
import { assessmentUpdateOf, clipContent, clipMutationOf, type MutationBody } from './record-diffs';

/** A local row of any kind, seen as plain data. */
export type Row = Record<string, unknown>;
/** The sync bookkeeping a field-merged row carries. */
export interface RowSync {
  seq: number;
  versions: Record<string, number>;
}

export interface LocalRecordKind {
  kind: RecordKind;
  table(db: ClipperDb): Table<Row, string>;
  /** The record key of a local row (its primary key). */
  keyOf(row: Row): string;
  /** The synced content of a row: local-only fields (sync bookkeeping, anchoring…) removed. */
  content(row: Row): Row;
  /**
   * Kinds a member deletes keep a tombstone row (`deleted: true`) so the deletion can sync;
   * absent for kinds that are never deleted locally.
   */
  tombstone?: {
    isDeleted(row: Row): boolean;
    /** The row with its tombstone flag set (or cleared). */
    withDeleted(row: Row, deleted: boolean): Row;
  };
  /** The local row for a record first seen in a pull. */
  fromServer(data: Row): Row;
  /** Writes one chosen value of a conflict into a row. */
  assign(row: Row, field: string, value: unknown): void;
  /** The row validated for a write, or undefined when it is not a valid record. */
  parse(row: Row): Row | undefined;
  /**
   * The mutation that sends `before` → `after` to the team (lib/sync/record-diffs.ts); absent for
   * kinds this install never sends through the outbox.
   */
  mutationOf?(before: Row | undefined, after: Row): MutationBody | undefined;
  /**
   * Rows of this kind come only from the server (never made locally): after a full re-download,
   * those the server no longer sent are removed.
   */
  serverOnly?: boolean;
  /** After joining a team: the mutations for the rows the team has never seen, in sending order. */
  unsentForJoin?(db: ClipperDb): Promise<MutationBody[]>;
}

const assignValue = (row: Row, field: string, value: unknown) => {
  row[field] = value;
};

const clip: LocalRecordKind = {
  kind: 'clip',
  table: (db) => db.clips as unknown as Table<Row, string>,
  keyOf: (row) => String(row.id),
  content: (row) => clipContent(row as Clip),
  tombstone: {
    isDeleted: (row) => row.deleted === true,
    withDeleted: (row, deleted) => ({ ...row, deleted }),
  },
  fromServer: (data) => ({ ...data, deleted: false }),
  assign: assignValue,
  parse: (row) => {
    const parsed = clipSchema.safeParse(row);
    return parsed.success ? parsed.data : undefined;
  },
  mutationOf: (before, after) => clipMutationOf(before as Clip | undefined, after as Clip),
  unsentForJoin: async (db) => {
    const clips = await db.clips.filter((c) => !c.deleted && c.sync === undefined).toArray();
    clips.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    return clips.map((c) => ({ type: 'clip.create', clip: clipContent(c) }));
  },
};

const assessment: LocalRecordKind = {
  kind: 'assessment',
  table: (db) => db.assessments as unknown as Table<Row, string>,
  keyOf: (row) => String(row.criterionId),
  content: ({ sync: _s, ...content }) => content,
  fromServer: (data) => data,
  // An empty or missing value clears an optional field (the due date) and blanks a text field.
  assign: (row, field, value) => {
    if (value === undefined || value === '') {
      if (field === 'dueDate') delete row[field];
      else row[field] = value ?? '';
    } else row[field] = value;
  },
  parse: (row) => row,
  mutationOf: (before, after) => assessmentUpdateOf(before as Assessment | undefined, after as Assessment),
  // Only assessments that say something (an update from the empty assessment).
  unsentForJoin: async (db) =>
    (await db.assessments.filter((a) => a.sync === undefined).toArray()).flatMap(
      (a) => assessmentUpdateOf(undefined, a) ?? [],
    ),
};

const framework: LocalRecordKind = {
  kind: 'framework',
  table: (db) => db.frameworks as unknown as Table<Row, string>,
  keyOf: (row) => String(row.id),
  content: (row) => row,
  fromServer: (data) => data,
  assign: assignValue,
  parse: (row) => row,
};

// Submissions arrive by pull only (an admin freezes one through the server), never edited here.
const submission: LocalRecordKind = {
  kind: 'submission',
  serverOnly: true,
  table: (db) => db.submissions as unknown as Table<Row, string>,
  keyOf: (row) => String(row.id),
  content: (row) => row,
  fromServer: (data) => data,
  assign: assignValue,
  parse: (row) => {
    const parsed = submissionSchema.safeParse(row);
    return parsed.success ? parsed.data : undefined;
  },
};

/** Per synced kind: its table and local bookkeeping. */
export const localRecords: { readonly [K in RecordKind]: LocalRecordKind & { kind: K } } = {
  clip: clip as LocalRecordKind & { kind: 'clip' },
  assessment: assessment as LocalRecordKind & { kind: 'assessment' },
  framework: framework as LocalRecordKind & { kind: 'framework' },
  submission: submission as LocalRecordKind & { kind: 'submission' },
};

/** Kinds whose rows carry field versions (`sync`) and can conflict: the registry's `fields` kinds. */
export const isFieldMerged = (kind: RecordKind) => recordKinds[kind].merge === 'fields';

/** The sync bookkeeping of a row, if it has any. */
export const rowSync = (row: Row): RowSync | undefined => row.sync as RowSync | undefined;

/** Every table that holds synced records (for transactions that may touch any kind). */
export const recordTables = (db: ClipperDb): Table[] =>
  Object.values(localRecords).map((k) => k.table(db) as Table);
