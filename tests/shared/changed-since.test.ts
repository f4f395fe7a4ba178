// "What changed since" compares a submission with the live state (or another submission): each
// kind of change is found, nothing unchanged is reported, and the counts add up.
import { describe, expect, it } from 'vitest';
import { changedSince, describeChange, liveState, submissionState } from '../../shared/changed-since';
import type { Assessment, Clip } from '../../shared/schemas';
import { clipOfFrozen, type Submission } from '../../shared/submissions';
import { makeSubmission, submissionFramework } from '../server/submission-fixture';

const AT = '2026-03-01T09:00:00.000Z';
const clip = (id: string, over: Partial<Clip> = {}): Clip => ({
  id,
  url: `https://intranet.example/${id}`,
  docKey: `https://intranet.example/${id}`,
  title: `Doc ${id.slice(0, 4)}`,
  selectors: [{ type: 'TextQuoteSelector', exact: `quote ${id}` }],
  quote: `quote ${id}`,
  criteria: ['demo:C1'],
  note: '',
  docMeta: { version: '1.0', reviewDue: '2027-01-01' },
  createdBy: { id: 'm1', name: 'Ada' },
  createdAt: AT,
  updatedAt: AT,
  deleted: false,
  ...over,
});
const ids = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `${x.repeat(8)}-0000-4000-8000-000000000000`);
const [A = '', B = '', C = '', D = '', E = '', F = ''] = ids;

const assessment = (over: Partial<Assessment> = {}): Assessment => ({
  criterionId: 'demo:C1',
  rating: 'green',
  owner: 'Ada',
  action: 'Review yearly',
  comment: '',
  updatedAt: AT,
  ...over,
});

/** A submission holding clips a–e on C1 (b also on C2), rated green. */
function baseSubmission(): Submission {
  const s = makeSubmission();
  const clips = [clip(A), clip(B, { criteria: ['demo:C1', 'demo:C2'] }), clip(C), clip(D), clip(E)];
  return {
    ...s,
    set: {
      ...s.set,
      clips: clips.map(({ deleted: _d, anchor: _a, ...c }) => ({
        ...c,
        contentHash: '0'.repeat(64),
        status: 'exact',
      })),
      assessments: [assessment()],
    },
  };
}

const live = (clips: Clip[], assessments: Assessment[], day = '2026-06-01') =>
  liveState({ label: 'Now', day, framework: submissionFramework, clips, assessments });

describe('changedSince', () => {
  it('reports nothing when nothing changed', () => {
    const base = baseSubmission();
    const now = live(base.set.clips.map(clipOfFrozen), [assessment()]);
    const out = changedSince(submissionState(base), now);
    expect(out.total).toBe(0);
    expect(out.criteria).toEqual([]);
  });

  it('finds each kind of change, per criterion', () => {
    const base = baseSubmission();
    const frozen = base.set.clips.map(clipOfFrozen);
    const byId = new Map(frozen.map((c) => [c.id, c]));
    const now = live(
      [
        // a: edited; b: deleted; c: found changed on its page; d: lost; e: new version, untagged from C2 n/a
        { ...(byId.get(A) as Clip), quote: 'reports within 24 hours' },
        {
          ...(byId.get(C) as Clip),
          anchor: { status: 'relocated', checkedAt: AT, found: `quote ${C} revised` },
        },
        { ...(byId.get(D) as Clip), anchor: { status: 'lost', checkedAt: AT } },
        { ...(byId.get(E) as Clip), docMeta: { version: '2.0', reviewDue: '2027-01-01' } },
        clip(F, { criteria: ['demo:C2'] }),
      ],
      [assessment({ rating: 'amber', owner: 'Bea', dueDate: '2026-09-01' })],
    );
    const out = changedSince(submissionState(base), now);
    const c1 = out.criteria.find((c) => c.criterionId === 'demo:C1');
    expect(c1?.changes.map((ch) => ch.type)).toEqual([
      'removed',
      'edited',
      'relocated',
      'stale',
      'version',
      'rating',
      'owner',
      'dueDate',
    ]);
    const c2 = out.criteria.find((c) => c.criterionId === 'demo:C2');
    expect(c2?.changes.map((ch) => ch.type)).toEqual(['added', 'removed']);
    expect(out.total).toBe(10);
    expect(out.counts).toMatchObject({ added: 1, removed: 2, edited: 1, relocated: 1, stale: 1, version: 1 });
    const edited = c1?.changes.find((ch) => ch.type === 'edited');
    expect(edited?.type === 'edited' && edited.diff.parts.some((p) => p.op === 'added')).toBe(true);
    expect(edited?.type === 'edited' && edited.diff.flags.map((f) => f.flag)).toContain('number');
    const relocated = c1?.changes.find((ch) => ch.type === 'relocated');
    expect(relocated?.type === 'relocated' && relocated.diff.parts).toContainEqual({
      op: 'added',
      text: 'revised',
    });
    const removed = c1?.changes.find((ch) => ch.type === 'removed');
    expect(removed?.type === 'removed' && removed.reason).toBe('deleted');
    expect(c2?.changes[1]?.type === 'removed' && c2.changes[1].reason).toBe('deleted');
    expect(
      describeChange(
        c1?.changes.find((ch) => ch.type === 'rating') ?? { type: 'owner', before: '', after: '' },
      ),
    ).toBe('green → amber');
  });

  it('counts a review date passing as newly stale, and an untagged clip as removed from that criterion only', () => {
    const base = baseSubmission();
    const frozen = base.set.clips.map(clipOfFrozen);
    const now = live(
      frozen.map((c) => (c.id === B ? { ...c, criteria: ['demo:C2'] } : c)),
      [assessment()],
      '2027-02-01',
    );
    const out = changedSince(submissionState(base), now);
    const c1 = out.criteria.find((c) => c.criterionId === 'demo:C1');
    expect(c1?.changes.filter((ch) => ch.type === 'stale')).toHaveLength(4);
    expect(c1?.changes.find((ch) => ch.type === 'removed')).toMatchObject({ reason: 'untagged' });
    // b stays on C2, where it went stale like the rest.
    expect(out.criteria.find((c) => c.criterionId === 'demo:C2')?.changes.map((c) => c.type)).toEqual([
      'stale',
    ]);
  });

  it('compares two submissions', () => {
    const first = baseSubmission();
    const second: Submission = {
      ...first,
      name: 'Annual submission 2027',
      day: '2027-03-01',
      set: { ...first.set, assessments: [assessment({ rating: 'red', action: 'Rewrite the policy' })] },
    };
    const out = changedSince(submissionState(first), submissionState(second));
    expect(out.base.label).toBe('Annual submission 2026');
    expect(out.current.label).toBe('Annual submission 2027');
    expect(out.criteria[0]?.changes.map((c) => c.type)).toEqual([
      'stale',
      'stale',
      'stale',
      'stale',
      'stale',
      'rating',
      'action',
    ]);
  });
});
