// What the push-result and pull-page appliers share: the tables their transactions take, what the
// outbox still holds per record, and small field helpers.
import { recordKeyOf, recordOpOf } from '../../../shared/records/registry';
import type { ClipperDb } from '../db';
import type { OutboxEntry } from '../store/rows';
import { recordTables } from './local-records';

export type Versions = Record<string, number>;
export type Data = Record<string, unknown>;

/** The tables every apply transaction takes. */
export const applyTables = (db: ClipperDb) => [...recordTables(db), db.outbox, db.meta, db.conflicts];

/** The versions of `fields` that `versions` has. */
export const pick = (versions: Versions | undefined, fields: readonly string[]): Versions => {
  const out: Versions = {};
  for (const f of fields) {
    const v = versions?.[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
};

/** Sets a field, or removes it for `undefined` (IndexedDB rows keep no undefined fields). */
export function setField(target: Data, field: string, value: unknown) {
  if (value === undefined) delete target[field];
  else target[field] = value;
}

/** What the outbox still holds for one record. */
export interface Pending {
  create: boolean;
  delete: boolean;
  /** Scalar fields with an unsent local value. */
  fields: Set<string>;
  /** Per set field, its add/remove operations in outbox order (one per pending update). */
  setOps: Map<string, { add: readonly string[]; remove: readonly string[] }[]>;
}

/** Whether a pending record carries an edit of its content (not only a deletion). */
export const hasEdits = (p: Pending) =>
  p.create || p.fields.size > 0 || [...p.setOps.values()].some((ops) => ops.length > 0);

/** The unsent changes per record key (shared/records recordKeyString). */
export function pendingByRecord(outbox: readonly OutboxEntry[]): Map<string, Pending> {
  const map = new Map<string, Pending>();
  for (const { mutation: m } of outbox) {
    const key = recordKeyOf(m);
    const p = map.get(key) ?? { create: false, delete: false, fields: new Set<string>(), setOps: new Map() };
    const op = recordOpOf(m);
    if (op.op === 'create') p.create = true;
    else if (op.op === 'delete') p.delete = true;
    else if (op.op === 'update') {
      for (const f of Object.keys(op.set)) p.fields.add(f);
      for (const [f, ops] of Object.entries(op.sets)) p.setOps.set(f, [...(p.setOps.get(f) ?? []), ops]);
    }
    map.set(key, p);
  }
  return map;
}
