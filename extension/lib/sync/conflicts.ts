// Resolving a sync conflict the user decided: the chosen values are written through the
// local-write layer and queued based on the team's versions, so they win unless the field moved
// again. Kind-specific details (tables, validation, clearing a value) come from local-records.ts.
import type { ClipperDb } from '../db';
import type { LocalWrites } from '../store/local-writes';
import type { Conflict } from '../store/rows';
import { applyTables } from './apply-common';
import { localRecords, type Row, rowSync } from './local-records';

/** What the user chose: their own values, edited values, or the team's. */
export type Choice = Record<string, unknown> | 'theirs';

/** Writes the local record and queues its mutation, based on the team's versions. */
export async function resolveConflict(
  deps: { db: ClipperDb; writes: LocalWrites; now: () => string; newId: () => string },
  conflictKey: string,
  choose: (c: Conflict) => Choice,
): Promise<void> {
  const { db, writes } = deps;
  await writes.commit(applyTables(db), async () => {
    const conflict = await db.conflicts.get(conflictKey);
    if (!conflict) return;
    const choice = choose(conflict);
    await db.conflicts.delete(conflictKey);
    const at = deps.now();
    const kind = conflict.kind;
    const local = localRecords[kind];
    if (conflict.reason === 'deleted') {
      if (choice === 'theirs' || !local.tombstone) return;
      // The team deleted it: "keep mine" re-creates the record under a new id (ids never resurrect).
      const mine = { ...conflict.mine, ...choice, id: deps.newId() };
      const parsed = local.parse({ ...local.tombstone.withDeleted(mine, false), updatedAt: at });
      if (!parsed) return;
      await writes.putRecord(kind, undefined, parsed, { add: true });
      return;
    }
    const values = choice === 'theirs' ? conflict.theirs : choice;
    const row = await local.table(db).get(conflict.id);
    if (!row) return;
    const next: Row = { ...row, updatedAt: at };
    const sync = rowSync(row);
    const versions = { ...sync?.versions };
    for (const f of conflict.fields) {
      if (!(f in values)) continue;
      local.assign(next, f, values[f]);
      const v = conflict.theirsVersions[f];
      if (v !== undefined) versions[f] = v;
    }
    const parsed = local.parse(next);
    if (!parsed) return;
    const after: Row = { ...parsed, sync: { seq: sync?.seq ?? 0, versions } };
    // Based on the team's versions, so the chosen value wins unless the field moved again.
    const before = choice === 'theirs' ? undefined : { ...row, ...conflict.theirs, sync: after.sync };
    if (before) await writes.putRecord(kind, before, after);
    else await local.table(db).put(after);
  });
}
