// One entry point for every importable file: detects the format, converts and validates every
// record first, and returns either a complete plan or one clear error. Nothing is written here;
// extension/lib/mutations.ts applies a plan in a single transaction (all or nothing).
import type { z } from 'zod';
import type { Assessment, Author, Clip, Framework } from '../schemas';
import { BACKUP_FORMAT, type Backup, backupSchema } from './backup';
import { hypothesisItems, hypothesisToClip } from './hypothesis';
import { annotationInputSchema, annotationItems, annotationToClip, isW3cAnnotationDocument } from './json-ld';

export type ImportFormat = 'backup' | 'w3c' | 'hypothesis';

export interface ImportPlan {
  format: ImportFormat;
  clips: Clip[];
  assessments: Assessment[];
  frameworks: Framework[];
  activeFrameworkId?: string;
  /** Records deliberately left out (e.g. Hypothesis replies), with the reason, for the report. */
  skipped: { index: number; reason: string }[];
}

export type ImportParse = { ok: true; plan: ImportPlan } | { ok: false; error: string };

export interface ImportContext {
  author: Author;
  now: string;
  criterionForTag: (tag: string) => string | undefined;
}

export const FORMAT_LABEL: Record<ImportFormat, string> = {
  backup: 'QSI Evidence Clipper backup',
  w3c: 'W3C Web Annotation (JSON-LD)',
  hypothesis: 'Hypothesis export',
};

/** First few zod issues as one sentence, with their paths. */
export function describeZodError(error: z.ZodError, limit = 3): string {
  const parts = error.issues.slice(0, limit).map((i) => {
    const path = i.path.length ? i.path.map(String).join('.') : '(top level)';
    return `${path}: ${i.message}`;
  });
  const more = error.issues.length > limit ? ` (and ${error.issues.length - limit} more problems)` : '';
  return parts.join('; ') + more;
}

function isZodError(e: unknown): e is z.ZodError {
  return typeof e === 'object' && e !== null && 'issues' in e && Array.isArray((e as z.ZodError).issues);
}
const reason = (e: unknown) =>
  isZodError(e) ? describeZodError(e) : e instanceof Error ? e.message : String(e);

/** Checks that no two records share an id (a file that says two things about one clip is malformed). */
function duplicateId(clips: readonly Clip[]): string | undefined {
  const seen = new Set<string>();
  for (const c of clips) {
    if (seen.has(c.id)) return c.id;
    seen.add(c.id);
  }
  return undefined;
}

/**
 * Parses an import file's text.
 * 1. JSON syntax; 2. format detection (backup, W3C, Hypothesis); 3. every record converted and
 * validated; any malformed record refuses the whole file, naming the record and the field.
 */
export function parseImportFile(text: string, ctx: ImportContext): ImportParse {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return {
      ok: false,
      error: `This file is not valid JSON (${e instanceof Error ? e.message : String(e)}).`,
    };
  }

  if (typeof doc === 'object' && doc !== null && 'format' in doc) {
    const format = (doc as { format: unknown }).format;
    if (format !== BACKUP_FORMAT) {
      return {
        ok: false,
        error: `Unsupported backup format "${String(format)}": this version reads "${BACKUP_FORMAT}".`,
      };
    }
    const parsed = backupSchema.safeParse(doc);
    if (!parsed.success)
      return { ok: false, error: `The backup is damaged: ${describeZodError(parsed.error)}.` };
    const b: Backup = parsed.data;
    const dup = duplicateId(b.clips);
    if (dup) return { ok: false, error: `The backup lists clip ${dup} twice.` };
    return {
      ok: true,
      plan: {
        format: 'backup',
        clips: b.clips,
        assessments: b.assessments,
        frameworks: b.frameworks,
        ...(b.activeFrameworkId ? { activeFrameworkId: b.activeFrameworkId } : {}),
        skipped: [],
      },
    };
  }

  const hItems = hypothesisItems(doc);
  if (hItems) {
    const clips: Clip[] = [];
    const skipped: ImportPlan['skipped'] = [];
    for (const [index, raw] of hItems.entries()) {
      try {
        const r = hypothesisToClip(raw, ctx);
        if ('clip' in r) clips.push(r.clip);
        else skipped.push({ index, reason: r.skipped });
      } catch (e) {
        return { ok: false, error: `Hypothesis annotation ${index + 1} is malformed: ${reason(e)}.` };
      }
    }
    const dup = duplicateId(clips);
    if (dup) return { ok: false, error: `The file contains the same Hypothesis annotation twice (${dup}).` };
    return { ok: true, plan: { format: 'hypothesis', clips, assessments: [], frameworks: [], skipped } };
  }

  if (isW3cAnnotationDocument(doc)) {
    const items = annotationItems(doc) ?? [];
    const clips: Clip[] = [];
    for (const [index, raw] of items.entries()) {
      const parsed = annotationInputSchema.safeParse(raw);
      const label = `Annotation ${index + 1}`;
      if (!parsed.success)
        return { ok: false, error: `${label} is malformed: ${describeZodError(parsed.error)}.` };
      try {
        clips.push(annotationToClip(parsed.data, ctx));
      } catch (e) {
        const id = parsed.data.id ? ` (${parsed.data.id})` : '';
        return { ok: false, error: `${label}${id} cannot be imported: ${reason(e)}.` };
      }
    }
    const dup = duplicateId(clips);
    if (dup) return { ok: false, error: `The file contains annotation ${dup} twice.` };
    return { ok: true, plan: { format: 'w3c', clips, assessments: [], frameworks: [], skipped: [] } };
  }

  return {
    ok: false,
    error:
      'Unrecognised file. Expected a QSI Evidence Clipper backup, a W3C Web Annotation file (AnnotationCollection, AnnotationPage or Annotation) or a Hypothesis JSON export.',
  };
}
