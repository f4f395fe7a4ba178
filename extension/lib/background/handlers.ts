// The background's message handlers, one per request name (refined-github style). Each gets a
// validated body and the sender's page URL; replies are Results.
import type { Runtime } from 'webextension-polyfill';
import browser from 'webextension-polyfill';
import { docKey } from '../../../shared/doc-key';
import { err, ok, type Result } from '../../../shared/errors';
import { pageSelectorOf } from '../../../shared/pdf/pdf-identity';
import { hasControlChars } from '../../../shared/plain-text';
import type { Clip } from '../../../shared/schemas';
import { clipOnPage, createClip, criteriaChoices, moveClip, pageClips, recordAnchors } from '../clip-store';
import type { ClipperDb } from '../db';
import { openDocumentFromPage } from '../docx/docx-routing';
import { getActiveFramework } from '../frameworks';
import { readManagedPolicy } from '../managed/apply-policy';
import {
  type ClipDraft,
  clipDraftSchema,
  EXTENSION_PAGE_ONLY,
  envelopeSchema,
  type Replies,
  type RequestName,
  type RequestOf,
  requestSchemas,
} from '../messaging';
import { deleteClips, undoChange, updateClip } from '../mutations';
import { markTeamServerOrigin } from '../origin-grants';
import { META_KEYS } from '../store/rows';
import { buildSubmission } from '../submissions/freeze';
import type { SyncControls } from '../sync/background-sync';
import { readTeam } from '../sync/state';
import { injectClipView } from './content-injection';

export interface HandlerContext {
  db: ClipperDb;
  /** Team sync controls (absent in tests that do not sync). */
  sync?: SyncControls;
  /** URL of the sending frame when a content script sent the request; null for extension pages. */
  pageUrl: string | null;
  /** The sender's tab, when it is in one. */
  tab?: { id: number; index: number };
  /** The sender's frame in that tab. */
  frameId?: number;
}

type Handler<N extends RequestName> = (
  body: RequestOf<N>,
  ctx: HandlerContext,
) => Promise<Result<Replies[N]>>;

const notFound = (what: string) => err('not_found', `${what} not found on this page`);

/**
 * A PDF fingerprint widens a request from "this address" to "this file wherever it was opened".
 * Only the extension's own viewer (an extension page) computes it from the bytes it shows; a web
 * page's content script could send any fingerprint and reach clips of a file on another site.
 */
const pdfFromPage = (ctx: HandlerContext, fingerprint: string | undefined) =>
  ctx.pageUrl !== null && fingerprint !== undefined;
const pdfOnlyInViewer = () => err('forbidden', 'Only the extension’s PDF viewer can ask by file.');

/** A content script may only act on its own page's clips. */
function samePage(ctx: HandlerContext, url: string): boolean {
  if (ctx.pageUrl === null) return true;
  try {
    return docKey(ctx.pageUrl) === docKey(url);
  } catch {
    return false;
  }
}

// Drafts live in the extension-origin IndexedDB, not storage.local: content scripts can read
// storage.local, so a compromised page could read another page's half-typed note.
const DRAFT_PREFIX = META_KEYS.draftPrefix;

/** The clip when the sender may act on it: any clip for extension pages, its own page's for content. */
const ownClip = (ctx: HandlerContext, id: string) =>
  ctx.pageUrl === null ? ctx.db.clips.get(id) : clipOnPage(ctx.db, ctx.pageUrl, id);

async function found(ctx: HandlerContext, id: string): Promise<Result<{ clip: Clip }>> {
  const clip = await ctx.db.clips.get(id);
  return clip ? ok({ clip }) : notFound('Clip');
}

const handlers: { [N in RequestName]: Handler<N> } = {
  async getPageClips({ url, fingerprint }, ctx) {
    // Without this a page's script could read every other page's clips (notes, team names).
    if (!samePage(ctx, url)) return err('forbidden', 'A page can only read its own clips.');
    if (pdfFromPage(ctx, fingerprint)) return pdfOnlyInViewer();
    const { db } = ctx;
    const criteria: Record<string, { code: string; title: string }> = {};
    for (const fw of await db.frameworks.toArray()) {
      for (const d of fw.domains)
        for (const s of d.standards)
          for (const c of s.criteria) criteria[c.id] = { code: c.code, title: c.title };
    }
    return ok({ clips: await pageClips(db, url, fingerprint), criteria });
  },
  async getCriteriaChoices(_body, { db }) {
    const framework = await getActiveFramework(db);
    if (!framework) return err('not_found', 'No framework is installed. Import one in the dashboard.');
    return ok({ frameworkName: framework.name, choices: await criteriaChoices(db, framework) });
  },
  async saveClip({ draft }, ctx) {
    if (!samePage(ctx, draft.url)) return err('forbidden', 'A page can only clip its own text.');
    const quote = draft.quote.trim();
    if (!quote) return err('bad_request', 'The selection is empty: select some text to clip.');
    if (draft.criteria.length === 0) return err('bad_request', 'Choose at least one criterion.');
    if (!/^https?:/i.test(draft.url))
      return err('bad_request', 'Only web pages (http or https) can be clipped.');
    const clip = await createClip(ctx.db, { ...draft, quote: draft.quote });
    await ctx.db.meta.delete(DRAFT_PREFIX + clip.docKey);
    return ok({ clip });
  },
  async updateClipTags({ id, criteria, note, docMeta }, ctx) {
    if (!(await ownClip(ctx, id))) return notFound('Clip');
    await updateClip(ctx.db, id, { criteria, note, docMeta });
    return found(ctx, id);
  },
  async deleteClip({ id }, ctx) {
    const clip = await ownClip(ctx, id);
    if (!clip || clip.deleted) return notFound('Clip');
    await deleteClips(ctx.db, [id]);
    return found(ctx, id);
  },
  async restoreClip({ id }, ctx) {
    const clip = await ownClip(ctx, id);
    if (!clip) return notFound('Clip');
    await undoChange(ctx.db, { label: 'Restored 1 clip', previous: [{ ...clip, deleted: false }] });
    return found(ctx, id);
  },
  async moveClip({ id, selectors, quote, url }, ctx) {
    if (!samePage(ctx, url)) return err('forbidden', 'A page can only move its own clips.');
    // A page selector's fingerprint would let the move match a PDF clip of another address.
    if (pdfFromPage(ctx, pageSelectorOf(selectors)?.fingerprint)) return pdfOnlyInViewer();
    if (!(await ownClip(ctx, id))) return notFound('Clip');
    const clip = await moveClip(ctx.db, id, { selectors, quote, url });
    return clip ? ok({ clip }) : notFound('Clip');
  },
  async reportAnchors({ url, fingerprint, results }, ctx) {
    if (!samePage(ctx, url)) return err('forbidden', 'A page can only report its own clips.');
    if (pdfFromPage(ctx, fingerprint)) return pdfOnlyInViewer();
    return ok({ updated: await recordAnchors(ctx.db, url, results, new Date(), fingerprint) });
  },
  async saveDraft({ url, draft }, ctx) {
    if (!samePage(ctx, url)) return err('forbidden', 'A page can only keep its own draft.');
    const key = DRAFT_PREFIX + docKey(url);
    if (draft) await ctx.db.meta.put({ key, value: draft });
    else await ctx.db.meta.delete(key);
    return ok({ saved: true });
  },
  async getDraft({ url }, ctx) {
    if (!samePage(ctx, url)) return err('forbidden', 'A page can only read its own draft.');
    const key = DRAFT_PREFIX + docKey(url);
    const stored = (await ctx.db.meta.get(key))?.value;
    const parsed = clipDraftSchema.safeParse(stored);
    return ok({ draft: parsed.success ? (parsed.data as ClipDraft) : null });
  },
  async joinTeam({ serverUrl: typed, inviteCode: typedCode, displayName, deviceLabel, managed }, { sync }) {
    if (!sync) return noSync;
    // The managed team's invite stays in the background: the page sends only the user's name.
    let serverUrl = typed;
    let inviteCode = typedCode;
    if (managed) {
      const { policy } = await readManagedPolicy();
      if (!policy.serverUrl || !policy.inviteCode)
        return err('not_found', 'Your organisation has not set a team to join.');
      serverUrl = policy.serverUrl;
      inviteCode = policy.inviteCode;
    }
    const joined = await sync.join(serverUrl, inviteCode, displayName, deviceLabel);
    if (!joined.ok) return joined;
    await markTeamServerOrigin(serverUrl);
    const { team, member, queued } = joined.value;
    return ok({ teamName: team.name, memberName: member.displayName, queued });
  },
  async leaveTeam({ discardPending }, { sync }) {
    return sync ? sync.leave({ discardPending }) : noSync;
  },
  async syncNow(_body, { sync }) {
    if (!sync) return noSync;
    const { state, message, pushed, pulled } = await sync.syncNow();
    return ok({ state, message, pushed, pulled });
  },
  async resolveConflict(body, { sync }) {
    if (!sync) return noSync;
    if (body.choice === 'mine') await sync.keepMine(body.key);
    else if (body.choice === 'theirs') await sync.keepTheirs(body.key);
    else await sync.resolveWith(body.key, body.value);
    return ok({ resolved: true as const });
  },
  async publishFramework({ frameworkId }, { db, sync }) {
    if (!sync) return noSync;
    const framework = await db.frameworks.get(frameworkId);
    if (!framework) return err('not_found', 'That framework is not installed.');
    return sync.publishFramework(framework);
  },
  async freezeSubmission({ frameworkId, name }, { db, sync }) {
    if (!sync) return noSync;
    const title = name.trim();
    if (!title || hasControlChars(title)) return err('bad_request', 'Give the submission a name.');
    const id = crypto.randomUUID();
    const content = await buildSubmission(db, { id, name: title, frameworkId, now: new Date() });
    if (!content) return err('not_found', 'That framework is not installed.');
    const result = await sync.createSubmission(content);
    return result.ok ? ok({ id, seq: result.value.seq }) : result;
  },
  async deleteSubmission({ id }, { sync }) {
    return sync ? sync.deleteSubmission(id) : noSync;
  },
  async getClipHistory({ id }, { sync }) {
    if (!sync) return noSync;
    const entries = await sync.clipHistory(id);
    return entries.ok ? ok({ entries: entries.value }) : entries;
  },
  async getLogHead(_body, { db, sync }) {
    if (!sync) return noSync;
    const team = await readTeam(db);
    if (!team) return err('unauthorized', 'Join a team first.');
    const head = await sync.logHead();
    return head.ok ? ok({ teamId: team.teamId, ...head.value }) : head;
  },
  async openDocument({ url, newTab }, ctx) {
    return ok({ opened: await openDocumentFromPage(url, newTab, ctx.pageUrl, ctx.tab) });
  },
  async loadClipView(_body, ctx) {
    // Into the asking web page's own frame only (the viewers, extension pages, bundle their view).
    if (ctx.pageUrl === null || !ctx.tab || ctx.frameId === undefined)
      return err('forbidden', 'Only a web page’s content script loads the clip view.');
    await injectClipView(ctx.tab.id, ctx.frameId);
    return ok({ loaded: true as const });
  },
};

const noSync = err('unavailable', 'Team sync is not running.');

/** The sender is this extension; content scripts are identified by their frame URL. */
export function senderPageUrl(sender: Runtime.MessageSender): string | null | undefined {
  if (sender.id !== browser.runtime.id) return undefined;
  const senderUrl = sender.url ?? '';
  if (senderUrl.startsWith(browser.runtime.getURL('/'))) return null;
  return sender.tab ? senderUrl : undefined;
}

/** Validates a raw message and runs its handler. Never throws. */
export async function handleMessage(
  raw: unknown,
  sender: Runtime.MessageSender,
  db: ClipperDb,
  sync?: SyncControls,
): Promise<Result<unknown>> {
  const pageUrl = senderPageUrl(sender);
  if (pageUrl === undefined) return err('forbidden', 'Unknown sender.');
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return err('bad_request', 'Malformed message.');
  const name = envelope.data.name;
  if (pageUrl !== null && EXTENSION_PAGE_ONLY.has(name))
    return err('forbidden', 'Not available to web pages.');
  const body = requestSchemas[name].safeParse(envelope.data.body);
  if (!body.success) return err('validation_failed', body.error.issues[0]?.message ?? 'Invalid message.');
  try {
    const handler = handlers[name] as Handler<typeof name>;
    const tab = sender.tab?.id !== undefined ? { id: sender.tab.id, index: sender.tab.index } : undefined;
    const frame = tab && sender.frameId !== undefined ? { frameId: sender.frameId } : {};
    return await handler(body.data as never, { db, pageUrl, sync, ...(tab ? { tab } : {}), ...frame });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/quota/i.test(message))
      return err('quota_exceeded', 'The browser refused to store more data (quota).');
    return err('internal', message);
  }
}
