// Framework bookkeeping in Dexie: shipped frameworks are seeded once; the active one is a meta row.
import { demoFramework } from '../../shared/frameworks/demo';
import { qsi2021Structure } from '../../shared/frameworks/qsi-2021';
import { type Framework, frameworkSchema } from '../../shared/schemas';
import type { ClipperDb } from './db';
import { META_KEYS } from './store/rows';

export const SHIPPED_FRAMEWORKS: readonly Framework[] = [demoFramework, qsi2021Structure];
const ACTIVE_KEY = META_KEYS.activeFramework;

/** Adds shipped frameworks that are missing (never overwrites an imported one with the same id). */
export async function seedFrameworks(db: ClipperDb): Promise<void> {
  await db.transaction('rw', db.frameworks, db.meta, async () => {
    for (const fw of SHIPPED_FRAMEWORKS) {
      if (!(await db.frameworks.get(fw.id))) await db.frameworks.put(fw);
    }
    if (!(await db.meta.get(ACTIVE_KEY))) await db.meta.put({ key: ACTIVE_KEY, value: demoFramework.id });
  });
}

export async function getActiveFramework(db: ClipperDb): Promise<Framework | undefined> {
  const row = await db.meta.get(ACTIVE_KEY);
  const id = typeof row?.value === 'string' ? row.value : demoFramework.id;
  const stored = (await db.frameworks.get(id)) ?? (await db.frameworks.toCollection().first());
  const parsed = frameworkSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

export async function setActiveFramework(db: ClipperDb, id: string): Promise<void> {
  await db.meta.put({ key: ACTIVE_KEY, value: id });
}
