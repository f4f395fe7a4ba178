// Sync protocol shared by the extension and the server (design §7). Version in every request;
// mutations carry a client id and a per-client increasing counter so the server applies each once.
import { z } from 'zod';
import {
  assessmentSchema,
  clipSchema,
  criterionIdSchema,
  docMetaSchema,
  frameworkSchema,
  LIMITS,
  ratingSchema,
  selectorSchema,
  snapshotSchema,
} from './schemas';

export const PROTOCOL_VERSION = 1;
export const MAX_BATCH = 200;
export const MAX_PULL_PAGE = 1_000;
/** Tombstones are kept at least this long; older cursors get `resync`. */
export const TOMBSTONE_RETENTION_DAYS = 90;

export const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'client id: 8–64 url-safe characters');

/** Clip fields that merge as last-writer-checked scalars (conflict on concurrent edits). */
export const clipScalarFields = [
  'url',
  'docKey',
  'title',
  'selectors',
  'quote',
  'note',
  'docMeta',
  'snapshot',
] as const;
export type ClipScalarField = (typeof clipScalarFields)[number];

/** The synced content of a clip (local bookkeeping such as `anchor` and `sync` excluded). */
export const clipContentSchema = clipSchema.omit({ anchor: true, sync: true, deleted: true });
export type ClipContent = z.infer<typeof clipContentSchema>;

export const clipPatchSchema = z.strictObject({
  url: clipSchema.shape.url.optional(),
  docKey: clipSchema.shape.docKey.optional(),
  title: clipSchema.shape.title.optional(),
  selectors: z.array(selectorSchema).min(1).max(10).optional(),
  quote: clipSchema.shape.quote.optional(),
  note: clipSchema.shape.note.optional(),
  docMeta: docMetaSchema.optional(),
  snapshot: snapshotSchema.optional(),
});
export type ClipPatch = z.infer<typeof clipPatchSchema>;

export const assessmentScalarFields = ['rating', 'owner', 'action', 'dueDate', 'comment'] as const;
export type AssessmentScalarField = (typeof assessmentScalarFields)[number];

export const assessmentPatchSchema = z.strictObject({
  rating: ratingSchema.optional(),
  owner: z.string().max(LIMITS.shortText).optional(),
  action: z.string().max(LIMITS.longText).optional(),
  dueDate: z.union([z.iso.date(), z.literal('')]).optional(),
  comment: z.string().max(LIMITS.longText).optional(),
});
export type AssessmentPatch = z.infer<typeof assessmentPatchSchema>;

/** Field versions the client last saw, per field it changes (absent = never seen, 0). */
const baseVersionsSchema = z.record(z.string().max(32), z.number().int().nonnegative());

const mutationBase = { mutationId: z.number().int().positive() };

export const mutationSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...mutationBase, type: z.literal('clip.create'), clip: clipContentSchema }),
  z.strictObject({
    ...mutationBase,
    type: z.literal('clip.update'),
    id: z.uuid(),
    base: baseVersionsSchema,
    set: clipPatchSchema,
    criteriaAdd: z.array(criterionIdSchema).max(LIMITS.criteriaPerClip).default([]),
    criteriaRemove: z.array(criterionIdSchema).max(LIMITS.criteriaPerClip).default([]),
  }),
  z.strictObject({ ...mutationBase, type: z.literal('clip.delete'), id: z.uuid() }),
  z.strictObject({
    ...mutationBase,
    type: z.literal('assessment.update'),
    criterionId: criterionIdSchema,
    base: baseVersionsSchema,
    set: assessmentPatchSchema,
  }),
  z.strictObject({ ...mutationBase, type: z.literal('framework.publish'), framework: frameworkSchema }),
  z.strictObject({
    ...mutationBase,
    type: z.literal('framework.withdraw'),
    frameworkId: z.string().max(200),
  }),
]);
export type Mutation = z.infer<typeof mutationSchema>;

export const pushRequestSchema = z.strictObject({
  protocolVersion: z.number().int(),
  clientId: clientIdSchema,
  mutations: z.array(mutationSchema).min(1).max(MAX_BATCH),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const mutationResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ mutationId: z.number().int(), status: z.literal('applied'), seq: z.number().int() }),
  z.strictObject({
    mutationId: z.number().int(),
    status: z.literal('conflict'),
    /** Fields whose server version moved past the client's base; the server's current values. */
    fields: z.array(z.string()),
    server: z.record(z.string(), z.unknown()),
    seq: z.number().int().optional(),
  }),
  z.strictObject({
    mutationId: z.number().int(),
    status: z.literal('rejected'),
    code: z.string(),
    message: z.string(),
  }),
]);
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.strictObject({
  protocolVersion: z.number().int(),
  results: z.array(mutationResultSchema),
  /** Highest mutation id the server has processed for this client (duplicates are answered from it). */
  lastMutationId: z.number().int().nonnegative(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

/** Opaque to clients: the team's gap-free sequence number at which the last page ended. */
export const cursorSchema = z.string().regex(/^\d{1,15}$/);

export const pullRequestSchema = z.strictObject({
  protocolVersion: z.number().int(),
  cursor: cursorSchema.nullable(),
  limit: z.number().int().min(1).max(MAX_PULL_PAGE).optional(),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

const versionsSchema = z.record(z.string(), z.number().int());

export const changeSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('clip'),
    seq: z.number().int(),
    id: z.uuid(),
    deleted: z.boolean(),
    clip: clipContentSchema.nullable(),
    versions: versionsSchema,
  }),
  z.strictObject({
    kind: z.literal('assessment'),
    seq: z.number().int(),
    assessment: assessmentSchema.omit({ sync: true }),
    versions: versionsSchema,
  }),
  z.strictObject({
    kind: z.literal('framework'),
    seq: z.number().int(),
    frameworkId: z.string(),
    deleted: z.boolean(),
    framework: frameworkSchema.nullable(),
  }),
]);
export type Change = z.infer<typeof changeSchema>;

export const pullResponseSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('changes'),
    protocolVersion: z.number().int(),
    changes: z.array(changeSchema),
    cursor: cursorSchema,
    hasMore: z.boolean(),
  }),
  /** The cursor predates tombstone retention: drop synced data (keep the outbox) and pull from null. */
  z.strictObject({ type: z.literal('resync'), protocolVersion: z.number().int(), reason: z.string() }),
]);
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** Thrown/returned when the peer speaks another protocol version. */
export function incompatibleVersionMessage(theirs: number): string {
  return `protocol version ${theirs} is not supported; this side speaks version ${PROTOCOL_VERSION}. Update the extension or the server.`;
}
