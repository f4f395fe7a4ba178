// The "due soon" rule: window edges, overdue, missing dates, grouping by document and review
// date, ordering, settings defaults, and "today" taken in the user's own time zone.
import { afterEach, describe, expect, test } from 'vitest';
import { todayIso } from '../../extension/lib/today';
import { recountAggregates } from '../../shared/coverage-aggregate';
import {
  addDays,
  anyReviewDueBy,
  badgeText,
  DEFAULT_REMINDER_WINDOW_DAYS,
  type DueAssessment,
  type DueClip,
  daysBetween,
  dueLabel,
  dueSoon,
  dueSoonSnapshotSchema,
  reminderSettingsFrom,
} from '../../shared/reminders';

const TODAY = '2026-12-06';

function clip(over: Partial<DueClip> & { reviewDue?: string; owner?: string } = {}): DueClip {
  const { reviewDue, owner, ...rest } = over;
  return {
    docKey: 'https://intranet.example/policy',
    url: 'https://intranet.example/policy',
    title: 'Chaperone policy',
    criteria: ['demo:DEMO-CL-01'],
    deleted: false,
    docMeta: { ...(reviewDue ? { reviewDue } : {}), ...(owner ? { owner } : {}) },
    ...rest,
  };
}

function assessment(over: Partial<DueAssessment> = {}): DueAssessment {
  return {
    criterionId: 'demo:DEMO-LM-01',
    rating: 'amber',
    owner: 'Priya Shah',
    action: 'Re-audit consent forms',
    dueDate: '2026-12-20',
    ...over,
  };
}

const keys = (clips: DueClip[], assessments: DueAssessment[] = [], windowDays = 60, today = TODAY) =>
  dueSoon({ clips, assessments, today, windowDays }).map((i) => i.key);

describe('calendar arithmetic', () => {
  test.each([
    ['2026-12-06', '2026-12-06', 0],
    ['2026-12-06', '2027-01-05', 30],
    ['2026-12-06', '2026-12-01', -5],
    ['2028-02-28', '2028-03-01', 2], // leap year
    ['2026-03-28', '2026-03-30', 2], // across the spring clock change in Europe
    ['2026-10-24', '2026-10-26', 2], // and the autumn one
  ])('from %s to %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
    expect(addDays(from, days)).toBe(to);
  });

  test.each([
    ['2026-12-06', 'due today'],
    ['2026-12-07', 'due in 1 day'],
    ['2027-01-05', 'due in 30 days'],
    ['2026-12-05', 'overdue by 1 day'],
    ['2026-11-06', 'overdue by 30 days'],
  ])('%s reads "%s"', (date, label) => {
    expect(dueLabel(date, TODAY)).toBe(label);
  });
});

describe('documents', () => {
  test('a review date exactly at the window edge is due; one day past it is not', () => {
    const edge = addDays(TODAY, 60);
    expect(keys([clip({ reviewDue: edge })])).toEqual([`doc:https://intranet.example/policy:${edge}`]);
    expect(keys([clip({ reviewDue: addDays(TODAY, 61) })])).toEqual([]);
    expect(keys([clip({ reviewDue: addDays(TODAY, 61) })], [], 61)).toHaveLength(1);
  });

  test('today and past review dates are listed (overdue), clips without one never', () => {
    const items = dueSoon({
      clips: [
        clip({ docKey: 'a', title: 'A', reviewDue: TODAY }),
        clip({ docKey: 'b', title: 'B', reviewDue: '2024-01-31' }),
        clip({ docKey: 'c', title: 'C' }),
      ],
      assessments: [],
      today: TODAY,
      windowDays: 60,
    });
    expect(items.map((i) => [i.key, dueLabel(i.date, TODAY)])).toEqual([
      ['doc:b:2024-01-31', 'overdue by 1040 days'],
      [`doc:a:${TODAY}`, 'due today'],
    ]);
  });

  test('deleted, untagged and lost clips and malformed dates are not due', () => {
    const lost = { status: 'lost', checkedAt: '2026-12-01T10:00:00.000Z' } as const;
    expect(
      keys([
        clip({ reviewDue: '2026-12-20', deleted: true }),
        clip({ reviewDue: '2026-12-20', criteria: [] }),
        clip({ reviewDue: '2026-12-20', anchor: lost }),
        clip({ reviewDue: '2026-13-45' }),
      ]),
    ).toEqual([]);
  });

  test('the coverage rows answer "is any document due?" exactly as the clips do', () => {
    const lost = { status: 'lost', checkedAt: '2026-12-01T10:00:00.000Z' } as const;
    const cases: DueClip[][] = [
      [],
      [clip({ reviewDue: '2026-12-20' })],
      [clip({ reviewDue: addDays(TODAY, 61) })],
      [clip({ reviewDue: '2026-12-20', anchor: lost })],
      [clip({ reviewDue: '2026-12-20', criteria: [] }), clip({ reviewDue: '2020-01-01', deleted: true })],
      [clip(), clip({ reviewDue: '2020-01-01' })],
    ];
    const verdicts = cases.map((clips) => anyReviewDueBy(recountAggregates(clips), addDays(TODAY, 60)));
    expect(verdicts).toEqual(cases.map((clips) => keys(clips).length > 0));
    expect(verdicts).toEqual([false, true, false, false, false, true]);
  });

  test('clips of one document and date make one item with their clip count, criteria and owner', () => {
    const [doc, ...rest] = dueSoon({
      clips: [
        clip({ reviewDue: '2026-12-20', criteria: ['demo:B', 'demo:A'] }),
        clip({ reviewDue: '2026-12-20', criteria: ['demo:A'], owner: ' Head of Radiography ' }),
        clip({ reviewDue: '2027-01-10', criteria: ['demo:C'] }),
      ],
      assessments: [],
      today: TODAY,
      windowDays: 60,
    });
    expect(doc).toMatchObject({
      kind: 'document',
      clips: 2,
      criteria: ['demo:A', 'demo:B'],
      owner: 'Head of Radiography',
      title: 'Chaperone policy',
    });
    // The same document clipped from another version with a later date: its own item.
    expect(rest.map((i) => i.date)).toEqual(['2027-01-10']);
  });
});

describe('actions', () => {
  test('actions due in the window or overdue are listed with their owner', () => {
    const items = dueSoon({
      clips: [],
      assessments: [
        assessment({ criterionId: 'demo:late', dueDate: '2026-11-30' }),
        assessment({ criterionId: 'demo:edge', dueDate: addDays(TODAY, 60) }),
        assessment({ criterionId: 'demo:far', dueDate: addDays(TODAY, 61) }),
      ],
      today: TODAY,
      windowDays: 60,
    });
    expect(items.map((i) => [i.key, i.owner])).toEqual([
      ['action:demo:late', 'Priya Shah'],
      ['action:demo:edge', 'Priya Shah'],
    ]);
  });

  test('no action text, no due date or rated not applicable: nothing is due', () => {
    expect(
      keys(
        [],
        [
          assessment({ criterionId: 'demo:1', action: '   ' }),
          assessment({ criterionId: 'demo:2', dueDate: undefined }),
          assessment({ criterionId: 'demo:3', rating: 'n/a' }),
        ],
      ),
    ).toEqual([]);
  });

  test('on the same date a document comes before an action', () => {
    expect(
      keys([clip({ docKey: 'z', reviewDue: '2026-12-20' })], [assessment({ dueDate: '2026-12-20' })]),
    ).toEqual(['doc:z:2026-12-20', 'action:demo:DEMO-LM-01']);
  });
});

describe('settings and stored lists', () => {
  test('missing or unreadable settings fall back to the defaults: 60 days, badge and notification off', () => {
    const defaults = { windowDays: DEFAULT_REMINDER_WINDOW_DAYS, badge: false, weeklyNotification: false };
    expect(reminderSettingsFrom(undefined)).toEqual(defaults);
    expect(reminderSettingsFrom('junk')).toEqual(defaults);
    expect(reminderSettingsFrom({ windowDays: 0, badge: 'yes' })).toEqual(defaults);
    expect(reminderSettingsFrom({ windowDays: 30, badge: true })).toEqual({
      ...defaults,
      windowDays: 30,
      badge: true,
    });
  });

  test('a computed list round-trips through its stored schema', () => {
    const items = dueSoon({
      clips: [clip({ reviewDue: '2026-12-20', owner: 'A. Owner' })],
      assessments: [assessment()],
      today: TODAY,
      windowDays: 60,
    });
    const stored = { today: TODAY, windowDays: 60, items };
    expect(dueSoonSnapshotSchema.parse(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  test.each([
    [0, ''],
    [1, '1'],
    [99, '99'],
    [100, '99+'],
  ])('badge text for %i is "%s"', (n, text) => {
    expect(badgeText(n)).toBe(text);
  });
});

describe("today is the user's own date", () => {
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });

  test.each([
    ['UTC', '2026-12-31'],
    ['Pacific/Auckland', '2027-01-01'], // already tomorrow there
    ['America/Los_Angeles', '2026-12-31'],
  ])('at 2026-12-31T20:00Z in %s today is %s, and the window counts from it', (tz, today) => {
    process.env.TZ = tz;
    expect(todayIso(new Date('2026-12-31T20:00:00Z'))).toBe(today);
    // A review date on 1 January is "due today" in Auckland and "due in 1 day" elsewhere.
    expect(dueLabel('2027-01-01', today)).toBe(today === '2027-01-01' ? 'due today' : 'due in 1 day');
  });
});
