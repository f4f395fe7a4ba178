// Library filtering: the status of a clip and the filter predicate. Pure over loaded rows.
import { staleReason } from '../../../shared/coverage';
import type { Clip } from '../../../shared/schemas';
import type { CriterionInfo } from './data';

export const CLIP_STATUSES = ['fresh', 'stale', 'relocated', 'lost', 'conflict'] as const;
export type ClipStatus = (typeof CLIP_STATUSES)[number];

/**
 * In a sync conflict awaiting the user (ids in `conflicted`), lost on its page, document past
 * review (stale), relocated on its page, or fresh.
 */
export function clipStatus(clip: Clip, today: string, conflicted?: ReadonlySet<string>): ClipStatus {
  if (conflicted?.has(clip.id)) return 'conflict';
  const reason = staleReason(clip, today);
  if (reason === 'lost') return 'lost';
  if (reason === 'review-overdue') return 'stale';
  if (clip.anchor?.status === 'relocated') return 'relocated';
  return 'fresh';
}

export const siteOf = (url: string) => (URL.canParse(url) ? new URL(url).hostname : '');

export interface LibraryFilter {
  query: string;
  frameworkId: string;
  domainId: string;
  criterionId: string;
  author: string;
  site: string;
  /** `YYYY-MM-DD`, inclusive, on the clip's creation date. */
  from: string;
  to: string;
  status: '' | ClipStatus;
}

export const EMPTY_FILTER: LibraryFilter = {
  query: '',
  frameworkId: '',
  domainId: '',
  criterionId: '',
  author: '',
  site: '',
  from: '',
  to: '',
  status: '',
};

/**
 * Live clips matching every set filter. With a search, `ranked` (ids best first) decides the
 * order; otherwise newest first.
 */
export function filterClips(
  clips: readonly Clip[],
  f: LibraryFilter,
  ctx: {
    today: string;
    criteria: Map<string, CriterionInfo>;
    ranked: string[] | undefined;
    /** Clips by id (pass a memoised map to save rebuilding it on every keystroke). */
    byId?: Map<string, Clip>;
    /** Ids of clips with an unresolved sync conflict. */
    conflicted?: ReadonlySet<string>;
  },
): Clip[] {
  const inScope = (c: Clip) => {
    if (!f.frameworkId && !f.domainId && !f.criterionId) return true;
    return c.criteria.some((id) => {
      if (f.criterionId) return id === f.criterionId;
      const info = ctx.criteria.get(id);
      if (!info) return false;
      if (f.frameworkId && info.frameworkId !== f.frameworkId) return false;
      if (f.domainId && info.domainId !== f.domainId) return false;
      return true;
    });
  };
  const keep = (c: Clip) =>
    !c.deleted &&
    (!f.author || c.createdBy.name === f.author) &&
    (!f.site || siteOf(c.url) === f.site) &&
    (!f.from || c.createdAt.slice(0, 10) >= f.from) &&
    (!f.to || c.createdAt.slice(0, 10) <= f.to) &&
    (!f.status || clipStatus(c, ctx.today, ctx.conflicted) === f.status) &&
    inScope(c);
  if (ctx.ranked) {
    const byId = ctx.byId ?? new Map(clips.map((c) => [c.id, c]));
    return ctx.ranked.map((id) => byId.get(id)).filter((c): c is Clip => c !== undefined && keep(c));
  }
  return clips.filter(keep).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
