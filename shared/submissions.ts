// A submission: the team's evidence for one framework frozen under a name and a date, as sent to
// the assessing body. It holds what was true then (the framework's criteria, the self-assessments,
// each included clip with its quote, snapshot, content hash, document details, status and
// criteria) and the hash of the whole set, so its evidence pack can be rebuilt byte for byte at
// any later time. Pure: callers hash with their own SHA-256 over the texts defined here.
import { z } from 'zod';
import { type StaleReason, staleReason } from './coverage';
import { clipContentText } from './exports/evidence-seal';
import { canonicalJson } from './merge';
import { plainTextSchema } from './plain-text';
import {
  type Assessment,
  anchorStatusSchema,
  assessmentSchema,
  authorSchema,
  type Clip,
  clipSchema,
  type Framework,
  frameworkSchema,
  isoDateSchema,
  isoDateTimeSchema,
} from './schemas';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** A clip as it stood when the submission was frozen. */
export const submissionClipSchema = clipSchema
  .omit({ deleted: true, anchor: true, history: true, sync: true })
  .extend({
    /** SHA-256 of the clip's sealed content (shared/exports/evidence-seal.ts `clipContentText`). */
    contentHash: hex64,
    /** Its anchoring status on its page at the freeze ('unknown' when never checked). */
    status: anchorStatusSchema,
    /** The text found on the page at the freeze, when it differed from the quote. */
    found: z.string().max(20_000).optional(),
  });
export type SubmissionClip = z.infer<typeof submissionClipSchema>;

export const frozenAssessmentSchema = assessmentSchema.omit({ sync: true });
export type FrozenAssessment = z.infer<typeof frozenAssessmentSchema>;

/** At most this many clips in one submission (a team's whole library for one framework). */
export const MAX_SUBMISSION_CLIPS = 20_000;

/** The frozen set: what the set hash covers. */
export const submissionSetSchema = z.strictObject({
  framework: frameworkSchema,
  assessments: z.array(frozenAssessmentSchema).max(10_000),
  clips: z.array(submissionClipSchema).max(MAX_SUBMISSION_CLIPS),
});
export type SubmissionSet = z.infer<typeof submissionSetSchema>;

/** A submission as the client sends it (the server adds `createdBy`). */
export const submissionContentSchema = z.strictObject({
  id: z.uuid(),
  name: plainTextSchema(200).trim().min(1),
  /** The instant of the freeze: the pack's generation time, always. */
  frozenAt: isoDateTimeSchema,
  /** The calendar day of the freeze (the day staleness was judged on). */
  day: isoDateSchema,
  set: submissionSetSchema,
  /** SHA-256 of {@link submissionSetText}. */
  setHash: hex64,
});
export type SubmissionContent = z.infer<typeof submissionContentSchema>;

/** A stored submission: the content plus the admin who froze it (stamped by the server). */
export const submissionSchema = submissionContentSchema.extend({ createdBy: authorSchema.optional() });
export type Submission = z.infer<typeof submissionSchema>;

/** The canonical text the set hash is taken over (keys sorted, clips and assessments by id). */
export function submissionSetText(set: SubmissionSet): string {
  return canonicalJson({
    framework: set.framework,
    assessments: [...set.assessments].sort((a, b) => cmp(a.criterionId, b.criterionId)),
    clips: [...set.clips].sort((a, b) => cmp(a.id, b.id)),
  });
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The criterion ids of a framework. */
export function frameworkCriterionIds(framework: Framework): Set<string> {
  return new Set(framework.domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map((c) => c.id))));
}

/**
 * The set to freeze: the framework, the assessments of its criteria, and every live clip tagged
 * with at least one of them, each with its content hash (`hash` is the caller's SHA-256).
 */
export async function freezeSet(input: {
  framework: Framework;
  clips: readonly Clip[];
  assessments: readonly Assessment[];
  hash: (text: string) => Promise<string>;
}): Promise<SubmissionSet> {
  const ids = frameworkCriterionIds(input.framework);
  const live = input.clips.filter((c) => !c.deleted && c.criteria.some((id) => ids.has(id)));
  const clips = await Promise.all(
    live.map(async (c): Promise<SubmissionClip> => {
      const { deleted: _d, anchor, history: _h, sync: _s, ...content } = c;
      return {
        ...content,
        contentHash: await input.hash(clipContentText(c)),
        status: anchor?.status ?? 'unknown',
        ...(anchor?.found !== undefined && anchor.found !== c.quote ? { found: anchor.found } : {}),
      };
    }),
  );
  const assessments = input.assessments.filter((a) => ids.has(a.criterionId)).map(({ sync: _s, ...a }) => a);
  clips.sort((a, b) => cmp(a.id, b.id));
  assessments.sort((a, b) => cmp(a.criterionId, b.criterionId));
  return { framework: input.framework, assessments, clips };
}

/** A frozen clip as a clip again (for the evidence pack and the comparison). */
export function clipOfFrozen(c: SubmissionClip): Clip {
  const { contentHash: _h, status, found, ...content } = c;
  return {
    ...content,
    deleted: false,
    ...(status !== 'unknown'
      ? { anchor: { status, checkedAt: c.updatedAt, ...(found !== undefined ? { found } : {}) } }
      : {}),
  };
}

/** Why a frozen clip was stale on the day of its submission. */
export function frozenStale(c: SubmissionClip, day: string): StaleReason | undefined {
  return staleReason(clipOfFrozen(c), day);
}
