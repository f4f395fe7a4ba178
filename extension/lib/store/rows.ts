// The shapes of the extension's Dexie rows that are not shared records (outbox entries, meta rows,
// sync conflicts) and the one table of meta keys. Imports nothing from lib/sync/, so the database
// module and the sync modules both depend on this file and never on each other.
import { z } from 'zod';
import type { Mutation } from '../../../shared/protocol';
import { isoDateTimeSchema } from '../../../shared/schemas';

/** A pending change for the sync server, written in the same transaction as the change itself. */
export interface OutboxEntry {
  mutationId: number;
  mutation: Mutation;
  createdAt: string;
}

/** Small key/value rows: active framework, sync cursor, client id, recent criteria… */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Every key of the `meta` table (rows stored by 0.1.0 use these exact strings: never rename one). */
export const META_KEYS = {
  /** This install's author identity ({ id, name }); the team member once joined. */
  author: 'author',
  /** How often and when each criterion was last chosen in the tag dialog. */
  criterionUsage: 'criterionUsage',
  /** The id of the framework the library and dashboard show. */
  activeFramework: 'activeFrameworkId',
  /** The sync device token ({ serverUrl, token }); also the storage.local key builds before 0.1.0 used. */
  deviceToken: 'qsiSyncDeviceToken',
  /** The "due soon" list the background last computed (lib/reminders/due-soon-store.ts): the popup
   *  shows it without reading every clip. */
  dueSoon: 'reminders.dueSoon',
  /** Prefix of the unsaved tag-dialog draft of a page: `draft:<docKey>`. */
  draftPrefix: 'draft:',
  /** The organisation's policy as the background last applied it, without the invite code. */
  managed: 'managed.policy',
  /** Sync bookkeeping (lib/sync/state.ts reads these through their schemas). */
  sync: {
    team: 'sync.team',
    nextMutationId: 'sync.nextMutationId',
    cursor: 'sync.cursor',
    resyncing: 'sync.resyncing',
    status: 'sync.status',
    rejections: 'sync.rejections',
    storage: 'sync.storagePersist',
  },
} as const;

/**
 * A record whose local value and the team's value differ and that the user must decide
 * ("keep mine" / "keep theirs" / edit). `fields`: both sides edited these fields concurrently;
 * `deleted`: a teammate deleted the record this install had unsent edits for (`mine` holds the
 * whole local record, so "keep mine" can re-create it as a new clip).
 */
export const conflictSchema = z.strictObject({
  /** `clip:<id>` or `assessment:<criterionId>` (shared/records recordKeyString). */
  key: z.string(),
  /** The record kinds merged field by field (the only ones that can conflict). */
  kind: z.enum(['clip', 'assessment']),
  id: z.string(),
  reason: z.enum(['fields', 'deleted']),
  fields: z.array(z.string()),
  mine: z.record(z.string(), z.unknown()),
  theirs: z.record(z.string(), z.unknown()),
  /** Server field versions of `theirs` (the base a "keep mine" update is sent with). */
  theirsVersions: z.record(z.string(), z.number().int()),
  detectedAt: isoDateTimeSchema,
});
export type Conflict = z.infer<typeof conflictSchema>;
