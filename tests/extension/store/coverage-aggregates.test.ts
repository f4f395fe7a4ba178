// The coverage table follows every clip write in the same transaction, whatever path writes
// (the local-write layer, a plain Dexie update, a bulk write, a range delete), and version 3
// builds it from the clips a 0.1.0 database (schema versions 1–2) already holds.
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { createLocalWrites } from '../../../extension/lib/store/local-writes';
import { recountAggregates } from '../../../shared/coverage-aggregate';
import type { Clip } from '../../../shared/schemas';

const AT = '2026-02-01T09:30:00.000Z';
let n = 0;
const opened: Dexie[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) {
    d.close();
    await Dexie.delete(d.name);
  }
});

function clip(i: number, over: Partial<Clip> = {}): Clip {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    url: 'https://intranet.example.nhs.uk/p',
    docKey: 'https://intranet.example.nhs.uk/p',
    title: 'P',
    selectors: [{ type: 'TextQuoteSelector', exact: 'q' }],
    quote: 'q',
    criteria: ['demo:A'],
    note: '',
    docMeta: {},
    createdBy: { id: 'u', name: 'U' },
    createdAt: AT,
    updatedAt: AT,
    deleted: false,
    ...over,
  };
}

function freshDb(): ClipperDb {
  n += 1;
  const db = createDb(`coverage-aggregates-${n}`);
  opened.push(db);
  return db;
}

const stored = async (db: ClipperDb) =>
  (await db.coverage.toArray()).sort((a, b) => a.criterionId.localeCompare(b.criterionId));
const recount = async (db: ClipperDb) => recountAggregates(await db.clips.toArray());

describe('coverage aggregates middleware', () => {
  it('follows adds, updates, bulk writes, deletes and clears made any way', async () => {
    const db = freshDb();
    const writes = createLocalWrites({
      db,
      now: () => AT,
      newId: () => crypto.randomUUID(),
      onCommitted: () => {},
    });
    await writes.addClip(clip(1, { criteria: ['demo:A', 'demo:B'], docMeta: { reviewDue: '2026-01-01' } }));
    await db.clips.bulkPut([clip(2), clip(3, { criteria: ['demo:B'] }), clip(2, { criteria: ['demo:C'] })]);
    expect(await stored(db)).toEqual(await recount(db));
    await db.clips.update(clip(1).id, { anchor: { status: 'lost', checkedAt: AT } });
    await writes.retagClips([clip(3).id], { add: ['demo:D'], remove: ['demo:B'] });
    const undo = await writes.deleteClips([clip(1).id]);
    expect(await stored(db)).toEqual(await recount(db));
    await writes.undoChange(undo);
    await db.clips
      .where('id')
      .equals(clip(2).id)
      .modify({ criteria: ['demo:A'] });
    expect(await stored(db)).toEqual(await recount(db));
    await db.clips.delete(clip(3).id);
    expect(await stored(db)).toEqual(await recount(db));
    await db.clips.clear();
    expect(await stored(db)).toEqual([]);
  });

  it('rolls back with the clip write when the transaction fails', async () => {
    const db = freshDb();
    await db.clips.add(clip(1));
    await expect(
      db.transaction('rw', db.clips, async () => {
        await db.clips.put(clip(2, { criteria: ['demo:B'] }));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await stored(db)).toEqual([{ criterionId: 'demo:A', live: 1, lost: 0, reviewDue: {} }]);
  });

  it('counts only the rows a partly failed bulk add wrote', async () => {
    const db = freshDb();
    await db.clips.add(clip(1));
    await db.transaction('rw', db.clips, async () => {
      await db.clips
        .bulkAdd([clip(1, { criteria: ['demo:Z'] }), clip(2, { criteria: ['demo:B'] })])
        .catch(() => {});
    });
    expect(await stored(db)).toEqual(await recount(db));
  });
});

describe('version 3 upgrade', () => {
  it('builds the aggregates from the clips a 0.1.0 database holds, and loses nothing', async () => {
    n += 1;
    const name = `coverage-upgrade-${n}`;
    // The schema 0.1.0 shipped (lib/db.ts versions 1 and 2), written without the new code.
    const old = new Dexie(name);
    old.version(1).stores({
      clips: 'id, docKey, updatedAt, createdAt, *criteria',
      frameworks: 'id',
      assessments: 'criterionId',
      outbox: 'mutationId',
      meta: 'key',
    });
    old.version(2).stores({ conflicts: 'key, kind' });
    const clips = [
      clip(1, { criteria: ['demo:A', 'demo:B'], docMeta: { reviewDue: '2025-06-01' } }),
      clip(2, { criteria: ['demo:A'], anchor: { status: 'lost', checkedAt: AT } }),
      clip(3, { criteria: ['demo:B'], deleted: true }),
      clip(4, { criteria: ['demo:C'], docMeta: { reviewDue: '2030-01-01' } }),
    ];
    await old.table('clips').bulkPut(clips);
    await old.table('meta').put({ key: 'activeFrameworkId', value: 'demo' });
    await old.table('outbox').put({ mutationId: 'm1', mutation: { type: 'clip.create' } });
    old.close();

    const db = createDb(name);
    opened.push(db);
    expect(await db.clips.toArray()).toEqual(clips);
    expect(await db.meta.get('activeFrameworkId')).toEqual({ key: 'activeFrameworkId', value: 'demo' });
    expect(await db.outbox.count()).toBe(1);
    expect(await stored(db)).toEqual(recountAggregates(clips));
    expect(await stored(db)).toEqual([
      { criterionId: 'demo:A', live: 2, lost: 1, reviewDue: { '2025-06-01': 1 } },
      { criterionId: 'demo:B', live: 1, lost: 0, reviewDue: { '2025-06-01': 1 } },
      { criterionId: 'demo:C', live: 1, lost: 0, reviewDue: { '2030-01-01': 1 } },
    ]);
    expect(db.verno).toBe(4);
  });
});
