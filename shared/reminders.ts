// Reminders before evidence goes stale: the documents whose review date falls within a window of
// days (or has passed) and the self-assessment actions due in that window or overdue. Pure: "today"
// is a calendar date passed in (the user's own, extension/lib/today.ts), never read from a clock.
import { z } from 'zod';
import type { CriterionAggregate } from './coverage-aggregate';
import type { Assessment, Clip } from './schemas';
import { isoDateSchema } from './schemas';

/** How far ahead a review date or due date counts as "due soon", unless the user chose otherwise. */
export const DEFAULT_REMINDER_WINDOW_DAYS = 60;
/** Bounds of the window the user may choose (one day to two years). */
export const REMINDER_WINDOW_LIMITS = { min: 1, max: 730 } as const;

/** The user's reminder settings; every field has a default, so an empty or old stored value parses. */
export const reminderSettingsSchema = z.object({
  windowDays: z
    .number()
    .int()
    .min(REMINDER_WINDOW_LIMITS.min)
    .max(REMINDER_WINDOW_LIMITS.max)
    .catch(DEFAULT_REMINDER_WINDOW_DAYS)
    .default(DEFAULT_REMINDER_WINDOW_DAYS),
  /** Show the number of due-soon items on the toolbar button (opt-in). */
  badge: z.boolean().catch(false).default(false),
  /** A browser notification once a week while anything is due (opt-in; needs the permission). */
  weeklyNotification: z.boolean().catch(false).default(false),
});
export type ReminderSettings = z.infer<typeof reminderSettingsSchema>;

/** The settings a stored value stands for: defaults for anything missing or unreadable. */
export function reminderSettingsFrom(stored: unknown): ReminderSettings {
  const parsed = reminderSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : reminderSettingsSchema.parse({});
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) =>
  Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS;

/**
 * Whole days from `from` to `to`, both calendar dates `YYYY-MM-DD` (negative when `to` is
 * earlier). Computed on the dates themselves, so a daylight-saving change never makes a day of
 * 23 or 25 hours count wrong.
 */
export function daysBetween(from: string, to: string): number {
  return Math.round(dayNumber(to) - dayNumber(from));
}

/** The calendar date `days` after `iso` (before, when negative). */
export function addDays(iso: string, days: number): string {
  return new Date((dayNumber(iso) + days) * DAY_MS).toISOString().slice(0, 10);
}

const dueBase = {
  /** Stable key for lists: `doc:<docKey>:<date>` or `action:<criterionId>`. */
  key: z.string(),
  /** The review date or the action's due date, `YYYY-MM-DD`. */
  date: isoDateSchema,
  /** Who is responsible: the document owner, or the assessment's owner ('' when nobody is named). */
  owner: z.string(),
};

/** A document (as clipped) whose review date is within the window or past. */
export const dueDocumentSchema = z.object({
  kind: z.literal('document'),
  ...dueBase,
  docKey: z.string(),
  url: z.string(),
  title: z.string(),
  documentId: z.string().optional(),
  /** Live clips of this document that carry this review date. */
  clips: z.number().int(),
  /** Criteria those clips evidence (ids, sorted): the evidence that goes stale on `date`. */
  criteria: z.array(z.string()),
});
export type DueDocument = z.infer<typeof dueDocumentSchema>;

/** A self-assessment action with a due date within the window or past. */
export const dueActionSchema = z.object({
  kind: z.literal('action'),
  ...dueBase,
  criterionId: z.string(),
  action: z.string(),
});
export type DueAction = z.infer<typeof dueActionSchema>;

export const dueItemSchema = z.discriminatedUnion('kind', [dueDocumentSchema, dueActionSchema]);
export type DueItem = z.infer<typeof dueItemSchema>;

/** Where a date stands relative to today: days left (negative: overdue) and a word for it. */
export function dueState(date: string, today: string): { days: number; state: 'overdue' | 'today' | 'soon' } {
  const days = daysBetween(today, date);
  return { days, state: days < 0 ? 'overdue' : days === 0 ? 'today' : 'soon' };
}

/** Plain words for a due date, e.g. "overdue by 3 days", "due today", "due in 30 days". */
export function dueLabel(date: string, today: string): string {
  const { days, state } = dueState(date, today);
  const n = (k: number) => `${k} day${k === 1 ? '' : 's'}`;
  if (state === 'overdue') return `overdue by ${n(-days)}`;
  if (state === 'today') return 'due today';
  return `due in ${n(days)}`;
}

/** The fields of a clip the reminders read (a projection is enough). */
export type DueClip = Pick<Clip, 'docKey' | 'url' | 'title' | 'docMeta' | 'criteria' | 'deleted' | 'anchor'>;
/** The fields of an assessment the reminders read. */
export type DueAssessment = Pick<Assessment, 'criterionId' | 'owner' | 'action' | 'dueDate' | 'rating'>;

export interface DueSoonInput {
  clips: Iterable<DueClip>;
  assessments: Iterable<DueAssessment>;
  /** The user's today, `YYYY-MM-DD`. */
  today: string;
  /** Days ahead that count as due soon; a date exactly `windowDays` after today is included. */
  windowDays: number;
}

/** A clip whose freshness a review date decides: live, tagged, and not already lost on its page
 *  (a lost clip is stale whatever the date; the same clips the coverage counts per review date). */
const isEvidence = (c: DueClip) => !c.deleted && c.criteria.length > 0 && c.anchor?.status !== 'lost';

const isDate = (v: string | undefined): v is string => v !== undefined && isoDateSchema.safeParse(v).success;

/**
 * What needs attention before evidence goes stale, most urgent first (overdue, then by date; a
 * document before an action on the same date, then by title or criterion):
 * 1. documents: the live, tagged clips not lost on their page, grouped by document and review date (a document clipped before and
 *    after a new version carries two dates, and each group's evidence goes stale on its own date),
 *    when that date is on or before today + window — past dates included, as overdue;
 * 2. actions: assessments with an action written and a due date on or before today + window,
 *    unless the criterion is rated not applicable.
 * Clips without a review date and actions without a due date are never due. So a document is due
 * exactly when some coverage row (shared/coverage-aggregate.ts) counts a review date up to the
 * window's end: `anyReviewDueBy` answers that from the rows without reading a clip.
 */
export function dueSoon(input: DueSoonInput): DueItem[] {
  const until = addDays(input.today, input.windowDays);
  const docs = new Map<string, DueDocument>();
  for (const clip of input.clips) {
    const date = clip.docMeta.reviewDue;
    if (!isEvidence(clip) || !isDate(date) || date > until) continue;
    const key = `doc:${clip.docKey}:${date}`;
    const doc = docs.get(key) ?? {
      kind: 'document',
      key,
      date,
      owner: '',
      docKey: clip.docKey,
      url: clip.url,
      title: clip.title,
      clips: 0,
      criteria: [],
    };
    doc.clips++;
    doc.owner ||= clip.docMeta.owner?.trim() ?? '';
    if (doc.documentId === undefined && clip.docMeta.documentId) doc.documentId = clip.docMeta.documentId;
    if (!doc.title) doc.title = clip.title;
    for (const c of clip.criteria) if (!doc.criteria.includes(c)) doc.criteria.push(c);
    docs.set(key, doc);
  }
  const items: DueItem[] = [...docs.values()].map((d) => ({ ...d, criteria: [...d.criteria].sort() }));
  for (const a of input.assessments) {
    if (a.rating === 'n/a' || !a.action.trim() || !isDate(a.dueDate) || a.dueDate > until) continue;
    items.push({
      kind: 'action',
      key: `action:${a.criterionId}`,
      date: a.dueDate,
      owner: a.owner.trim(),
      criterionId: a.criterionId,
      action: a.action.trim(),
    });
  }
  const name = (i: DueItem) => (i.kind === 'document' ? i.title || i.url : i.criterionId);
  return items.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      (a.kind === b.kind ? 0 : a.kind === 'document' ? -1 : 1) ||
      name(a).localeCompare(name(b)) ||
      a.key.localeCompare(b.key),
  );
}

/** Whether any criterion's counts hold a review date on or before `until` (cheap pre-check). */
export function anyReviewDueBy(
  aggregates: Iterable<Pick<CriterionAggregate, 'reviewDue'>>,
  until: string,
): boolean {
  for (const a of aggregates)
    for (const [date, n] of Object.entries(a.reviewDue)) if (n > 0 && date <= until) return true;
  return false;
}

/** The toolbar badge text for `count` items: empty for none, "99+" past two digits. */
export function badgeText(count: number): string {
  if (count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

/** The stored form of a computed list (the popup reads it; the background writes it). */
export const dueSoonSnapshotSchema = z.object({
  /** The today the list was computed for; a reader on another day recomputes the day counts. */
  today: isoDateSchema,
  windowDays: z.number().int(),
  items: z.array(dueItemSchema),
});
export type DueSoonSnapshot = z.infer<typeof dueSoonSnapshotSchema>;

/** A calendar date in words, e.g. "5 January 2027" (the date as stored, whatever the time zone). */
export function formatDueDate(iso: string): string {
  return new Date(dayNumber(iso) * DAY_MS).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The criterion code inside a criterion id (`<frameworkId>:<code>`; framework ids hold no colon). */
export function codeOfCriterionId(id: string): string {
  const at = id.indexOf(':');
  return at < 0 ? id : id.slice(at + 1);
}
