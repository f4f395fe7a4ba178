// The extension's side of the record registry (shared/records): per synced kind, the Dexie table
// that holds it and the local bookkeeping around the synced content (sync versions, tombstones,
// anchoring state). Adding a kind = one registry entry + one entry here. Every other sync module
// handles records through these two tables and never compares kind names.
import type { Table } from 'dexie';
import { type RecordKind, recordKinds } from '../../../shared/records/registry';
import { type Assessment, type Clip, clipSchema } from '../../../shared/schemas';
import type { ClipperDb } from '../db';
import type { OutboxEntry } from '../store/rows';
import { clipContent, enqueueAssessmentChange, enqueueClipChange } from './outbox';

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
   * Queues the mutation for `before` → `after` (inside the caller's transaction, lib/sync/outbox.ts);
   * absent for kinds this install never sends through the outbox.
   */
  enqueue?(db: ClipperDb, before: Row | undefined, after: Row): Promise<OutboxEntry | undefined>;
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
  enqueue: (db, before, after) => enqueueClipChange(db, before as Clip | undefined, after as Clip),
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
  enqueue: (db, before, after) =>
    enqueueAssessmentChange(db, before as Assessment | undefined, after as Assessment),
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

/** Per synced kind: its table and local bookkeeping. */
export const localRecords: { readonly [K in RecordKind]: LocalRecordKind & { kind: K } } = {
  clip: clip as LocalRecordKind & { kind: 'clip' },
  assessment: assessment as LocalRecordKind & { kind: 'assessment' },
  framework: framework as LocalRecordKind & { kind: 'framework' },
};

/** Kinds whose rows carry field versions (`sync`) and can conflict: the registry's `fields` kinds. */
export const isFieldMerged = (kind: RecordKind) => recordKinds[kind].merge === 'fields';

/** The sync bookkeeping of a row, if it has any. */
export const rowSync = (row: Row): RowSync | undefined => row.sync as RowSync | undefined;

/** Every table that holds synced records (for transactions that may touch any kind). */
export const recordTables = (db: ClipperDb): Table[] =>
  Object.values(localRecords).map((k) => k.table(db) as Table);
