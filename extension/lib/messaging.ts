// The one typed message map between content scripts, extension pages and the background.
// Every message is parsed with zod on receipt; replies are `Result`s, never thrown errors.
import { z } from 'zod';
import type { ClipHistoryEntry } from '../../shared/protocol';
import type { Result } from '../../shared/result';
import {
  anchorStatusSchema,
  type Clip,
  criterionIdSchema,
  docMetaSchema,
  LIMITS,
  pdfFingerprintSchema,
  selectorSchema,
} from '../../shared/schemas';

/** What the content script captured for a new clip; the background completes and stores it. */
export const clipDraftSchema = z.strictObject({
  url: z.string().max(LIMITS.url),
  title: z.string().max(LIMITS.title),
  selectors: z.array(selectorSchema).min(1).max(10),
  quote: z.string().max(LIMITS.quote),
  criteria: z.array(criterionIdSchema).max(LIMITS.criteriaPerClip),
  note: z.string().max(LIMITS.note),
  docMeta: docMetaSchema,
  /** Normalised text of the enclosing section, frozen at clip time. */
  snapshotText: z.string().max(LIMITS.snapshot),
});
export type ClipDraft = z.infer<typeof clipDraftSchema>;

const id = z.uuid();
const url = z.string().max(LIMITS.url);

/** Requests handled by the background, by name. */
export const requestSchemas = {
  /** `fingerprint`: a PDF in the viewer also gets the same file's clips made at other addresses. */
  getPageClips: z.strictObject({ url, fingerprint: pdfFingerprintSchema.optional() }),
  getCriteriaChoices: z.strictObject({}),
  saveClip: z.strictObject({ draft: clipDraftSchema }),
  updateClipTags: z.strictObject({
    id,
    criteria: z.array(criterionIdSchema).max(LIMITS.criteriaPerClip),
    note: z.string().max(LIMITS.note),
    docMeta: docMetaSchema,
  }),
  deleteClip: z.strictObject({ id }),
  restoreClip: z.strictObject({ id }),
  /** Confirm a relocated clip, or re-attach a lost one, at a new selection (keeps history). */
  moveClip: z.strictObject({
    id,
    selectors: z.array(selectorSchema).min(1).max(10),
    quote: z.string().min(1).max(LIMITS.quote),
    url,
  }),
  reportAnchors: z.strictObject({
    url,
    fingerprint: pdfFingerprintSchema.optional(),
    results: z
      .array(
        z.strictObject({
          id,
          status: anchorStatusSchema,
          found: z.string().max(LIMITS.quote).optional(),
        }),
      )
      .max(10_000),
  }),
  saveDraft: z.strictObject({ url, draft: clipDraftSchema.nullable() }),
  getDraft: z.strictObject({ url }),
  // Team sync (extension pages only: the dashboard and the popup).
  joinTeam: z.strictObject({
    serverUrl: z.string().max(LIMITS.url),
    inviteCode: z.string().max(200),
    displayName: z.string().max(200),
    deviceLabel: z.string().max(200),
    /** Join the team the organisation's policy names: the background uses its server and invite. */
    managed: z.boolean().optional(),
  }),
  leaveTeam: z.strictObject({ discardPending: z.boolean() }),
  syncNow: z.strictObject({}),
  resolveConflict: z.discriminatedUnion('choice', [
    z.strictObject({ key: z.string().max(300), choice: z.literal('mine') }),
    z.strictObject({ key: z.string().max(300), choice: z.literal('theirs') }),
    z.strictObject({
      key: z.string().max(300),
      choice: z.literal('edit'),
      value: z.record(z.string(), z.unknown()),
    }),
  ]),
  publishFramework: z.strictObject({ frameworkId: z.string().max(200) }),
  /** Admin: freeze the team's evidence for a framework as a named submission. */
  freezeSubmission: z.strictObject({ frameworkId: z.string().max(200), name: z.string().max(200) }),
  /** Admin: delete a submission (the server keeps a tombstone and audits it). */
  deleteSubmission: z.strictObject({ id }),
  /** A clip's history from the team server (the dashboard's "History"). */
  getClipHistory: z.strictObject({ id }),
  /** The team's change-log head (the evidence pack's seal). */
  getLogHead: z.strictObject({}),
  /** A granted page's link to a Word document, clicked with auto-open on: open it in the viewer. */
  openDocument: z.strictObject({ url, newTab: z.boolean() }),
  /** A web page's content script needs the clip UI's view: inject it into the sending frame. */
  loadClipView: z.strictObject({}),
} as const;

/** Requests only extension pages may send (never a content script). */
export const EXTENSION_PAGE_ONLY: ReadonlySet<RequestName> = new Set([
  'joinTeam',
  'leaveTeam',
  'syncNow',
  'resolveConflict',
  'publishFramework',
  'freezeSubmission',
  'deleteSubmission',
  'getClipHistory',
  'getLogHead',
]);

export type RequestName = keyof typeof requestSchemas;
export type RequestOf<N extends RequestName> = z.infer<(typeof requestSchemas)[N]>;

export interface CriterionChoice {
  id: string;
  code: string;
  title: string;
  domain: string;
  standard: string;
  /** How often this install tagged it, and when last (for "recent and frequent first"). */
  uses: number;
  lastUsed: string | null;
}

export interface PageClip {
  clip: Clip;
  own: boolean;
  authorName: string;
}

/** Reply types, by request name. */
export interface Replies {
  getPageClips: { clips: PageClip[]; criteria: Record<string, { code: string; title: string }> };
  getCriteriaChoices: { frameworkName: string; choices: CriterionChoice[] };
  saveClip: { clip: Clip };
  updateClipTags: { clip: Clip };
  deleteClip: { clip: Clip };
  restoreClip: { clip: Clip };
  moveClip: { clip: Clip };
  reportAnchors: { updated: number };
  saveDraft: { saved: boolean };
  getDraft: { draft: ClipDraft | null };
  joinTeam: { teamName: string; memberName: string; queued: number };
  leaveTeam: { discarded: number };
  syncNow: { state: string; message: string; pushed: number; pulled: number };
  resolveConflict: { resolved: true };
  publishFramework: { seq: number };
  freezeSubmission: { id: string; seq: number };
  deleteSubmission: { seq: number };
  getClipHistory: { entries: ClipHistoryEntry[] };
  getLogHead: { teamId: string; seq: number; hash: string };
  openDocument: { opened: boolean };
  loadClipView: { loaded: true };
}

export type Envelope = { [N in RequestName]: { name: N; body: RequestOf<N> } }[RequestName];

export const envelopeSchema = z.strictObject({
  name: z.enum(Object.keys(requestSchemas) as [RequestName, ...RequestName[]]),
  body: z.unknown(),
});

export { tabCommandSchema } from './tab-command-schema';
export type { TabCommand } from './tab-commands';

export const pageStatusSchema = z.strictObject({
  url: z.string(),
  exact: z.number().int(),
  relocated: z.number().int(),
  lost: z.number().int(),
  /** Timings of the last anchoring pass (ms): text model build, longest uninterrupted slice, total. */
  timings: z.strictObject({ model: z.number(), longestSlice: z.number(), total: z.number() }).optional(),
});
export type PageStatus = z.infer<typeof pageStatusSchema>;

export type Reply<N extends RequestName> = Result<Replies[N]>;
