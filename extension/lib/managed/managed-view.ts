// The organisation's policy as extension pages see it: the Dexie row the background writes after
// applying storage.managed (never the invite code). No browser API: pages read it with liveQuery.
import type { ClipperDb } from '../db';
import { META_KEYS } from '../store/rows';
import { type ManagedView, managedViewSchema, NO_POLICY } from './policy';

export async function readManagedView(db: ClipperDb): Promise<ManagedView> {
  const parsed = managedViewSchema.safeParse((await db.meta.get(META_KEYS.managed))?.value);
  return parsed.success ? parsed.data : NO_POLICY;
}
