// W3C Web Annotation export and import (https://www.w3.org/TR/annotation-model/): clips as an
// `AnnotationCollection`, criteria as `classifying` bodies with stable ids, the note as a
// `commenting` TextualBody. Fields the model has no place for ride in `qsiClip`, so our own
// export round-trips losslessly while other tools still read a standard document.
import { z } from 'zod';
import { docKey } from '../doc-key';
import { isHttpUrl } from '../safe-url';
import {
  type Author,
  authorSchema,
  type Clip,
  clipSchema,
  docMetaSchema,
  isoDateTimeSchema,
  type Selector,
  selectorSchema,
  snapshotSchema,
} from '../schemas';
import { stableUuid } from './ids';

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
export const QSI_NS = 'https://qsi-evidence-clipper.invalid/ns#';
export const CRITERION_IRI_PREFIX = 'urn:x-qsi-evidence-clipper:criterion:';

/** Stable IRI of a criterion id (`framework:code` → `urn:x-qsi-evidence-clipper:criterion:framework:code`). */
export function criterionIri(id: string): string {
  return CRITERION_IRI_PREFIX + id.split(':').map(encodeURIComponent).join(':');
}

/** The criterion id inside a criterion IRI, or `undefined` for any other IRI. */
export function criterionIdFromIri(iri: string): string | undefined {
  if (!iri.startsWith(CRITERION_IRI_PREFIX)) return undefined;
  try {
    return iri.slice(CRITERION_IRI_PREFIX.length).split(':').map(decodeURIComponent).join(':');
  } catch {
    return undefined;
  }
}

/** What the W3C model cannot carry, kept so that our own export re-imports identically. */
export const qsiClipExtensionSchema = z.strictObject({
  docKey: clipSchema.shape.docKey,
  title: clipSchema.shape.title,
  selectors: clipSchema.shape.selectors,
  docMeta: docMetaSchema,
  snapshot: snapshotSchema.optional(),
  createdBy: authorSchema,
  anchor: clipSchema.shape.anchor,
  history: clipSchema.shape.history,
  sync: clipSchema.shape.sync,
});
export type QsiClipExtension = z.infer<typeof qsiClipExtensionSchema>;

const W3C_SELECTORS = new Set(['TextQuoteSelector', 'TextPositionSelector', 'CssSelector']);

/** One clip as a W3C Annotation. */
export function clipToAnnotation(clip: Clip) {
  const ext: QsiClipExtension = {
    docKey: clip.docKey,
    title: clip.title,
    selectors: clip.selectors,
    docMeta: clip.docMeta,
    createdBy: clip.createdBy,
    ...(clip.snapshot ? { snapshot: clip.snapshot } : {}),
    ...(clip.anchor ? { anchor: clip.anchor } : {}),
    ...(clip.history ? { history: clip.history } : {}),
    ...(clip.sync ? { sync: clip.sync } : {}),
  };
  const body: Record<string, string>[] = clip.criteria.map((id) => ({
    type: 'SpecificResource',
    purpose: 'classifying',
    source: criterionIri(id),
  }));
  if (clip.note)
    body.push({ type: 'TextualBody', purpose: 'commenting', value: clip.note, format: 'text/plain' });
  return {
    id: `urn:uuid:${clip.id}`,
    type: 'Annotation',
    motivation: clip.criteria.length ? 'classifying' : 'highlighting',
    created: clip.createdAt,
    modified: clip.updatedAt,
    creator: { type: 'Person', name: clip.createdBy.name },
    body,
    target: {
      source: clip.url,
      ...(clip.title ? { title: clip.title } : {}),
      selector: clip.selectors.filter((s) => W3C_SELECTORS.has(s.type)),
    },
    qsiClip: ext,
  };
}

/**
 * Live (not deleted) clips as one `AnnotationCollection` with a single embedded page. A clip whose
 * URL is not http(s) (only a tampered database has one) is left out: other tools render `source`
 * as a link, and our own importer refuses the whole file for it.
 */
export function clipsToAnnotationCollection(clips: readonly Clip[], generated: string, label: string) {
  const items = clips.filter((c) => !c.deleted && isHttpUrl(c.url)).map(clipToAnnotation);
  return {
    '@context': [ANNO_CONTEXT, { qsi: QSI_NS, qsiClip: { '@id': 'qsi:clip', '@type': '@json' } }],
    type: 'AnnotationCollection',
    label,
    generated,
    generator: { type: 'Software', name: 'QSI Evidence Clipper' },
    total: items.length,
    first: { type: 'AnnotationPage', startIndex: 0, items },
  };
}

// ---------------------------------------------------------------- import

const looseSelectorSchema = z.looseObject({ type: z.string() });
const bodySchema = z.looseObject({
  type: z.string().optional(),
  purpose: z.string().optional(),
  source: z.string().optional(),
  id: z.string().optional(),
  value: z.string().optional(),
});
const targetSchema = z.union([
  z.string(),
  z.looseObject({
    source: z.string().optional(),
    id: z.string().optional(),
    title: z.string().optional(),
    selector: z.union([looseSelectorSchema, z.array(looseSelectorSchema)]).optional(),
  }),
]);
const one = <T extends z.ZodType>(s: T) => z.union([s, z.array(s)]);

export const annotationInputSchema = z.looseObject({
  id: z.string().optional(),
  type: z.union([z.string(), z.array(z.string())]),
  created: z.string().optional(),
  modified: z.string().optional(),
  creator: z
    .union([z.string(), z.looseObject({ id: z.string().optional(), name: z.string().optional() })])
    .optional(),
  body: one(z.union([z.string(), bodySchema])).optional(),
  bodyValue: z.string().optional(),
  target: one(targetSchema),
  qsiClip: z.unknown().optional(),
});
export type AnnotationInput = z.infer<typeof annotationInputSchema>;

export interface ConvertContext {
  /** Used when an annotation names no creator. */
  author: Author;
  /** Used when an annotation carries no date. */
  now: string;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A date-time as our schema wants it (`…Z` or with offset); other parseable dates normalised. */
export function normaliseDateTime(value: string | undefined, fallback: string): string {
  if (value && isoDateTimeSchema.safeParse(value).success) return value;
  if (value) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  return fallback;
}

/** Keeps the selectors our schema knows; drops the rest (e.g. FragmentSelector, XPathSelector). */
export function knownSelectors(raw: readonly unknown[]): Selector[] {
  const out: Selector[] = [];
  for (const s of raw) {
    const parsed = selectorSchema.safeParse(s);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/**
 * Converts one W3C annotation to a clip. Criteria come from `classifying` bodies whose source is
 * one of our criterion IRIs (other classifying/tagging bodies become note lines).
 * @throws Error with a readable reason when the annotation cannot become a clip.
 */
export function annotationToClip(input: AnnotationInput, ctx: ConvertContext): Clip {
  const target = list(input.target)[0];
  if (target === undefined) throw new Error('has no target');
  const url = typeof target === 'string' ? target : (target.source ?? target.id);
  if (!url) throw new Error('target has no source URL');
  const selectors = typeof target === 'string' ? [] : knownSelectors(list(target.selector));
  const quoteSel = selectors.find((s) => s.type === 'TextQuoteSelector');
  if (!quoteSel) throw new Error('has no TextQuoteSelector (only passages can be imported)');

  const criteria: string[] = [];
  const notes: string[] = [];
  const tags: string[] = [];
  for (const b of list(input.body)) {
    if (typeof b === 'string') {
      const cid = criterionIdFromIri(b);
      if (cid) criteria.push(cid);
      continue;
    }
    const cid = b.source ? criterionIdFromIri(b.source) : b.id ? criterionIdFromIri(b.id) : undefined;
    if (cid) criteria.push(cid);
    else if (b.value !== undefined && (b.purpose === 'tagging' || b.purpose === 'classifying'))
      tags.push(b.value);
    else if (b.value !== undefined) notes.push(b.value);
  }
  if (input.bodyValue) notes.push(input.bodyValue);
  if (tags.length) notes.push(`Tags: ${tags.join(', ')}`);

  const rawId = input.id ?? '';
  const uuidMatch = /^urn:uuid:([0-9a-f-]{36})$/i.exec(rawId);
  const id = uuidMatch?.[1]?.toLowerCase() ?? stableUuid(rawId || `${url}\u0000${quoteSel.exact}`);
  const created = normaliseDateTime(input.created, ctx.now);
  const creator = input.creator;
  const author: Author =
    typeof creator === 'string'
      ? { id: creator, name: creator }
      : creator
        ? {
            id: creator.id ?? creator.name ?? ctx.author.id,
            name: creator.name ?? creator.id ?? ctx.author.name,
          }
        : ctx.author;

  const base: Clip = {
    id,
    url,
    docKey: docKey(url),
    title: typeof target === 'string' ? '' : (target.title ?? ''),
    selectors,
    quote: quoteSel.exact,
    criteria: [...new Set(criteria)],
    note: notes.join('\n\n'),
    docMeta: {},
    createdBy: author,
    createdAt: created,
    updatedAt: normaliseDateTime(input.modified, created),
    deleted: false,
  };
  const ext = qsiClipExtensionSchema.safeParse(input.qsiClip);
  const clip: Clip = ext.success ? { ...base, ...stripUndefined(ext.data) } : base;
  return clipSchema.parse(clip);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The annotations of a collection, a page, a single annotation or a plain array of them. */
export function annotationItems(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc;
  if (typeof doc !== 'object' || doc === null) return undefined;
  const o = doc as Record<string, unknown>;
  const types = list(o.type as string | string[] | undefined);
  if (types.includes('Annotation')) return [doc];
  if (types.includes('AnnotationPage')) return Array.isArray(o.items) ? o.items : [];
  if (types.includes('AnnotationCollection')) {
    const first = o.first;
    if (typeof first === 'object' && first !== null) {
      const items = (first as Record<string, unknown>).items;
      return Array.isArray(items) ? items : [];
    }
    return [];
  }
  return undefined;
}

/** Is this parsed JSON a W3C annotation document? */
export function isW3cAnnotationDocument(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null) return false;
  const items = annotationItems(doc);
  if (!items) return false;
  if (Array.isArray(doc)) {
    return (
      items.length > 0 &&
      items.every(
        (i) => typeof i === 'object' && i !== null && (i as { type?: unknown }).type === 'Annotation',
      )
    );
  }
  return true;
}
