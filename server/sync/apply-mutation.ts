// The server's merge: what one validated mutation does to the record it names, decided from the
// record registry (shared/records) alone. Pure: no database, no clock and no counter; the store
// reads the current record, hands over the next seq and the time, and writes what comes back.
import {
  canonicalJson,
  initialVersions,
  type MergeState,
  mergePatch,
  normaliseSet,
  sameValue,
} from '../../shared/merge';
import type { Mutation, MutationResult, Role } from '../../shared/protocol';
import {
  type RecordData,
  type RecordKindSpec,
  type RecordOp,
  recordKinds,
  recordOf,
  recordOpOf,
  type SyncedRecord,
  versionedFields,
} from '../../shared/records/registry';

/** A synced record as the server stores it: a tombstone also keeps when it was deleted (retention). */
export interface StoredRecord extends SyncedRecord {
  /** Epoch ms of the delete; null unless `deleted`. */
  deletedAt: number | null;
}

/** Who is writing: the author stamps and the admin-only kinds need these. */
export interface Writer {
  memberId: string;
  memberName: string;
  role: Role;
}

export interface ApplyInput {
  mutation: Mutation;
  /** The record as stored now (after earlier mutations of the same batch); undefined if none. */
  current: StoredRecord | undefined;
  actor: Writer;
  /** The team's next seq: the seq of the record written, if one is. */
  seq: number;
  /** Epoch ms, for the `updatedAt` stamp and the tombstone time. */
  now: number;
}

export interface ApplyOutcome {
  result: MutationResult;
  /** The record to store (its `seq` is the input `seq`, which the caller then consumes); absent = no write. */
  write?: StoredRecord;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Apply one validated mutation to its record.
 * 1. Kinds written by admins only refuse other roles (`rejected: forbidden`).
 * 2. Then by the mutation's op (registry `RecordOp`): create, field update, delete or replace;
 *    each answers `applied`, `conflict` or `rejected` and at most one record to write.
 * Results keep the exact shape the protocol has always had (replayed results are compared verbatim).
 */
export function applyMutation(input: ApplyInput): ApplyOutcome {
  const { mutation: m, actor } = input;
  const { kind, key } = recordOf(m);
  const spec: RecordKindSpec = recordKinds[kind];
  if (spec.writers === 'admins' && actor.role !== 'admin') {
    // The mutation type names the verb: framework.publish → "publish frameworks".
    const verb = m.type.slice(m.type.indexOf('.') + 1);
    return { result: rejected(m, 'forbidden', `Only team admins ${verb} ${kind}s`) };
  }
  const ctx: OpContext = {
    mutation: m,
    current: input.current,
    actor,
    seq: input.seq,
    now: input.now,
    spec,
    key,
  };
  const op = recordOpOf(m);
  switch (op.op) {
    case 'create':
      return create(ctx, op);
    case 'update':
      return update(ctx, op);
    case 'delete':
      return remove(ctx);
    case 'replace':
      return replace(ctx, op);
  }
}

interface OpContext extends ApplyInput {
  spec: RecordKindSpec;
  key: string;
}

function rejected(m: Mutation, code: string, message: string): MutationResult {
  return { mutationId: m.mutationId, status: 'rejected', code, message };
}

function deletedConflict(m: Mutation): ApplyOutcome {
  return {
    result: { mutationId: m.mutationId, status: 'conflict', fields: ['deleted'], server: { deleted: true } },
  };
}

function written(
  ctx: OpContext,
  rec: { deleted: boolean; data: RecordData | null; versions: Record<string, number> },
): StoredRecord {
  return {
    kind: ctx.spec.kind,
    key: ctx.key,
    seq: ctx.seq,
    deleted: rec.deleted,
    deletedAt: rec.deleted ? ctx.now : null,
    data: rec.data,
    versions: rec.versions,
  };
}

/**
 * Create: set fields normalised, the creator stamped. A create of an existing record is a retry
 * when it carries the same values (the client's clock fields aside): `applied` at the stored seq.
 * Different values are a conflict on those fields; a tombstone is a conflict on `deleted`.
 */
function create(ctx: OpContext, op: Extract<RecordOp, { op: 'create' }>): ApplyOutcome {
  const { mutation: m, current: rec, spec, actor } = ctx;
  const data: RecordData = { ...op.data };
  for (const f of spec.setFields) data[f] = normaliseSet((data[f] as readonly string[] | undefined) ?? []);
  if (spec.stamps.createdBy) data.createdBy = { id: actor.memberId, name: actor.memberName };
  if (spec.stamps.updatedBy) data.updatedBy = { id: actor.memberId, name: actor.memberName };
  const broken = spec.consistency?.check(data);
  if (broken) return { result: rejected(m, 'validation_failed', broken) };
  if (rec) {
    if (rec.deleted)
      return spec.immutable
        ? { result: rejected(m, 'immutable', `This ${spec.kind} was deleted; its id cannot be used again`) }
        : deletedConflict(m);
    // The writer stamp is not content: records written before it existed have none.
    const clock = [...(spec.clientClockFields ?? []), 'updatedBy'];
    const differing = Object.keys(data).filter(
      (f) => !clock.includes(f) && !sameValue(data[f], rec.data?.[f]),
    );
    if (differing.length === 0)
      return {
        result: { mutationId: m.mutationId, status: 'applied', seq: rec.seq, versions: rec.versions },
      };
    if (spec.immutable)
      return {
        result: rejected(
          m,
          'immutable',
          `This ${spec.kind} exists with other content and can never be changed; create a new one`,
        ),
      };
    return {
      result: { mutationId: m.mutationId, status: 'conflict', fields: differing, server: rec.data ?? {} },
    };
  }
  const write = written(ctx, {
    deleted: false,
    data,
    versions: initialVersions(data, versionedFields(spec), ctx.seq),
  });
  return {
    result: { mutationId: m.mutationId, status: 'applied', seq: write.seq, versions: write.versions },
    write,
  };
}

/**
 * Field update (shared/merge.ts `mergePatch`): scalars by compare-and-set against `base`, set
 * fields by add/remove. A kind with an `initial` state updates from it when the record does not
 * exist yet; other kinds answer `not_found`, or a `deleted` conflict for a tombstone. Changed
 * fields are written even when others conflict (partial apply; the result then carries the seq).
 */
function update(ctx: OpContext, op: Extract<RecordOp, { op: 'update' }>): ApplyOutcome {
  const { mutation: m, current: rec, spec, actor } = ctx;
  let state: MergeState;
  if (spec.initial) {
    state = rec?.data
      ? { data: rec.data, versions: rec.versions }
      : { data: spec.initial(ctx.key), versions: {} };
  } else {
    if (!rec) return { result: rejected(m, 'not_found', `No such ${spec.kind} in this team`) };
    if (rec.deleted || !rec.data) return deletedConflict(m);
    state = { data: rec.data, versions: rec.versions };
  }
  const refused = authorOnly(ctx, op, state.data);
  if (refused) return { result: refused };
  const out = mergePatch(state, { base: op.base, set: op.set, sets: op.sets }, ctx.seq);
  if (out.changed && spec.consistency?.fields.some((f) => f in op.set)) {
    const broken = spec.consistency.check(out.data);
    if (broken) return { result: rejected(m, 'validation_failed', broken) };
  }
  let seq = rec?.seq ?? 0;
  let versions = state.versions;
  let write: StoredRecord | undefined;
  if (out.changed) {
    const data: RecordData = { ...out.data };
    if (spec.stamps.updatedAt) data.updatedAt = iso(ctx.now);
    if (spec.stamps.updatedBy) data.updatedBy = { id: actor.memberId, name: actor.memberName };
    write = written(ctx, { deleted: false, data, versions: out.versions });
    seq = write.seq;
    versions = write.versions;
  }
  const result: MutationResult =
    out.conflicts.length > 0
      ? {
          mutationId: m.mutationId,
          status: 'conflict',
          fields: out.conflicts,
          server: out.server,
          ...(out.changed ? { seq, versions } : {}),
        }
      : { mutationId: m.mutationId, status: 'applied', seq, versions };
  return write ? { result, write } : { result };
}

/**
 * An editor's update of a colleague's record may not set the kind's author fields (registry
 * `authorFields`): the creator and admins may. Refused whole, so nothing of it is applied.
 */
function authorOnly(
  ctx: OpContext,
  op: Extract<RecordOp, { op: 'update' }>,
  data: RecordData,
): MutationResult | undefined {
  const { spec, actor, mutation: m } = ctx;
  if (!spec.authorFields || actor.role === 'admin') return undefined;
  const creator = (data.createdBy as { id?: unknown } | undefined)?.id;
  if (creator === actor.memberId) return undefined;
  // Repeating a field's current value changes nothing and is let through.
  const touched = spec.authorFields.filter((f) => f in op.set && !sameValue(op.set[f], data[f]));
  if (touched.length === 0) return undefined;
  return rejected(
    m,
    'forbidden',
    `Only the ${spec.kind}'s author or an admin may change ${touched.join(', ')}; editors may change its note and criteria`,
  );
}

/** Delete: a tombstone keeping the field versions. Deleting an unknown or deleted record is a
 *  no-op success (idempotent, so a retried delete never loops). */
function remove(ctx: OpContext): ApplyOutcome {
  const { mutation: m, current: rec } = ctx;
  if (!rec || rec.deleted)
    return { result: { mutationId: m.mutationId, status: 'applied', seq: rec?.seq ?? 0 } };
  const write = written(ctx, { deleted: true, data: null, versions: rec.versions });
  return { result: { mutationId: m.mutationId, status: 'applied', seq: write.seq }, write };
}

/** Replace the whole record; the same content again is a no-op at the stored seq. */
function replace(ctx: OpContext, op: Extract<RecordOp, { op: 'replace' }>): ApplyOutcome {
  const { mutation: m, current: rec } = ctx;
  if (rec && !rec.deleted && canonicalJson(rec.data) === canonicalJson(op.data))
    return { result: { mutationId: m.mutationId, status: 'applied', seq: rec.seq } };
  const write = written(ctx, { deleted: false, data: op.data, versions: {} });
  return { result: { mutationId: m.mutationId, status: 'applied', seq: write.seq }, write };
}
