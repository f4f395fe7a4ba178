// Sync bookkeeping kept in Dexie meta rows: their zod schemas and typed reads (the keys are in
// lib/store/rows.ts). Pure data; no network and no browser APIs here.
import { z } from 'zod';
import { roleSchema } from '../../../shared/protocol';
import { isoDateTimeSchema } from '../../../shared/schemas';
import type { ClipperDb } from '../db';
import { META_KEYS } from '../store/rows';

/** The sync meta keys (a part of the one table of meta keys, lib/store/rows.ts). */
export const SYNC_META = META_KEYS.sync;

/** Which team this install has joined (not secret: the device token is a separate meta row). */
export const syncTeamSchema = z.strictObject({
  serverUrl: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  role: roleSchema,
  deviceId: z.string(),
  /** Push client id: new for every join (the server binds a client id to one member). */
  clientId: z.string(),
  joinedAt: isoDateTimeSchema,
});
export type SyncTeam = z.infer<typeof syncTeamSchema>;

export const syncStateSchema = z.enum([
  'synced',
  'pending',
  'offline',
  'signed-out',
  'revoked',
  'incompatible',
  'error',
]);
export type SyncState = z.infer<typeof syncStateSchema>;

/** The last sync outcome, persisted so the popup and dashboard show it without asking. */
export const syncStatusSchema = z.strictObject({
  state: syncStateSchema,
  /** A sentence for the user (the reason for offline/revoked/incompatible/error). */
  message: z.string(),
  at: isoDateTimeSchema,
  lastSyncedAt: isoDateTimeSchema.optional(),
  /** Consecutive failures (drives the backoff). */
  failures: z.number().int().nonnegative(),
  /** No automatic attempt before this instant (backoff or Retry-After). */
  nextAttemptAt: isoDateTimeSchema.optional(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** A mutation the server refused for good: dropped from the outbox, kept here for display. */
export const rejectionSchema = z.strictObject({
  mutationId: z.number().int(),
  type: z.string(),
  recordKey: z.string(),
  code: z.string(),
  message: z.string(),
  at: isoDateTimeSchema,
});
export type Rejection = z.infer<typeof rejectionSchema>;
export const MAX_REJECTIONS_KEPT = 50;

export const storagePersistSchema = z.strictObject({
  granted: z.boolean(),
  at: isoDateTimeSchema,
  /** Why the request failed (API missing, threw). */
  error: z.string().optional(),
});
export type StoragePersist = z.infer<typeof storagePersistSchema>;

/** Reads a meta row through its schema; a missing or malformed row reads as undefined. */
export async function readMeta<T extends z.ZodType>(
  db: ClipperDb,
  key: string,
  schema: T,
): Promise<z.infer<T> | undefined> {
  const row = await db.meta.get(key);
  if (row === undefined) return undefined;
  const parsed = schema.safeParse(row.value);
  return parsed.success ? parsed.data : undefined;
}

export const readTeam = (db: ClipperDb) => readMeta(db, SYNC_META.team, syncTeamSchema);
export const readStatus = (db: ClipperDb) => readMeta(db, SYNC_META.status, syncStatusSchema);
export const readRejections = async (db: ClipperDb) =>
  (await readMeta(db, SYNC_META.rejections, z.array(rejectionSchema))) ?? [];
export const readCursor = async (db: ClipperDb) =>
  (await readMeta(db, SYNC_META.cursor, z.string().nullable())) ?? null;

/** What the popup and dashboard show: the stored outcome combined with the outbox size. */
export interface StatusView {
  state: SyncState;
  pending: number;
  message: string;
  lastSyncedAt?: string;
}

/** Pure: 'synced' with unsent changes reads as 'pending (n)'; other states keep their message. */
export function statusView(stored: SyncStatus | undefined, pending: number, joined: boolean): StatusView {
  if (!joined)
    return { state: 'signed-out', pending, message: 'Not part of a team: clips stay on this device.' };
  const base = stored ?? {
    state: 'pending' as const,
    message: '',
    at: new Date(0).toISOString(),
    failures: 0,
  };
  const last = stored?.lastSyncedAt ? { lastSyncedAt: stored.lastSyncedAt } : {};
  if ((base.state === 'synced' || base.state === 'pending') && pending > 0)
    return {
      state: 'pending',
      pending,
      message: `${pending} change${pending === 1 ? '' : 's'} to send`,
      ...last,
    };
  if (base.state === 'pending' && pending === 0)
    return { state: 'synced', pending, message: 'Up to date', ...last };
  return { state: base.state, pending, message: base.message, ...last };
}

/**
 * Everything the popup/dashboard needs in one read (use inside liveQuery): status, pending count,
 * open conflicts and recent rejections.
 */
export async function readSyncOverview(db: ClipperDb) {
  const [team, stored, pending, conflicts, rejections] = await Promise.all([
    readTeam(db),
    readStatus(db),
    db.outbox.count(),
    db.conflicts.toArray(),
    readRejections(db),
  ]);
  return {
    team,
    status: statusView(stored, pending, team !== undefined),
    conflicts,
    rejections,
  };
}
