// Import of the Hypothesis annotation export (the client's "Export annotations" JSON, the API's
// `{rows}` search answer, or a bare array). Its legacy XPath RangeSelector is kept as a hint; the
// TextQuoteSelector is what anchors. Replies and page notes (no quoted passage) are skipped.
import { z } from 'zod';
import { docKey } from '../doc-key';
import { type Author, type Clip, clipSchema } from '../schemas';
import { stableUuid } from './ids';
import { knownSelectors, normaliseDateTime } from './json-ld';

const hSelectorSchema = z.looseObject({ type: z.string() });
export const hypothesisAnnotationSchema = z.looseObject({
  id: z.string().min(1),
  created: z.string().optional(),
  updated: z.string().optional(),
  user: z.string().optional(),
  uri: z.string(),
  text: z.string().optional(),
  tags: z.array(z.string()).optional(),
  references: z.array(z.string()).optional(),
  target: z.array(
    z.looseObject({ source: z.string().optional(), selector: z.array(hSelectorSchema).optional() }),
  ),
  document: z.looseObject({ title: z.union([z.string(), z.array(z.string())]).optional() }).optional(),
  user_info: z.looseObject({ display_name: z.string().nullable().optional() }).nullable().optional(),
});
export type HypothesisAnnotation = z.infer<typeof hypothesisAnnotationSchema>;

/** The annotation list of a Hypothesis export, or `undefined` when the document is not one. */
export function hypothesisItems(doc: unknown): unknown[] | undefined {
  const looksLike = (a: unknown) =>
    typeof a === 'object' && a !== null && 'uri' in a && 'target' in a && !('type' in a);
  if (Array.isArray(doc)) return doc.length > 0 && doc.every(looksLike) ? doc : undefined;
  if (typeof doc !== 'object' || doc === null) return undefined;
  const o = doc as Record<string, unknown>;
  const items = Array.isArray(o.annotations) ? o.annotations : Array.isArray(o.rows) ? o.rows : undefined;
  if (!items) return undefined;
  if ('export_date' in o || 'client_version' in o || 'total' in o || items.every(looksLike)) return items;
  return undefined;
}

export interface HypothesisContext {
  /** Maps a Hypothesis tag to a criterion id (by code or id), or `undefined`. */
  criterionForTag: (tag: string) => string | undefined;
  now: string;
}

/** Outcome per annotation: a clip, or why it was skipped (not an error: replies and page notes). */
export type HypothesisConversion = { clip: Clip } | { skipped: string };

const USER = /^acct:([^@]+)@(.+)$/;

/**
 * Converts one Hypothesis annotation.
 * @throws Error when the annotation is malformed (the whole import is then refused).
 */
export function hypothesisToClip(raw: unknown, ctx: HypothesisContext): HypothesisConversion {
  const a = hypothesisAnnotationSchema.parse(raw);
  if (a.references?.length) return { skipped: 'reply' };
  const target = a.target[0];
  const selectors = knownSelectors(target?.selector ?? []);
  const quote = selectors.find((s) => s.type === 'TextQuoteSelector');
  if (!quote) return { skipped: 'page note (no quoted passage)' };

  const criteria: string[] = [];
  const otherTags: string[] = [];
  for (const tag of a.tags ?? []) {
    const cid = ctx.criterionForTag(tag);
    if (cid) criteria.push(cid);
    else otherTags.push(tag);
  }
  const note = [a.text ?? '', otherTags.length ? `Hypothesis tags: ${otherTags.join(', ')}` : '']
    .filter(Boolean)
    .join('\n\n');
  const user = a.user ?? 'acct:unknown@hypothes.is';
  const author: Author = {
    id: user,
    name: a.user_info?.display_name || USER.exec(user)?.[1] || user,
  };
  const titles = a.document?.title;
  const title = (Array.isArray(titles) ? titles[0] : titles) ?? '';
  const url = target?.source ?? a.uri;
  const created = normaliseDateTime(a.created, ctx.now);
  return {
    clip: clipSchema.parse({
      id: stableUuid(`hypothesis:${a.id}`),
      url,
      docKey: docKey(url),
      title,
      selectors,
      quote: quote.exact,
      criteria: [...new Set(criteria)],
      note,
      docMeta: {},
      createdBy: author,
      createdAt: created,
      updatedAt: normaliseDateTime(a.updated, created),
      deleted: false,
    } satisfies Clip),
  };
}
