// Domain model: the one source of types for clips, frameworks and assessments (docs/architecture.md).
// Pure zod; every trust boundary (storage reads, messages, HTTP) parses through these.
import { z } from 'zod';
import { LIMITS } from './limits';

/** Calendar date, `YYYY-MM-DD` (document review dates, due dates). */
export const isoDateSchema = z.iso.date();
/** Instant with offset, e.g. `2026-11-29T16:25:06.000Z`. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

export { LIMITS } from './limits';

const shortText = z.string().max(LIMITS.shortText);

// ---------------------------------------------------------------- selectors (W3C Web Annotation)

export const textQuoteSelectorSchema = z.object({
  type: z.literal('TextQuoteSelector'),
  exact: z.string().min(1).max(LIMITS.quote),
  prefix: z.string().max(LIMITS.context).optional(),
  suffix: z.string().max(LIMITS.context).optional(),
  /** The quote stood exactly once in the text when the clip was made (an extension of ours). */
  unique: z.boolean().optional(),
});
export type TextQuoteSelector = z.infer<typeof textQuoteSelectorSchema>;

export const textPositionSelectorSchema = z.object({
  type: z.literal('TextPositionSelector'),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type TextPositionSelector = z.infer<typeof textPositionSelectorSchema>;

/** A structural hint: CSS selector of the element enclosing the passage. */
export const cssSelectorSchema = z.object({
  type: z.literal('CssSelector'),
  value: z.string().min(1).max(LIMITS.longText),
});
export type CssSelector = z.infer<typeof cssSelectorSchema>;

/**
 * The legacy XPath range form (Hypothesis's): element paths from the content root and offsets in
 * those elements' textContent. Imported from Hypothesis, or made by this extension at clip time
 * (`madeBy`) for the fast path, where it is only a place to check the quote first — never relied
 * upon alone. Without `madeBy`, a clip's TextPositionSelector counts raw textContent (Hypothesis);
 * with it, offsets in the normalised text model.
 */
export const rangeSelectorSchema = z.object({
  type: z.literal('RangeSelector'),
  startContainer: z.string().max(LIMITS.longText),
  startOffset: z.number().int().nonnegative(),
  endContainer: z.string().max(LIMITS.longText),
  endOffset: z.number().int().nonnegative(),
  madeBy: z.literal('qsi-evidence-clipper').optional(),
});
export type RangeSelector = z.infer<typeof rangeSelectorSchema>;

/** Content fingerprint of a file (PDF, Word document): lowercase hex SHA-256 of its bytes. */
export const pdfFingerprintSchema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * PDF page hint: zero-based page index where the passage starts, in the file whose
 * fingerprint is given (a page number only holds for one version of a file). A clip with a
 * PageSelector is a PDF clip; its quote and position index the whole document's text.
 */
export const pageSelectorSchema = z.object({
  type: z.literal('PageSelector'),
  index: z.number().int().nonnegative(),
  label: z.string().max(64).optional(),
  fingerprint: pdfFingerprintSchema.optional(),
});
export type PageSelector = z.infer<typeof pageSelectorSchema>;

/**
 * File hint for a document opened from a file other than a PDF (a Word document): its format and
 * the fingerprint of the file it was clipped in. A clip with a FileSelector belongs to that file
 * wherever it is reached from; its quote and position index the rendered document's text.
 */
export const fileSelectorSchema = z.object({
  type: z.literal('FileSelector'),
  format: z.enum(['docx']),
  fingerprint: pdfFingerprintSchema,
});
export type FileSelector = z.infer<typeof fileSelectorSchema>;

export const selectorSchema = z.discriminatedUnion('type', [
  textQuoteSelectorSchema,
  textPositionSelectorSchema,
  cssSelectorSchema,
  rangeSelectorSchema,
  pageSelectorSchema,
  fileSelectorSchema,
]);
export type Selector = z.infer<typeof selectorSchema>;

// ---------------------------------------------------------------- frameworks

/** Framework, domain and standard ids: lowercase slugs. */
export const slugSchema = z
  .string()
  .min(1)
  .max(LIMITS.code * 2)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lowercase letters, digits, ".", "_" or "-"');

/** Criterion codes as the catalogue prints them, e.g. `DEMO-LM-01`. */
export const criterionCodeSchema = z
  .string()
  .trim()
  .min(1, 'code is empty')
  .max(LIMITS.code)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N}._()/-]*$/u,
    'code may contain letters, digits, ".", "_", "-", "/", "(", ")"',
  );

/** Stable criterion id: `<frameworkId>:<code>`; never the title. */
export const criterionIdSchema = z.string().min(3).max(LIMITS.id);
export type CriterionId = z.infer<typeof criterionIdSchema>;

export function criterionId(frameworkId: string, code: string): CriterionId {
  return `${frameworkId}:${code}`;
}

export const criterionSchema = z.strictObject({
  id: criterionIdSchema,
  code: criterionCodeSchema,
  title: z.string().trim().min(1, 'title is empty').max(LIMITS.title),
  guidance: z.string().max(LIMITS.longText).optional(),
});
export type Criterion = z.infer<typeof criterionSchema>;

export const standardSchema = z.strictObject({
  id: slugSchema,
  code: z.string().max(LIMITS.code).optional(),
  title: z.string().trim().min(1, 'title is empty').max(LIMITS.title),
  criteria: z.array(criterionSchema).max(5_000),
});
export type Standard = z.infer<typeof standardSchema>;

export const domainSchema = z.strictObject({
  id: slugSchema,
  code: z.string().max(LIMITS.code).optional(),
  title: z.string().trim().min(1, 'title is empty').max(LIMITS.title),
  standards: z.array(standardSchema).max(1_000),
});
export type Domain = z.infer<typeof domainSchema>;

export const FRAMEWORK_FORMAT = 'qsi-evidence-clipper/framework@1' as const;

/**
 * A criteria catalogue (documented in docs/framework-format.md).
 * `notice` is shown to users wherever the framework is chosen (e.g. "demo data, not QSI").
 */
export const frameworkSchema = z
  .strictObject({
    format: z.literal(FRAMEWORK_FORMAT),
    id: slugSchema,
    name: z.string().trim().min(1).max(LIMITS.title),
    edition: z.string().max(LIMITS.shortText).optional(),
    source: z.string().max(LIMITS.longText).optional(),
    notice: z.string().max(LIMITS.longText).optional(),
    domains: z.array(domainSchema).max(200),
  })
  .superRefine((fw, ctx) => {
    const seen = new Map<string, string>();
    fw.domains.forEach((d, di) => {
      d.standards.forEach((s, si) => {
        s.criteria.forEach((c, ci) => {
          const path = ['domains', di, 'standards', si, 'criteria', ci];
          if (c.id !== criterionId(fw.id, c.code)) {
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'id'],
              message: `criterion id must be "${criterionId(fw.id, c.code)}"`,
            });
          }
          const prior = seen.get(c.code);
          if (prior) {
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'code'],
              message: `duplicate criterion code "${c.code}" (first at ${prior})`,
            });
          } else seen.set(c.code, path.join('.'));
        });
      });
    });
  });
export type Framework = z.infer<typeof frameworkSchema>;

// ---------------------------------------------------------------- clips

export const docMetaSchema = z.strictObject({
  documentId: shortText.optional(),
  version: shortText.optional(),
  owner: shortText.optional(),
  approvedOn: isoDateSchema.optional(),
  reviewDue: isoDateSchema.optional(),
});
export type DocMeta = z.infer<typeof docMetaSchema>;

export const snapshotSchema = z.strictObject({
  text: z.string().max(LIMITS.snapshot),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const authorSchema = z.strictObject({
  id: z.string().max(LIMITS.id),
  name: shortText,
});
export type Author = z.infer<typeof authorSchema>;

export const anchorStatusSchema = z.enum(['exact', 'relocated', 'lost', 'unknown']);
export type AnchorStatus = z.infer<typeof anchorStatusSchema>;

const httpUrlSchema = z
  .string()
  .max(LIMITS.url)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an http(s) URL');

/** A clipped passage tagged as evidence for criteria. */
export const clipSchema = z.strictObject({
  id: z.uuid(),
  url: httpUrlSchema,
  docKey: z.string().min(1).max(LIMITS.url),
  title: z.string().max(LIMITS.title),
  selectors: z.array(selectorSchema).min(1).max(10),
  quote: z.string().min(1).max(LIMITS.quote),
  criteria: z.array(criterionIdSchema).max(LIMITS.criteriaPerClip),
  note: z.string().max(LIMITS.note),
  docMeta: docMetaSchema,
  snapshot: snapshotSchema.optional(),
  createdBy: authorSchema,
  /** The member who last wrote the clip (set by the server; absent on clips not yet synced). */
  updatedBy: authorSchema.optional(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  deleted: z.boolean(),
  /** Last anchoring outcome on the live page (local bookkeeping; not synced). */
  anchor: z
    .strictObject({
      status: anchorStatusSchema,
      checkedAt: isoDateTimeSchema,
      /** The text found now, when it differs from the quote (a "moved or changed" clip's diff). */
      found: z.string().max(LIMITS.quote).optional(),
    })
    .optional(),
  /** Earlier selector sets, kept when a relocation is confirmed or the clip re-attached. */
  history: z
    .array(z.strictObject({ selectors: z.array(selectorSchema), replacedAt: isoDateTimeSchema }))
    .max(50)
    .optional(),
  /** Sync bookkeeping: server sequence number and per-field versions (docs/architecture.md, "Sync"). */
  sync: z
    .strictObject({ seq: z.number().int().nonnegative(), versions: z.record(z.string(), z.number().int()) })
    .optional(),
});
export type Clip = z.infer<typeof clipSchema>;

// ---------------------------------------------------------------- assessments

export const ratingSchema = z.enum(['red', 'amber', 'green', 'n/a', 'unrated']);
export type Rating = z.infer<typeof ratingSchema>;

/** Per-criterion self-assessment (one per criterion per team). */
export const assessmentSchema = z.strictObject({
  criterionId: criterionIdSchema,
  rating: ratingSchema,
  owner: shortText,
  action: z.string().max(LIMITS.longText),
  dueDate: isoDateSchema.optional(),
  comment: z.string().max(LIMITS.longText),
  updatedAt: isoDateTimeSchema,
  updatedBy: authorSchema.optional(),
  sync: z
    .strictObject({ seq: z.number().int().nonnegative(), versions: z.record(z.string(), z.number().int()) })
    .optional(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

export function emptyAssessment(criterionId: CriterionId, now: string): Assessment {
  return { criterionId, rating: 'unrated', owner: '', action: '', comment: '', updatedAt: now };
}
