// Outbox diffing: which mutation a local change queues, with which base versions, and
// that nothing is queued outside a team; plus the push batch cut and the status view.
import { beforeEach, describe, expect, it } from 'vitest';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { nextBatch } from '../../../extension/lib/sync/batching';
import { backoffDelay } from '../../../extension/lib/sync/engine';
import {
  enqueueAllForJoin,
  enqueueAssessmentChange,
  enqueueClipChange,
  outboxTables,
} from '../../../extension/lib/sync/outbox';
import { clipUpdateOf } from '../../../extension/lib/sync/record-diffs';
import { SYNC_META, type SyncTeam, statusView } from '../../../extension/lib/sync/state';
import type { Clip } from '../../../shared/schemas';

let db: ClipperDb;
let n = 0;
const team: SyncTeam = {
  serverUrl: 'https://sync.example.nhs.uk',
  teamId: 't',
  teamName: 'Imaging',
  memberId: 'm',
  memberName: 'Ann',
  role: 'editor',
  deviceId: 'd',
  clientId: 'client-0001',
  joinedAt: '2026-11-29T10:00:00.000Z',
};

function clip(over: Partial<Clip> = {}): Clip {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    url: 'https://intranet.example.nhs.uk/p/1',
    docKey: 'intranet.example.nhs.uk/p/1',
    title: 'Policy',
    selectors: [{ type: 'TextQuoteSelector', exact: 'passage' }],
    quote: 'passage',
    criteria: ['demo:A', 'demo:B'],
    note: '',
    docMeta: {},
    createdBy: { id: 'm', name: 'Ann' },
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:00.000Z',
    deleted: false,
    ...over,
  };
}

const inTx = <T>(fn: () => Promise<T>) =>
  db.transaction('rw', [db.clips, db.assessments, ...outboxTables(db)], fn);

beforeEach(async () => {
  n += 1;
  db = createDb(`outbox-test-${n}`);
  await db.meta.put({ key: SYNC_META.team, value: team });
});

describe('enqueueClipChange', () => {
  it('queues nothing when not joined to a team', async () => {
    await db.meta.delete(SYNC_META.team);
    expect(await inTx(() => enqueueClipChange(db, undefined, clip()))).toBeUndefined();
    expect(await db.outbox.count()).toBe(0);
  });

  it('queues clip.create without local bookkeeping, with increasing mutation ids', async () => {
    const first = await inTx(() =>
      enqueueClipChange(
        db,
        undefined,
        clip({ anchor: { status: 'exact', checkedAt: '2026-11-29T10:00:00.000Z' } }),
      ),
    );
    const second = await inTx(() =>
      enqueueClipChange(db, undefined, clip({ id: '22222222-2222-4222-8222-222222222222' })),
    );
    expect(first?.mutation.type).toBe('clip.create');
    expect(first?.mutation.type === 'clip.create' && 'anchor' in first.mutation.clip).toBe(false);
    expect(first?.mutation.type === 'clip.create' && 'deleted' in first.mutation.clip).toBe(false);
    expect(second?.mutationId).toBeGreaterThan(first?.mutationId ?? Number.POSITIVE_INFINITY);
  });

  it('queues clip.update with only the changed fields, their base versions, and criteria diffs', async () => {
    const before = clip({ sync: { seq: 9, versions: { note: 4, title: 7, criteria: 9 } } });
    const after = {
      ...before,
      note: 'new note',
      criteria: ['demo:B', 'demo:C'],
      updatedAt: '2026-11-29T11:00:00.000Z',
    };
    const entry = await inTx(() => enqueueClipChange(db, before, after));
    expect(entry?.mutation).toMatchObject({
      type: 'clip.update',
      id: before.id,
      set: { note: 'new note' },
      base: { note: 4 },
      criteriaAdd: ['demo:C'],
      criteriaRemove: ['demo:A'],
    });
  });

  it('uses base 0 for a field never seen and ignores changes of local bookkeeping', async () => {
    const before = clip();
    expect(
      clipUpdateOf(before, { ...before, anchor: { status: 'lost', checkedAt: before.updatedAt } }),
    ).toBeUndefined();
    expect(clipUpdateOf(before, { ...before, updatedAt: '2026-11-29T12:00:00.000Z' })).toBeUndefined();
    expect(clipUpdateOf(before, { ...before, title: 'T' })?.base).toEqual({ title: 0 });
  });

  it('queues clip.delete for a tombstone, and clip.create for a restored one', async () => {
    const live = clip();
    const dead = { ...live, deleted: true };
    expect((await inTx(() => enqueueClipChange(db, live, dead)))?.mutation.type).toBe('clip.delete');
    expect(await inTx(() => enqueueClipChange(db, dead, dead))).toBeUndefined();
    expect((await inTx(() => enqueueClipChange(db, dead, live)))?.mutation.type).toBe('clip.create');
  });
});

describe('enqueueAssessmentChange', () => {
  it('sends changed fields, a cleared due date as ""', async () => {
    const before = {
      criterionId: 'demo:A',
      rating: 'amber' as const,
      owner: 'Ann',
      action: '',
      dueDate: '2027-01-01',
      comment: '',
      updatedAt: '2026-11-29T10:00:00.000Z',
      sync: { seq: 3, versions: { rating: 2, dueDate: 3 } },
    };
    const { dueDate: _d, ...after } = { ...before, rating: 'green' as const };
    const entry = await inTx(() => enqueueAssessmentChange(db, before, after));
    expect(entry?.mutation).toMatchObject({
      type: 'assessment.update',
      set: { rating: 'green', dueDate: '' },
      base: { rating: 2, dueDate: 3 },
    });
  });
});

describe('enqueueAllForJoin', () => {
  it('queues live clips the team has not seen and meaningful assessments', async () => {
    await db.clips.bulkPut([
      clip(),
      clip({ id: '22222222-2222-4222-8222-222222222222', deleted: true }),
      clip({ id: '33333333-3333-4333-8333-333333333333', sync: { seq: 1, versions: {} } }),
    ]);
    await db.assessments.bulkPut([
      {
        criterionId: 'demo:A',
        rating: 'red',
        owner: '',
        action: '',
        comment: '',
        updatedAt: '2026-11-29T10:00:00.000Z',
      },
      {
        criterionId: 'demo:B',
        rating: 'unrated',
        owner: '',
        action: '',
        comment: '',
        updatedAt: '2026-11-29T10:00:00.000Z',
      },
    ]);
    expect(await inTx(() => enqueueAllForJoin(db))).toBe(2);
    const types = (await db.outbox.toArray()).map((e) => e.mutation.type);
    expect(types).toEqual(['clip.create', 'assessment.update']);
  });
});

describe('push batches and status', () => {
  it('cuts a batch before a second entry for the same record', () => {
    const a = { type: 'clip.delete' as const, id: '11111111-1111-4111-8111-111111111111' };
    const b = { type: 'clip.delete' as const, id: '22222222-2222-4222-8222-222222222222' };
    const entries = [a, b, a, b].map((m, i) => ({
      mutationId: i + 1,
      mutation: { ...m, mutationId: i + 1 },
      createdAt: '',
    }));
    expect(nextBatch(entries).map((e) => e.mutationId)).toEqual([1, 2]);
    expect(nextBatch(entries, 1).map((e) => e.mutationId)).toEqual([1]);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(1, () => 0, 1000, 60_000)).toBe(500);
    expect(backoffDelay(3, () => 1, 1000, 60_000)).toBe(4000);
    expect(backoffDelay(20, () => 1, 1000, 60_000)).toBe(60_000);
  });

  it('shows pending N, offline and signed-out', () => {
    const at = '2026-11-29T10:00:00.000Z';
    expect(statusView({ state: 'synced', message: 'Up to date', at, failures: 0 }, 3, true)).toMatchObject({
      state: 'pending',
      pending: 3,
      message: '3 changes to send',
    });
    expect(statusView({ state: 'offline', message: 'Offline', at, failures: 2 }, 3, true).state).toBe(
      'offline',
    );
    expect(statusView(undefined, 0, false).state).toBe('signed-out');
  });
});
