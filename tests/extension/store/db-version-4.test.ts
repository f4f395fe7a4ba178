// Dexie version 4 adds the `submissions` table. A database written by version 3 (and one written
// by 0.1.0, versions 1–2) opens under it with every row kept; pulled submissions then land in it.
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { applyPullPage, finishResync } from '../../../extension/lib/sync/pull-page';
import type { Clip } from '../../../shared/schemas';
import { makeSubmission } from '../../server/submission-fixture';

const AT = '2026-02-01T09:30:00.000Z';
const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

const clip = (i: number): Clip => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  url: `https://intranet.example/p${i}`,
  docKey: `https://intranet.example/p${i}`,
  title: `Policy ${i}`,
  selectors: [{ type: 'TextQuoteSelector', exact: `passage ${i}` }],
  quote: `passage ${i}`,
  criteria: ['demo:A'],
  note: '',
  docMeta: {},
  createdBy: { id: 'local', name: 'me' },
  createdAt: AT,
  updatedAt: AT,
  deleted: false,
});

/** The schema as version 3 shipped it (lib/db.ts before submissions), written by hand. */
function version3(name: string): Dexie {
  const old = new Dexie(name);
  old.version(1).stores({
    clips: 'id, docKey, updatedAt, createdAt, *criteria',
    frameworks: 'id',
    assessments: 'criterionId',
    outbox: 'mutationId',
    meta: 'key',
  });
  old.version(2).stores({ conflicts: 'key, kind' });
  old.version(3).stores({ coverage: 'criterionId' });
  return old;
}

describe('version 4 upgrade (submissions)', () => {
  it('keeps every row a version 3 database holds and adds an empty submissions table', async () => {
    const name = `v4-upgrade-${Date.now()}`;
    const old = version3(name);
    const clips = [clip(1), clip(2)];
    await old.table('clips').bulkPut(clips);
    await old.table('coverage').put({ criterionId: 'demo:A', live: 2, lost: 0, reviewDue: {} });
    await old.table('assessments').put({
      criterionId: 'demo:A',
      rating: 'green',
      owner: 'Ada',
      action: '',
      comment: '',
      updatedAt: AT,
    });
    await old.table('meta').put({ key: 'activeFrameworkId', value: 'demo' });
    await old.table('outbox').put({ mutationId: 7, mutation: { type: 'clip.delete' } });
    await old.table('conflicts').put({ key: 'clip:x', kind: 'clip' });
    old.close();

    const db: ClipperDb = createDb(name);
    opened.push(db);
    expect(await db.clips.toArray()).toEqual(clips);
    expect(await db.coverage.toArray()).toEqual([{ criterionId: 'demo:A', live: 2, lost: 0, reviewDue: {} }]);
    expect((await db.assessments.get('demo:A'))?.owner).toBe('Ada');
    expect(await db.meta.get('activeFrameworkId')).toEqual({ key: 'activeFrameworkId', value: 'demo' });
    expect(await db.outbox.count()).toBe(1);
    expect(await db.conflicts.count()).toBe(1);
    expect(await db.submissions.count()).toBe(0);
    expect(db.verno).toBe(4);
  });

  it('stores a pulled submission and removes it on its tombstone', async () => {
    const db = createDb(`v4-pull-${Date.now()}`);
    opened.push(db);
    const submission = { ...makeSubmission(), createdBy: { id: 'm1', name: 'Ada' } };
    await applyPullPage(
      db,
      [{ kind: 'submission', seq: 5, id: submission.id, deleted: false, submission }],
      '5',
      AT,
    );
    expect(await db.submissions.get(submission.id)).toEqual(submission);
    await applyPullPage(
      db,
      [{ kind: 'submission', seq: 6, id: submission.id, deleted: true, submission: null }],
      '6',
      AT,
    );
    expect(await db.submissions.count()).toBe(0);
  });

  it('after a full re-download, drops submissions the server no longer has and keeps the others', async () => {
    const db = createDb(`v4-resync-${Date.now()}`);
    opened.push(db);
    const kept = { ...makeSubmission({ name: 'Kept' }), createdBy: { id: 'm1', name: 'Ada' } };
    const purged = { ...makeSubmission({ name: 'Purged' }), createdBy: { id: 'm1', name: 'Ada' } };
    await applyPullPage(
      db,
      [
        { kind: 'submission', seq: 1, id: kept.id, deleted: false, submission: kept },
        { kind: 'submission', seq: 2, id: purged.id, deleted: false, submission: purged },
      ],
      '2',
      AT,
    );
    const seen = new Set<string>();
    await applyPullPage(
      db,
      [{ kind: 'submission', seq: 1, id: kept.id, deleted: false, submission: kept }],
      '1',
      AT,
      seen,
    );
    expect(await finishResync(db, seen)).toBe(1);
    expect((await db.submissions.toArray()).map((s) => s.name)).toEqual(['Kept']);
  });
});
