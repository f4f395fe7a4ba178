// Clip writes that start on a web page (create, move, anchor reports), each one Dexie
// transaction in the background. The content script never touches IndexedDB.
import { docKey } from '../../shared/doc-key';
import { fileFingerprintOf } from '../../shared/file-identity';
import { belongsToPdf } from '../../shared/pdf/pdf-identity';
import type { Author, Clip, Framework } from '../../shared/schemas';
import { clipSchema } from '../../shared/schemas';
import type { ClipperDb } from './db';
import type { ClipDraft, CriterionChoice, PageClip } from './messaging';
import { requestSync } from './sync/background-sync';
import { enqueueClipChange, outboxTables } from './sync/outbox';

const AUTHOR_KEY = 'author';
const USAGE_KEY = 'criterionUsage';

type Usage = Record<string, { uses: number; lastUsed: string }>;

/** Lowercase hex SHA-256 of UTF-8 text (Web Crypto; available in the service worker and pages). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** This install's author identity; made once, renamed in the dashboard or by joining a team. */
export async function getAuthor(db: ClipperDb): Promise<Author> {
  const row = await db.meta.get(AUTHOR_KEY);
  const value = row?.value as Partial<Author> | undefined;
  if (value && typeof value.id === 'string' && typeof value.name === 'string')
    return { id: value.id, name: value.name };
  const author = { id: crypto.randomUUID(), name: 'Me' };
  await db.meta.put({ key: AUTHOR_KEY, value: author });
  return author;
}

export async function setAuthorName(db: ClipperDb, name: string): Promise<void> {
  const author = await getAuthor(db);
  await db.meta.put({ key: AUTHOR_KEY, value: { ...author, name: name.trim().slice(0, 200) || 'Me' } });
}

/**
 * Stores a new clip from a validated draft: selectors, quote, normalised document key, snapshot
 * with its hash, author and timestamps — and bumps criterion usage — in one transaction.
 * @throws ZodError when the draft does not make a valid clip (e.g. a non-http URL).
 */
export async function createClip(db: ClipperDb, draft: ClipDraft, now = new Date()): Promise<Clip> {
  const author = await getAuthor(db);
  const sha256 = await sha256Hex(draft.snapshotText);
  const at = now.toISOString();
  const clip = clipSchema.parse({
    id: crypto.randomUUID(),
    url: draft.url,
    docKey: docKey(draft.url),
    title: draft.title,
    selectors: draft.selectors,
    quote: draft.quote,
    criteria: [...new Set(draft.criteria)],
    note: draft.note,
    docMeta: draft.docMeta,
    snapshot: { text: draft.snapshotText, sha256 },
    createdBy: author,
    createdAt: at,
    updatedAt: at,
    deleted: false,
    anchor: { status: 'exact', checkedAt: at },
  });
  await db.transaction('rw', [db.clips, ...outboxTables(db)], async () => {
    await db.clips.add(clip);
    await enqueueClipChange(db, undefined, clip);
    const usage = ((await db.meta.get(USAGE_KEY))?.value ?? {}) as Usage;
    for (const c of clip.criteria) usage[c] = { uses: (usage[c]?.uses ?? 0) + 1, lastUsed: at };
    await db.meta.put({ key: USAGE_KEY, value: usage });
  });
  requestSync();
  return clip;
}

/**
 * Live (not deleted) clips whose document key matches the page's; for a PDF (`fingerprint`
 * given) also the clips of the same file made at another address (issue #9).
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
export async function recordAnchors(
  db: ClipperDb,
  url: string,
  results: { id: string; status: 'exact' | 'relocated' | 'lost' | 'unknown' }[],
  now = new Date(),
  fingerprint?: string,
): Promise<number> {
  const key = docKey(url);
  const mine = (c: Clip) => (fingerprint ? belongsToPdf(c, { docKey: key, fingerprint }) : c.docKey === key);
  const checkedAt = now.toISOString();
  let updated = 0;
  await db.transaction('rw', db.clips, async () => {
    for (const r of results) {
      const clip = await db.clips.get(r.id);
      if (!clip || !mine(clip) || clip.anchor?.status === r.status) continue;
      await db.clips.update(r.id, { anchor: { status: r.status, checkedAt } });
      updated += 1;
    }
  });
  return updated;
}

/** Criteria of the active framework with this install's usage, recent and frequent first. */
export async function criteriaChoices(db: ClipperDb, framework: Framework): Promise<CriterionChoice[]> {
  const usage = ((await db.meta.get(USAGE_KEY))?.value ?? {}) as Usage;
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
export async function moveClip(
  db: ClipperDb,
  id: string,
  next: { selectors: Clip['selectors']; quote: string; url: string },
  now = new Date(),
): Promise<Clip | undefined> {
  const at = now.toISOString();
  const moved = await db.transaction('rw', [db.clips, ...outboxTables(db)], async () => {
    const clip = await db.clips.get(id);
    if (!clip || clip.deleted || !sameDocument(clip, next)) return undefined;
    const history = [...(clip.history ?? []), { selectors: clip.selectors, replacedAt: at }].slice(-50);
    const updated = clipSchema.parse({
      ...clip,
      selectors: next.selectors,
      quote: next.quote,
      history,
      updatedAt: at,
      anchor: { status: 'exact', checkedAt: at },
    });
    await db.clips.put(updated);
    await enqueueClipChange(db, clip, updated);
    return updated;
  });
  if (moved) requestSync();
  return moved;
}

/** A move stays in the clip's document: same address, or (PDF) the same file at another one. */
function sameDocument(clip: Clip, next: { selectors: Clip['selectors']; url: string }): boolean {
  const fingerprint = fileFingerprintOf(next.selectors);
  const key = docKey(next.url);
  return fingerprint ? belongsToPdf(clip, { docKey: key, fingerprint }) : clip.docKey === key;
}

/** The clip `id` when it belongs to the page `url` (a content script may only touch those). */
export async function clipOnPage(db: ClipperDb, url: string, id: string): Promise<Clip | undefined> {
  const clip = await db.clips.get(id);
  return clip && clip.docKey === docKey(url) ? clip : undefined;
}
