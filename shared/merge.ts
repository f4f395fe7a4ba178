// Pure merge rules of the sync protocol (docs/architecture.md, "Sync"): field-level compare-and-set for scalars,
// add/remove sets for criteria. The server applies them; the client can reuse them to rebase.
// No clocks and no I/O here: the caller supplies the new sequence number.

/** A synced record's mergeable state: field values plus the seq at which each field last changed. */
export interface MergeState {
  data: Record<string, unknown>;
  versions: Record<string, number>;
}

/** A patch: scalar fields to set, set-valued fields to add to / remove from, and the versions seen. */
export interface MergePatch {
  /** Version of each field the client last saw (absent = 0: never seen). */
  base: Record<string, number>;
  /** New scalar values; `undefined` clears an optional field. */
  set: Record<string, unknown>;
  /** Set-valued fields: ids to add and to remove (remove first, then add). */
  sets?: Record<string, { add: readonly string[]; remove: readonly string[] }>;
}

export interface MergeOutcome {
  data: Record<string, unknown>;
  versions: Record<string, number>;
  /** True when anything changed (the caller then stamps `seq`). */
  changed: boolean;
  /** Scalar fields left untouched because the server's value moved past the client's base. */
  conflicts: string[];
  /** The server's current values of the conflicting fields. */
  server: Record<string, unknown>;
}

/**
 * Deterministic JSON with sorted keys, for value equality and the change log's hashes (so its
 * output must never change: stored hashes are recomputed from it). `cache`: canonical text of
 * objects already seen, by reference — for callers that canonicalise the same values twice (a
 * log entry repeats the record's field values); objects must not change while it is in use.
 */
export function canonicalJson(value: unknown, cache?: Map<object, string>): string {
  if (value === undefined) return 'undefined';
  return canonical(value, cache);
}

function canonical(value: unknown, cache: Map<object, string> | undefined): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const known = cache?.get(value);
  if (known !== undefined) return known;
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'undefined' : canonical(item, cache);
    }
    out += ']';
  } else {
    const record = value as Record<string, unknown>;
    // Default sort: UTF-16 code unit order, as `a < b` compares.
    const keys = Object.keys(record).sort();
    out = '{';
    let first = true;
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += `${JSON.stringify(key)}:${canonical(item, cache)}`;
    }
    out += '}';
  }
  cache?.set(value, out);
  return out;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A set field normalised: unique and sorted, so set operations commute. */
export function normaliseSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * Apply a patch to a record at sequence number `seq`.
 * 1. Each scalar field: equal to the current value → nothing to do; current version ≤ base →
 *    set it (version := seq); otherwise → conflict (the server's value is kept and reported).
 * 2. Each set field: remove, then add; version := seq when the set changed. Never a conflict.
 * Applying the same patch twice equals applying it once (step 1 finds equal values the second time).
 */
export function mergePatch(current: MergeState, patch: MergePatch, seq: number): MergeOutcome {
  const data: Record<string, unknown> = { ...current.data };
  const versions: Record<string, number> = { ...current.versions };
  const conflicts: string[] = [];
  const server: Record<string, unknown> = {};
  let changed = false;
  for (const [field, value] of Object.entries(patch.set)) {
    if (sameValue(data[field], value)) continue;
    const seen = patch.base[field] ?? 0;
    const version = versions[field] ?? 0;
    if (version > seen) {
      conflicts.push(field);
      server[field] = data[field];
      continue;
    }
    if (value === undefined) delete data[field];
    else data[field] = value;
    versions[field] = seq;
    changed = true;
  }
  for (const [field, ops] of Object.entries(patch.sets ?? {})) {
    const before = Array.isArray(data[field]) ? (data[field] as unknown[]).map(String) : [];
    const removed = new Set(ops.remove);
    const next = normaliseSet([...before.filter((v) => !removed.has(v)), ...ops.add]);
    if (canonicalJson(next) === canonicalJson(normaliseSet(before))) continue;
    data[field] = next;
    versions[field] = seq;
    changed = true;
  }
  return { data, versions, changed, conflicts, server };
}

/** Initial field versions of a newly created record: every present field at `seq`. */
export function initialVersions(data: Record<string, unknown>, fields: readonly string[], seq: number) {
  const versions: Record<string, number> = {};
  for (const f of fields) if (data[f] !== undefined) versions[f] = seq;
  return versions;
}
