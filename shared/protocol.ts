// Sync protocol shared by the extension and the server (docs/server.md). Version in every request;
// mutations carry a client id and a per-client increasing counter so the server applies each once.
import { z } from 'zod';
import { hasControlChars, PLAIN_TEXT_MESSAGE, plainTextSchema } from './plain-text';
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
import { submissionContentSchema, submissionSchema } from './submissions';

export const PROTOCOL_VERSION = 1;
/** Every request to `/v1/*` carries the protocol version in this header (bodies carry it too). */
export const PROTOCOL_HEADER = 'x-qsi-protocol';
/**
 * Optional request header: comma-separated features of protocol version 1 the client parses. A
 * 0.1.0 extension parses pulls strictly, so fields added to a pulled record since are sent only
 * to clients that name them here (docs/server.md, "Protocol features").
 */
export const FEATURES_HEADER = 'x-qsi-features';
/** Pulled clips carry `updatedBy` (the member who last wrote the clip). */
export const FEATURE_UPDATED_BY = 'updated-by';
/** Pulls carry submissions (a record kind 0.1.0 does not know; withheld from clients without it). */
export const FEATURE_SUBMISSIONS = 'submissions';
/** The features this version of the code parses (clients send them all). */
export const CLIENT_FEATURES = [FEATURE_UPDATED_BY, FEATURE_SUBMISSIONS] as const;
export const MAX_BATCH = 500;
export const MAX_PULL_PAGE = 1_000;
export const DEFAULT_PULL_PAGE = 500;
/** Request body caps (bytes): push batches, framework uploads, submissions, everything else. */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
export const MAX_FRAMEWORK_BYTES = 4 * 1024 * 1024;
export const MAX_SUBMISSION_BYTES = 16 * 1024 * 1024;
export const MAX_SMALL_BODY_BYTES = 64 * 1024;
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

/**
 * A framework as published to a team: its name and every domain, standard and criterion title
 * are names (shared/plain-text.ts). Only publishing checks this; frameworks already stored are
 * still delivered as they are. A function so the module order of the schemas does not matter.
 */
export function publishableFrameworkSchema() {
  return frameworkSchema.superRefine((fw, ctx) => {
    const check = (text: string, path: (string | number)[]) => {
      if (hasControlChars(text)) ctx.addIssue({ code: 'custom', path, message: PLAIN_TEXT_MESSAGE });
    };
    check(fw.name, ['name']);
    fw.domains.forEach((d, di) => {
      check(d.title, ['domains', di, 'title']);
      d.standards.forEach((s, si) => {
        check(s.title, ['domains', di, 'standards', si, 'title']);
        for (const [ci, c] of s.criteria.entries())
          check(c.title, ['domains', di, 'standards', si, 'criteria', ci, 'title']);
      });
    });
  });
}

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
  z.strictObject({
    ...mutationBase,
    type: z.literal('framework.publish'),
    framework: publishableFrameworkSchema(),
  }),
  z.strictObject({
    ...mutationBase,
    type: z.literal('framework.withdraw'),
    frameworkId: z.string().max(200),
  }),
  z.strictObject({
    ...mutationBase,
    type: z.literal('submission.create'),
    submission: submissionContentSchema,
  }),
  z.strictObject({ ...mutationBase, type: z.literal('submission.delete'), id: z.uuid() }),
]);
export type Mutation = z.infer<typeof mutationSchema>;

export const pushRequestSchema = z.strictObject({
  protocolVersion: z.number().int(),
  clientId: clientIdSchema,
  mutations: z.array(mutationSchema).min(1).max(MAX_BATCH),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/**
 * What the server parses first: the envelope of a push with each mutation only checked for its id.
 * Each mutation is then validated alone, so one malformed mutation is answered `rejected` and
 * never blocks the client's queue. Ids must strictly increase within a batch.
 */
export const pushEnvelopeSchema = z.strictObject({
  protocolVersion: z.number().int(),
  clientId: clientIdSchema,
  mutations: z
    .array(z.looseObject({ mutationId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }))
    .min(1)
    .max(MAX_BATCH)
    .refine(
      (ms) => ms.every((m, i) => i === 0 || m.mutationId > (ms[i - 1]?.mutationId ?? 0)),
      'mutation ids must strictly increase within a batch',
    ),
});
export type PushEnvelope = z.infer<typeof pushEnvelopeSchema>;

export const mutationResultSchema = z.discriminatedUnion('status', [
  z.strictObject({
    mutationId: z.number().int(),
    status: z.literal('applied'),
    /** The record's seq after the mutation (unchanged when the mutation was a no-op). */
    seq: z.number().int(),
    /** Field versions after the mutation: the client's next `base`. */
    versions: z.record(z.string(), z.number().int()).optional(),
  }),
  z.strictObject({
    mutationId: z.number().int(),
    status: z.literal('conflict'),
    /** Fields whose server version moved past the client's base; the server's current values. */
    fields: z.array(z.string()),
    server: z.record(z.string(), z.unknown()),
    /** Set when the non-conflicting part of the mutation (other fields, criteria ops) was applied. */
    seq: z.number().int().optional(),
    versions: z.record(z.string(), z.number().int()).optional(),
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
  z.strictObject({
    kind: z.literal('submission'),
    seq: z.number().int(),
    id: z.uuid(),
    deleted: z.boolean(),
    submission: submissionSchema.nullable(),
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

// ---------------------------------------------------------------- change log

export const changeTypeSchema = z.enum(['create', 'update', 'delete']);
export type ChangeType = z.infer<typeof changeTypeSchema>;

/** One write of a clip: by whom, when, and each changed field's value before and after (null = absent). */
export const clipHistoryEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  at: z.string(),
  /** Member id of the writer (null for history migrated from rows that named no one). */
  by: z.uuid().nullable(),
  type: changeTypeSchema,
  changes: z.record(z.string(), z.strictObject({ from: z.unknown(), to: z.unknown() })),
});
export type ClipHistoryEntry = z.infer<typeof clipHistoryEntrySchema>;

/** `GET /v1/clips/{id}/history`: the clip's writes, oldest first. */
export const clipHistoryResponseSchema = z.strictObject({
  protocolVersion: z.number().int(),
  entries: z.array(clipHistoryEntrySchema),
});
export type ClipHistoryResponse = z.infer<typeof clipHistoryResponseSchema>;

/** `GET /v1/log/head`: the team's change-log head, for an evidence pack's seal. */
export const logHeadResponseSchema = z.strictObject({
  protocolVersion: z.number().int(),
  seq: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

/** Long-poll bounds for `POST /v1/wait` (ms): the server answers `changed:false` after the timeout. */
export const MIN_WAIT_MS = 1_000;
export const MAX_WAIT_MS = 25_000;
export const DEFAULT_WAIT_MS = 20_000;

/** Waits until the team's sequence is past `cursor` (at once when it already is, or cursor is null). */
export const waitRequestSchema = z.strictObject({
  protocolVersion: z.number().int(),
  cursor: cursorSchema.nullable(),
  timeoutMs: z.number().int().min(MIN_WAIT_MS).max(MAX_WAIT_MS).optional(),
});
export type WaitRequest = z.infer<typeof waitRequestSchema>;

export const waitResponseSchema = z.strictObject({
  protocolVersion: z.number().int(),
  /** True when the team has changes after the request's cursor: pull now. */
  changed: z.boolean(),
  /** The team's head sequence when the answer was made (a hint; pull still starts from your cursor). */
  cursor: cursorSchema,
});
export type WaitResponse = z.infer<typeof waitResponseSchema>;

// ---------------------------------------------------------------- teams, members, devices, invites

export const roleSchema = z.enum(['admin', 'editor', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

/** Member names, device labels and team names are names (shared/plain-text.ts). */
export const displayNameSchema = plainTextSchema(200).trim().min(1);
export const deviceLabelSchema = plainTextSchema(200);
export const teamNameSchema = plainTextSchema(200).trim().min(1);
/** Opaque server ids (UUIDs). */
export const serverIdSchema = z.uuid();

export const teamInfoSchema = z.strictObject({ id: serverIdSchema, name: z.string() });
export type TeamInfo = z.infer<typeof teamInfoSchema>;

export const memberInfoSchema = z.strictObject({
  id: serverIdSchema,
  displayName: z.string(),
  role: roleSchema,
  status: z.enum(['active', 'removed']),
  createdAt: z.string(),
});
export type MemberInfo = z.infer<typeof memberInfoSchema>;

export const deviceInfoSchema = z.strictObject({
  id: serverIdSchema,
  memberId: serverIdSchema,
  label: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type DeviceInfo = z.infer<typeof deviceInfoSchema>;

export const inviteInfoSchema = z.strictObject({
  id: serverIdSchema,
  role: roleSchema,
  maxUses: z.number().int(),
  uses: z.number().int(),
  expiresAt: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  /** The member who created it; null for invites made with the CLI. */
  createdBy: serverIdSchema.nullable(),
});
export type InviteInfo = z.infer<typeof inviteInfoSchema>;

/** Invite codes as printed: `qsi-inv-` + 32 url-safe characters (192 bits). */
export const inviteCodeSchema = z.string().regex(/^qsi-inv-[A-Za-z0-9_-]{32}$/, 'not an invite code');
/**
 * One-time join codes shown after signing in with the organisation's identity provider:
 * `qsi-sso-` + 32 url-safe characters, redeemed at POST /v1/join like an invite code.
 */
export const signInCodeSchema = z.string().regex(/^qsi-sso-[A-Za-z0-9_-]{32}$/, 'not a sign-in code');
/** What POST /v1/join redeems: an invite code or a sign-in code. */
export const joinCodeSchema = z.union([inviteCodeSchema, signInCodeSchema]);

export const joinRequestSchema = z.strictObject({
  protocolVersion: z.number().int(),
  code: z.string().max(100),
  displayName: displayNameSchema,
  deviceLabel: deviceLabelSchema.default(''),
});
export type JoinRequest = z.input<typeof joinRequestSchema>;

export const joinResponseSchema = z.strictObject({
  protocolVersion: z.number().int(),
  /** Device bearer token, shown once: send as `Authorization: Bearer <token>`. */
  token: z.string(),
  team: teamInfoSchema,
  member: memberInfoSchema,
  device: deviceInfoSchema,
});
export type JoinResponse = z.infer<typeof joinResponseSchema>;

export const meResponseSchema = z.strictObject({
  protocolVersion: z.number().int(),
  team: teamInfoSchema,
  member: memberInfoSchema,
  device: deviceInfoSchema,
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const createInviteRequestSchema = z
  .strictObject({
    protocolVersion: z.number().int(),
    role: roleSchema,
    maxUses: z.number().int().min(1).max(1_000).default(1),
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(72),
  })
  .refine((r) => r.role !== 'admin' || r.maxUses === 1, {
    path: ['maxUses'],
    message: 'an admin invite admits one person (maxUses 1); use the CLI for more',
  });
export type CreateInviteRequest = z.input<typeof createInviteRequestSchema>;

export const createInviteResponseSchema = z.strictObject({
  protocolVersion: z.number().int(),
  /** The code, shown once; only its hash is stored. */
  code: inviteCodeSchema,
  invite: inviteInfoSchema,
});

export const setRoleRequestSchema = z.strictObject({ protocolVersion: z.number().int(), role: roleSchema });

export const frameworkSummarySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  edition: z.string().optional(),
  seq: z.number().int(),
});
export const frameworkListResponseSchema = z.strictObject({
  protocolVersion: z.number().int(),
  frameworks: z.array(frameworkSummarySchema),
});
export const publishFrameworkRequestSchema = z.strictObject({
  protocolVersion: z.number().int(),
  framework: publishableFrameworkSchema(),
});

/** `POST /v1/submissions` (admins): freeze a submission; the server checks its set hash. */
export const createSubmissionRequestSchema = z.strictObject({
  protocolVersion: z.number().int(),
  submission: submissionContentSchema,
});

/** Thrown/returned when the peer speaks another protocol version. */
export function incompatibleVersionMessage(theirs: number): string {
  return `protocol version ${theirs} is not supported; this side speaks version ${PROTOCOL_VERSION}. Update the extension or the server.`;
}
