// The "due soon" list as the extension stores it: computed by the background from the clips and
// assessments (shared/reminders.ts), kept in one meta row, read by the popup with liveQuery. The
// popup therefore never reads every clip; the background reads them only when a document can be
// due at all (the coverage rows say so without reading a clip).
import {
  addDays,
  anyReviewDueBy,
  type DueSoonSnapshot,
  dueSoon,
  dueSoonSnapshotSchema,
} from '../../../shared/reminders';
import type { ClipperDb } from '../db';
import { META_KEYS } from '../store/rows';

/** Computes the list for `today` and `windowDays` from the database. */
export async function computeDueSoon(
  db: ClipperDb,
  today: string,
  windowDays: number,
): Promise<DueSoonSnapshot> {
  const until = addDays(today, windowDays);
  const { clips, assessments } = await db.transaction(
    'r',
    [db.coverage, db.clips, db.assessments],
    async () => {
      const docsDue = anyReviewDueBy(await db.coverage.toArray(), until);
      return {
        clips: docsDue ? await db.clips.toArray() : [],
        assessments: await db.assessments.toArray(),
      };
    },
  );
  return { today, windowDays, items: dueSoon({ clips, assessments, today, windowDays }) };
}

/** Stores `snapshot` unless the stored one is the same (so no reader wakes for nothing). @returns whether it wrote. */
export async function storeDueSoon(db: ClipperDb, snapshot: DueSoonSnapshot): Promise<boolean> {
  return db.transaction('rw', db.meta, async () => {
    const current = await db.meta.get(META_KEYS.dueSoon);
    if (JSON.stringify(current?.value) === JSON.stringify(snapshot)) return false;
    await db.meta.put({ key: META_KEYS.dueSoon, value: snapshot });
    return true;
  });
}

/** The stored list, or `undefined` when none was computed yet or the row is unreadable. */
export async function readDueSoon(db: ClipperDb): Promise<DueSoonSnapshot | undefined> {
  const parsed = dueSoonSnapshotSchema.safeParse((await db.meta.get(META_KEYS.dueSoon))?.value);
  return parsed.success ? parsed.data : undefined;
}
