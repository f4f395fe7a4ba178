// The local-write layer runs on the clock, ids and commit hook it is given: every write is one
// transaction with its outbox entry, and a commit asks for a sync through `onCommitted` only.
import { beforeEach, describe, expect, it } from 'vitest';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import type { ClipDraft } from '../../../extension/lib/messaging';
import { createLocalWrites } from '../../../extension/lib/store/local-writes';
import { META_KEYS } from '../../../extension/lib/store/rows';
import { SYNC_META, type SyncTeam } from '../../../extension/lib/sync/state';

const AT = '2026-02-01T09:30:00.000Z';
const team: SyncTeam = {
  serverUrl: 'https://sync.example.nhs.uk',
  teamId: 't',
  teamName: 'Imaging',
  memberId: 'm',
  memberName: 'Ann',
  role: 'editor',
  deviceId: 'd',
  clientId: 'c',
  joinedAt: AT,
};
const draft: ClipDraft = {
  url: 'https://intranet.example.nhs.uk/policies/p.html',
  title: 'Policy',
  selectors: [{ type: 'TextQuoteSelector', exact: 'three points' }],
  quote: 'three points',
  criteria: ['demo:A', 'demo:A', 'demo:B'],
  note: '',
  docMeta: {},
  snapshotText: 'Confirm three points of identification.',
};

let db: ClipperDb;
let n = 0;
let ids: number;
let commits: number;
const writes = () =>
  createLocalWrites({
    db,
    now: () => AT,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    onCommitted: () => {
      commits += 1;
    },
  });

beforeEach(async () => {
  n += 1;
  db = createDb(`local-writes-${n}`);
  ids = 0;
  commits = 0;
  await db.meta.put({ key: SYNC_META.team, value: team });
});

describe('createLocalWrites', () => {
  it('creates a clip with the injected clock and ids, queues it and asks for one sync', async () => {
    const clip = await writes().createClip(draft);
    expect(clip.id).toBe('00000000-0000-4000-8000-000000000002');
    expect(clip.createdBy).toEqual({ id: '00000000-0000-4000-8000-000000000001', name: 'Me' });
    expect(clip.createdAt).toBe(AT);
    expect(clip.criteria).toEqual(['demo:A', 'demo:B']);
    expect(await db.clips.get(clip.id)).toEqual(clip);
    const outbox = await db.outbox.toArray();
    expect(outbox.map((e) => e.mutation.type)).toEqual(['clip.create']);
    expect((await db.meta.get(META_KEYS.criterionUsage))?.value).toEqual({
      'demo:A': { uses: 1, lastUsed: AT },
      'demo:B': { uses: 1, lastUsed: AT },
    });
    expect(commits).toBe(1);
  });

  it('changes a clip keeping its sync bookkeeping, and leaves a missing one alone', async () => {
    const w = writes();
    const clip = await w.createClip(draft);
    await db.clips.update(clip.id, { sync: { seq: 3, versions: { note: 3 } } });
    const after = await w.changeClip(clip.id, (c) => ({ ...c, note: 'edited', sync: undefined }));
    expect(after?.note).toBe('edited');
    expect(after?.sync).toEqual({ seq: 3, versions: { note: 3 } });
    const [, update] = await db.outbox.toArray();
    expect(update?.mutation).toMatchObject({
      type: 'clip.update',
      base: { note: 3 },
      set: { note: 'edited' },
    });
    expect(await w.changeClip('no-such-clip', (c) => c)).toBeUndefined();
  });

  it('changes an assessment that did not exist from the empty one', async () => {
    const a = await writes().changeAssessment('demo:A', (x) => ({ ...x, rating: 'green' }));
    expect(a).toMatchObject({ criterionId: 'demo:A', rating: 'green', updatedAt: AT });
    expect((await db.outbox.toArray()).map((e) => e.mutation)).toEqual([
      expect.objectContaining({ type: 'assessment.update', criterionId: 'demo:A', set: { rating: 'green' } }),
    ]);
    expect(commits).toBe(1);
  });

  it('records anchors without queueing anything or asking for a sync', async () => {
    const w = writes();
    const clip = await w.createClip(draft);
    commits = 0;
    expect(await w.recordAnchors(draft.url, [{ id: clip.id, status: 'lost' }])).toBe(1);
    expect((await db.clips.get(clip.id))?.anchor).toEqual({ status: 'lost', checkedAt: AT });
    expect(await db.outbox.count()).toBe(1);
    expect(commits).toBe(0);
  });

  it('records the text a moved-or-changed clip was found at; confirming stores it and keeps the old text in history', async () => {
    const w = writes();
    const clip = await w.createClip(draft);
    const found = `${draft.quote} (revised)`;
    expect(await w.recordAnchors(draft.url, [{ id: clip.id, status: 'relocated', found }])).toBe(1);
    expect((await db.clips.get(clip.id))?.anchor).toEqual({ status: 'relocated', checkedAt: AT, found });
    // The same outcome again changes nothing; a new found text is recorded.
    expect(await w.recordAnchors(draft.url, [{ id: clip.id, status: 'relocated', found }])).toBe(0);
    expect(await w.recordAnchors(draft.url, [{ id: clip.id, status: 'relocated' }])).toBe(1);
    expect((await db.clips.get(clip.id))?.anchor).toEqual({ status: 'relocated', checkedAt: AT });

    const selectors = [{ type: 'TextQuoteSelector' as const, exact: found }];
    const moved = await w.moveClip(clip.id, { selectors, quote: found, url: draft.url });
    expect(moved?.quote).toBe(found);
    expect(moved?.selectors).toEqual(selectors);
    expect(moved?.anchor).toEqual({ status: 'exact', checkedAt: AT });
    expect(moved?.history).toEqual([{ selectors: clip.selectors, replacedAt: AT }]);
  });
});
