// "What changed since": the team's evidence now (or a later submission) compared with a submission,
// criterion by criterion: evidence added or removed, quotes edited or found changed on their page
// (with the word diff), evidence newly stale or lost, new document versions, and changes to the
// self-assessment (rating, owner, action, due date). Pure: the dashboard view and the exports
// (shared/exports/changed-since-export.ts) read its result.
import { diffQuote, type QuoteDiff } from './anchoring/diff';
import { type StaleReason, staleReason } from './coverage';
import type { AnchorStatus, Assessment, Clip, DocMeta, Framework } from './schemas';
import { clipOfFrozen, type FrozenAssessment, type Submission } from './submissions';

/** A piece of evidence as the comparison sees it. */
export interface ComparedClip {
  id: string;
  title: string;
  url: string;
  quote: string;
  criteria: readonly string[];
  docMeta: DocMeta;
  status: AnchorStatus;
  /** The text found on the page, when it differs from the quote. */
  found?: string;
  stale?: StaleReason;
}

/** One side of a comparison: a submission, or the live state on a day. */
export interface EvidenceState {
  /** "Annual submission 2026", or "Now". */
  label: string;
  /** The day staleness is judged on. */
  day: string;
  framework: Framework;
  clips: readonly ComparedClip[];
  assessments: readonly FrozenAssessment[];
}

export type EvidenceChange =
  | { type: 'added'; clip: ComparedClip }
  | { type: 'removed'; clip: ComparedClip; reason: 'deleted' | 'untagged' }
  | { type: 'edited'; clip: ComparedClip; before: string; after: string; diff: QuoteDiff }
  | { type: 'relocated'; clip: ComparedClip; before: string; after: string; diff: QuoteDiff }
  | { type: 'stale'; clip: ComparedClip; reason: StaleReason }
  | { type: 'version'; clip: ComparedClip; before: string; after: string };

export type AssessmentField = 'rating' | 'owner' | 'action' | 'dueDate';
export type AssessmentChange = { type: AssessmentField; before: string; after: string };

export type Change = EvidenceChange | AssessmentChange;
export type ChangeType = Change['type'];

export interface CriterionChanges {
  criterionId: string;
  code: string;
  title: string;
  domain: string;
  standard: string;
  changes: Change[];
}

export interface ChangedSince {
  base: { label: string; day: string };
  current: { label: string; day: string };
  /** Criteria with at least one change, in the framework's order. */
  criteria: CriterionChanges[];
  /** Changes per type, over all criteria. */
  counts: Record<ChangeType, number>;
  total: number;
}

/** Every change type, in the order the view and the exports list them. */
export const CHANGE_TYPES: readonly ChangeType[] = [
  'added',
  'removed',
  'edited',
  'relocated',
  'stale',
  'version',
  'rating',
  'owner',
  'action',
  'dueDate',
];

/** Plain words for each change type (view headings, export cells). */
export const CHANGE_LABEL: Record<ChangeType, string> = {
  added: 'New evidence',
  removed: 'Evidence removed',
  edited: 'Quote edited',
  relocated: 'Passage changed on its page',
  stale: 'Newly stale or lost',
  version: 'New document version',
  rating: 'Rating changed',
  owner: 'Owner changed',
  action: 'Action changed',
  dueDate: 'Due date changed',
};

const comparedOf = (clip: Clip, day: string): ComparedClip => {
  const found = clip.anchor?.found;
  const stale = staleReason(clip, day);
  return {
    id: clip.id,
    title: clip.title,
    url: clip.url,
    quote: clip.quote,
    criteria: clip.criteria,
    docMeta: clip.docMeta,
    status: clip.anchor?.status ?? 'unknown',
    ...(found !== undefined && found !== clip.quote ? { found } : {}),
    ...(stale ? { stale } : {}),
  };
};

/** A submission as one side of a comparison. */
export function submissionState(s: Submission): EvidenceState {
  return {
    label: s.name,
    day: s.day,
    framework: s.set.framework,
    clips: s.set.clips.map((c) => comparedOf(clipOfFrozen(c), s.day)),
    assessments: s.set.assessments,
  };
}

/** The team's evidence now, as one side of a comparison (deleted clips left out). */
export function liveState(input: {
  label: string;
  day: string;
  framework: Framework;
  clips: readonly Clip[];
  assessments: readonly Assessment[];
}): EvidenceState {
  return {
    label: input.label,
    day: input.day,
    framework: input.framework,
    clips: input.clips.filter((c) => !c.deleted).map((c) => comparedOf(c, input.day)),
    assessments: input.assessments.map(({ sync: _s, ...a }) => a),
  };
}

interface CriterionInfo {
  id: string;
  code: string;
  title: string;
  domain: string;
  standard: string;
}

function criteriaOf(...frameworks: Framework[]): CriterionInfo[] {
  const out = new Map<string, CriterionInfo>();
  for (const fw of frameworks)
    for (const d of fw.domains)
      for (const s of d.standards)
        for (const c of s.criteria)
          if (!out.has(c.id))
            out.set(c.id, { id: c.id, code: c.code, title: c.title, domain: d.title, standard: s.title });
  return [...out.values()];
}

const ASSESSMENT_FIELDS: readonly AssessmentField[] = ['rating', 'owner', 'action', 'dueDate'];
const UNRATED = { rating: 'unrated', owner: '', action: '', dueDate: '' };

/** The changes to one piece of evidence tagged with the criterion on both sides. */
function clipChanges(before: ComparedClip, after: ComparedClip): EvidenceChange[] {
  const out: EvidenceChange[] = [];
  if (before.quote !== after.quote)
    out.push({
      type: 'edited',
      clip: after,
      before: before.quote,
      after: after.quote,
      diff: diffQuote(before.quote, after.quote),
    });
  // The passage was found changed on its page (and was not, or not so, at the submission).
  if (after.status === 'relocated' && after.found !== undefined && after.found !== before.found)
    out.push({
      type: 'relocated',
      clip: after,
      before: after.quote,
      after: after.found,
      diff: diffQuote(after.quote, after.found),
    });
  if (after.stale && after.stale !== before.stale)
    out.push({ type: 'stale', clip: after, reason: after.stale });
  const v0 = before.docMeta.version ?? '';
  const v1 = after.docMeta.version ?? '';
  if (v0 !== v1) out.push({ type: 'version', clip: after, before: v0, after: v1 });
  return out;
}

/**
 * Compares `current` with `base` (a submission), per criterion of either framework.
 * 1. Evidence: a clip tagged with the criterion only now is `added`; only then, `removed`
 *    (`deleted` when it is gone altogether, `untagged` otherwise); on both sides, its changes.
 * 2. The self-assessment: rating, owner, action and due date, each when it differs.
 * Criteria without a change are left out; counts add up every change listed.
 */
export function changedSince(base: EvidenceState, current: EvidenceState): ChangedSince {
  const nowClips = new Map(current.clips.map((c) => [c.id, c]));
  const baseAssess = new Map(base.assessments.map((a) => [a.criterionId, a]));
  const nowAssess = new Map(current.assessments.map((a) => [a.criterionId, a]));
  const tagged = (clips: readonly ComparedClip[], id: string) => clips.filter((c) => c.criteria.includes(id));

  const criteria: CriterionChanges[] = [];
  for (const info of criteriaOf(current.framework, base.framework)) {
    const changes: Change[] = [];
    const then = tagged(base.clips, info.id);
    const now = tagged(current.clips, info.id);
    const thenIds = new Set(then.map((c) => c.id));
    for (const c of now) if (!thenIds.has(c.id)) changes.push({ type: 'added', clip: c });
    for (const c of then) {
      const after = nowClips.get(c.id);
      if (!after) changes.push({ type: 'removed', clip: c, reason: 'deleted' });
      else if (!after.criteria.includes(info.id))
        changes.push({ type: 'removed', clip: after, reason: 'untagged' });
      else changes.push(...clipChanges(c, after));
    }
    const a0 = { ...UNRATED, ...baseAssess.get(info.id) };
    const a1 = { ...UNRATED, ...nowAssess.get(info.id) };
    for (const f of ASSESSMENT_FIELDS) {
      const before = String(a0[f] ?? '');
      const after = String(a1[f] ?? '');
      if (before !== after) changes.push({ type: f, before, after });
    }
    if (changes.length > 0) {
      changes.sort((x, y) => CHANGE_TYPES.indexOf(x.type) - CHANGE_TYPES.indexOf(y.type));
      criteria.push({
        criterionId: info.id,
        code: info.code,
        title: info.title,
        domain: info.domain,
        standard: info.standard,
        changes,
      });
    }
  }
  const counts = Object.fromEntries(CHANGE_TYPES.map((t) => [t, 0])) as Record<ChangeType, number>;
  for (const c of criteria) for (const ch of c.changes) counts[ch.type] += 1;
  return {
    base: { label: base.label, day: base.day },
    current: { label: current.label, day: current.day },
    criteria,
    counts,
    total: criteria.reduce((n, c) => n + c.changes.length, 0),
  };
}

/** One line of plain text describing a change (exports, screen readers). */
export function describeChange(ch: Change): string {
  switch (ch.type) {
    case 'added':
      return `“${ch.clip.quote}” (${ch.clip.title || ch.clip.url})`;
    case 'removed':
      return `“${ch.clip.quote}” (${ch.clip.title || ch.clip.url}) ${ch.reason === 'deleted' ? 'was deleted' : 'is no longer tagged with this criterion'}`;
    case 'edited':
      return `“${ch.before}” → “${ch.after}”`;
    case 'relocated':
      return `the page now reads “${ch.after}” where the clip quoted “${ch.before}”`;
    case 'stale':
      return `“${ch.clip.quote}”: ${ch.reason === 'lost' ? 'the passage is no longer found on its page' : `the document was due for review on ${ch.clip.docMeta.reviewDue}`}`;
    case 'version':
      return `${ch.clip.title || ch.clip.url}: version ${ch.before || '(none)'} → ${ch.after || '(none)'}`;
    default:
      return `${ch.before || '(none)'} → ${ch.after || '(none)'}`;
  }
}
