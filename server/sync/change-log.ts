// The team's change log: one entry per record write (who, when, which fields from what to what),
// hash-chained per team so a row changed behind the server's back shows. Pure: the store writes
// and reads the rows; this module decides what an entry holds and how it is hashed
// (docs/server.md, "Change log and verify").
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/merge';
import type { ChangeType } from '../../shared/protocol';
import type { RecordData } from '../../shared/records/registry';

/** The chain's start: the "previous hash" of a team's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Fields the log entry itself states (`at`, `by`), left out of `changes`. */
const STAMP_FIELDS = new Set(['updatedAt', 'updatedBy']);

/** A record's state as the log hashes it. */
export interface RecordState {
  deleted: boolean;
  data: RecordData | null;
}

/** One write of one record, as hashed (the row adds `hash`). */
export interface LogEntry {
  teamId: string;
  seq: number;
  /** Epoch ms of the write. */
  at: number;
  /** Member id of the writer; null for entries made by the migration from rows that named none. */
  by: string | null;
  kind: string;
  key: string;
  type: ChangeType;
  /** Per changed field, its value before and after (null when absent); `{}` for whole-record kinds. */
  changes: Record<string, { from: unknown; to: unknown }>;
  /** {@link stateHash} of the record after the write. */
  stateHash: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * SHA-256 of a record's canonical state (deleted flag and data, keys sorted). `cache`: see
 * canonicalJson — the push path passes one per write, so the entry's hash reuses the canonical
 * text of the field values this one made.
 */
export function stateHash(state: RecordState, cache?: Map<object, string>): string {
  return sha256(canonicalJson({ deleted: state.deleted, data: state.deleted ? null : state.data }, cache));
}

/** The entry's hash: SHA-256 over the previous entry's hash and the canonical entry. */
export function entryHash(previous: string, entry: LogEntry, cache?: Map<object, string>): string {
  return sha256(`${previous}\n${canonicalJson(entry, cache)}`);
}

/** The `change_log` row of `entry` chained after `previous`; its `hash` is the new chain head. */
export function chainedRow(teamId: string, previous: string, entry: LogEntry, cache?: Map<object, string>) {
  const hash = entryHash(previous, entry, cache);
  return {
    team_id: teamId,
    seq: entry.seq,
    kind: entry.kind,
    key: entry.key,
    at: entry.at,
    by: entry.by,
    type: entry.type,
    changes: JSON.stringify(entry.changes),
    state_hash: entry.stateHash,
    hash,
  };
}

/** create, update or delete, from the states before and after a write. */
export function changeType(before: RecordState | undefined, after: RecordState): ChangeType {
  if (after.deleted) return 'delete';
  return !before || before.deleted ? 'create' : 'update';
}

/**
 * The fields a write changed, each with its value before and after (absent values as null).
 * `whole`: the record kind is replaced as a whole (frameworks): its content is not repeated in
 * the log, the state hash covers it.
 */
export function fieldChanges(
  before: RecordState | undefined,
  after: RecordState,
  whole: boolean,
): Record<string, { from: unknown; to: unknown }> {
  if (whole) return {};
  const from = before && !before.deleted ? (before.data ?? {}) : {};
  const to = after.deleted ? {} : (after.data ?? {});
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (STAMP_FIELDS.has(field)) continue;
    const a = from[field] ?? null;
    const b = to[field] ?? null;
    // Only a field present on both sides needs comparing (a create's fields are all new).
    if (a === null || b === null ? a !== b : canonicalJson(a) !== canonicalJson(b))
      out[field] = { from: a, to: b };
  }
  return out;
}

/** A broken link of the chain, or a record whose row no longer matches its last entry. */
export interface VerifyProblem {
  teamId: string;
  /** The first entry that does not verify (for a record row: its last entry; null: none exists). */
  seq: number | null;
  kind: string;
  key: string;
  reason: string;
}

/**
 * Checks a team's chain entry by entry, in seq order.
 * 1. Each stored hash must equal entryHash(previous hash, entry); the first that does not is named.
 * 2. The team's stored head must be the last entry's hash (entries cut off the end show here).
 * 3. `lastState` collects each record's state hash after its last entry, for the row check.
 */
export class ChainVerifier {
  private previous = GENESIS_HASH;
  private lastSeq = 0;
  readonly lastState = new Map<string, { seq: number; stateHash: string; deleted: boolean }>();
  problem: VerifyProblem | undefined;
  entries = 0;

  constructor(readonly teamId: string) {}

  /** Feed the next entry (in seq order); false once a problem was found. */
  add(entry: LogEntry, storedHash: string): boolean {
    if (this.problem) return false;
    this.entries += 1;
    const expected = entryHash(this.previous, entry);
    if (entry.seq <= this.lastSeq || expected !== storedHash) {
      this.problem = {
        teamId: this.teamId,
        seq: entry.seq,
        kind: entry.kind,
        key: entry.key,
        reason: 'log entry does not match its hash (the entry or an earlier one was changed)',
      };
      return false;
    }
    this.previous = storedHash;
    this.lastSeq = entry.seq;
    this.lastState.set(`${entry.kind}\u0000${entry.key}`, {
      seq: entry.seq,
      stateHash: entry.stateHash,
      deleted: entry.type === 'delete',
    });
    return true;
  }

  /** The chain's end must be the head the team row holds. */
  finish(head: string | null): VerifyProblem | undefined {
    if (!this.problem && (head ?? GENESIS_HASH) !== this.previous)
      this.problem = {
        teamId: this.teamId,
        seq: this.lastSeq || null,
        kind: '',
        key: '',
        reason: 'the team log head does not match the last entry (entries removed or added)',
      };
    return this.problem;
  }

  /** The hash of the last entry fed: the team's log head. */
  get head(): string {
    return this.previous;
  }
}

/**
 * A record's data as of `uptoSeq`, rebuilt from its entries (oldest first): a create starts from
 * nothing, every entry sets its changes' `to` values (null removes the field), a delete leaves
 * nothing. The stamps the log leaves out of `changes` (updatedAt, updatedBy) are not rebuilt.
 * @returns null when the record did not exist (or was deleted) at `uptoSeq`.
 */
export function replayState(entries: readonly LogEntry[], uptoSeq: number): RecordData | null {
  let data: RecordData | null = null;
  for (const e of entries) {
    if (e.seq > uptoSeq) break;
    if (e.type === 'delete') {
      data = null;
      continue;
    }
    const next: RecordData = e.type === 'create' ? {} : { ...(data ?? {}) };
    for (const [field, { to }] of Object.entries(e.changes)) {
      if (to === null) delete next[field];
      else next[field] = to;
    }
    data = next;
  }
  return data;
}
