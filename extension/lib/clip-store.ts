// What web pages ask of the clip store, as functions of the database: reads (the page's clips,
// criteria choices) and the writes that start on a page (create, move, anchor reports), which run
// the local-write layer (lib/store/local-writes.ts). The content script never touches IndexedDB.
import { docKey } from '../../shared/doc-key';
import { belongsToPdf } from '../../shared/pdf/pdf-identity';
import type { Author, Clip, Framework } from '../../shared/schemas';
import type { ClipperDb } from './db';
import type { ClipDraft, CriterionChoice, PageClip } from './messaging';
import { extensionWrites } from './store/extension-writes';
import type { AnchorReport } from './store/local-writes';
import { META_KEYS } from './store/rows';

type Usage = Record<string, { uses: number; lastUsed: string }>;

/** This install's author identity; made once, renamed in the dashboard or by joining a team. */
export const getAuthor = (db: ClipperDb): Promise<Author> => extensionWrites(db).getAuthor();

export const setAuthorName = (db: ClipperDb, name: string): Promise<void> =>
  extensionWrites(db).setAuthorName(name);

/**
 * Stores a new clip from a validated draft (lib/store/local-writes.ts `createClip`).
 * @throws ZodError when the draft does not make a valid clip (e.g. a non-http URL).
 */
export const createClip = (db: ClipperDb, draft: ClipDraft, now = new Date()): Promise<Clip> =>
  extensionWrites(db, () => now.toISOString()).createClip(draft);

/**
 * Live (not deleted) clips whose document key matches the page's; for a PDF (`fingerprint`
 * given) also the clips of the same file made at another address.
 */
export async function pageClips(db: ClipperDb, url: string, fingerprint?: string): Promise<PageClip[]> {
  const author = await getAuthor(db);
  const key = docKey(url);
  const clips = fingerprint
    ? await db.clips.filter((c) => belongsToPdf(c, { docKey: key, fingerprint })).toArray()
    : await db.clips.where('docKey').equals(key).toArray();
  return clips
    .filter((c) => !c.deleted)
    .map((clip) => ({ clip, own: clip.createdBy.id === author.id, authorName: clip.createdBy.name }));
}

/** Records where each clip anchored on its page (drives "this page" status and lost → stale). */
export const recordAnchors = (
  db: ClipperDb,
  url: string,
  results: AnchorReport[],
  now = new Date(),
  fingerprint?: string,
): Promise<number> => extensionWrites(db, () => now.toISOString()).recordAnchors(url, results, fingerprint);

/** Criteria of the active framework with this install's usage, recent and frequent first. */
export async function criteriaChoices(db: ClipperDb, framework: Framework): Promise<CriterionChoice[]> {
  const usage = ((await db.meta.get(META_KEYS.criterionUsage))?.value ?? {}) as Usage;
  const choices: CriterionChoice[] = framework.domains.flatMap((d) =>
    d.standards.flatMap((s) =>
      s.criteria.map((c) => ({
        id: c.id,
        code: c.code,
        title: c.title,
        domain: d.title,
        standard: s.title,
        uses: usage[c.id]?.uses ?? 0,
        lastUsed: usage[c.id]?.lastUsed ?? null,
      })),
    ),
  );
  return choices;
}

/** Confirms a relocated clip or re-attaches a lost one: new selectors, old ones kept in history. */
export const moveClip = (
  db: ClipperDb,
  id: string,
  next: { selectors: Clip['selectors']; quote: string; url: string },
  now = new Date(),
): Promise<Clip | undefined> => extensionWrites(db, () => now.toISOString()).moveClip(id, next);

/** The clip `id` when it belongs to the page `url` (a content script may only touch those). */
export async function clipOnPage(db: ClipperDb, url: string, id: string): Promise<Clip | undefined> {
  const clip = await db.clips.get(id);
  return clip && clip.docKey === docKey(url) ? clip : undefined;
}
