import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import {
  applyImport,
  deleteClips,
  retagClips,
  saveFramework,
  setAssessment,
  undoChange,
  updateClip,
} from '../../../extension/lib/mutations';
import { SharedClipsError } from '../../../extension/lib/store/local-writes';
import type { ImportPlan } from '../../../shared/exports/import-file';
import { demoFramework } from '../../../shared/frameworks/demo';
import type { Clip } from '../../../shared/schemas';
import { demoClips } from '../../e2e/dashboard-fixtures';

let db: ClipperDb;
let n = 0;
beforeEach(async () => {
  db = createDb(`mutations-${n++}`);
  await db.clips.bulkPut(demoClips());
});
afterEach(async () => {
  await db.delete();
});

const T1 = '2026-12-01T10:00:00.000Z';
const T2 = '2026-12-01T11:00:00.000Z';
const ids = demoClips().map((c) => c.id);
const id0 = ids[0] ?? '';

describe('clips', () => {
  test('updateClip edits note and criteria, dedupes, stamps updatedAt', async () => {
    const undo = await updateClip(db, id0, { note: 'n', criteria: ['demo:A', 'demo:A', 'demo:B'] }, T1);
    const c = await db.clips.get(id0);
    expect(c).toMatchObject({ note: 'n', criteria: ['demo:A', 'demo:B'], updatedAt: T1 });
    expect(undo.previous[0]?.note).toBe(demoClips()[0]?.note);
  });

  test('updateClip refuses invalid edits and writes nothing', async () => {
    await expect(updateClip(db, id0, { note: 'x'.repeat(20_000) }, T1)).rejects.toThrow();
    expect((await db.clips.get(id0))?.updatedAt).not.toBe(T1);
  });

  test('retag adds and removes on many clips; untouched clips are not rewritten', async () => {
    const undo = await retagClips(db, ids.slice(0, 3), { add: ['demo:X'], remove: ['demo:DEMO-LM-02'] }, T1);
    expect(undo.label).toBe('Re-tagged 3 clips');
    expect((await db.clips.get(id0))?.criteria).toEqual(['demo:DEMO-LM-01', 'demo:X']);
    const again = await retagClips(db, ids.slice(0, 3), { add: ['demo:X'] }, T2);
    expect(again.previous).toHaveLength(0);
  });

  test('delete is a tombstone; undo restores the clips as they were (re-stamped)', async () => {
    const before = await db.clips.bulkGet(ids.slice(0, 2));
    const undo = await deleteClips(db, ids.slice(0, 2), T1);
    expect(undo.label).toBe('Deleted 2 clips');
    expect((await db.clips.bulkGet(ids.slice(0, 2))).map((c) => c?.deleted)).toEqual([true, true]);
    expect(await db.clips.count()).toBe(10);
    await undoChange(db, undo, T2);
    const after = await db.clips.bulkGet(ids.slice(0, 2));
    expect(after).toEqual(before.map((c) => ({ ...c, updatedAt: T2 })));
  });
});

describe('assessments', () => {
  test('created on first edit, patched after, empty due date clears it', async () => {
    await setAssessment(db, 'demo:DEMO-LM-01', { rating: 'amber', dueDate: '2027-01-31' }, T1);
    await setAssessment(db, 'demo:DEMO-LM-01', { owner: 'Ann' }, T2);
    expect(await db.assessments.get('demo:DEMO-LM-01')).toEqual({
      criterionId: 'demo:DEMO-LM-01',
      rating: 'amber',
      owner: 'Ann',
      action: '',
      comment: '',
      dueDate: '2027-01-31',
      updatedAt: T2,
    });
    await setAssessment(db, 'demo:DEMO-LM-01', { dueDate: '' }, T2);
    expect((await db.assessments.get('demo:DEMO-LM-01'))?.dueDate).toBeUndefined();
  });

  test('an invalid patch is rejected', async () => {
    await expect(setAssessment(db, 'demo:X', { dueDate: '31/01/2027' })).rejects.toThrow();
    expect(await db.assessments.count()).toBe(0);
  });
});

describe('import', () => {
  const plan = (clips: Clip[]): ImportPlan => ({
    format: 'backup',
    clips,
    assessments: [],
    frameworks: [demoFramework],
    activeFrameworkId: 'demo',
    skipped: [],
  });

  test('counts added, updated and unchanged', async () => {
    const edited = { ...(demoClips()[1] as Clip), note: 'changed' };
    const fresh = { ...(demoClips()[2] as Clip), id: '99999999-0000-4000-8000-000000000099' };
    const s = await applyImport(db, plan([demoClips()[0] as Clip, edited, fresh]));
    expect(s).toEqual({ added: 1, updated: 1, unchanged: 1, assessments: 0, frameworks: 1 });
    expect(await db.clips.count()).toBe(11);
    expect((await db.meta.get('activeFrameworkId'))?.value).toBe('demo');
  });

  describe('clips already synced with the team', () => {
    const SYNC = { seq: 7, versions: { note: 3 } };
    const colleague = { id: 'member-colleague', name: 'A. Colleague' };
    async function shareFirst(): Promise<Clip> {
      const first = { ...(demoClips()[0] as Clip), createdBy: colleague, sync: SYNC };
      await db.clips.put(first);
      return first;
    }

    test('a file that would replace one is refused unless the user agreed; nothing is written', async () => {
      const first = await shareFirst();
      const forged = { ...first, note: 'rewritten', sync: undefined };
      const fresh = { ...(demoClips()[2] as Clip), id: '99999999-0000-4000-8000-000000000099' };
      await expect(applyImport(db, plan([forged, fresh]))).rejects.toThrow(SharedClipsError);
      expect(await db.clips.get(first.id)).toEqual(first);
      expect(await db.clips.get(fresh.id)).toBeUndefined();
      expect(await db.outbox.count()).toBe(0);
    });

    test('agreed: replaced, but the author stays the team’s, never the file’s', async () => {
      const first = await shareFirst();
      const forged = { ...first, note: 'rewritten', createdBy: { id: 'someone-else', name: 'Forged' } };
      await applyImport(db, plan([forged]), { replaceShared: true });
      const after = await db.clips.get(first.id);
      expect(after).toMatchObject({ note: 'rewritten', createdBy: colleague, sync: SYNC });
    });

    test('a file whose only difference is the author replaces nothing and needs no question', async () => {
      const first = await shareFirst();
      const s = await applyImport(db, plan([{ ...first, createdBy: { id: 'x', name: 'Forged' } }]));
      expect(s.updated).toBe(0);
      expect((await db.clips.get(first.id))?.createdBy).toEqual(colleague);
    });

    test('an unsynced existing clip keeps its author too', async () => {
      const mine = demoClips()[1] as Clip;
      await applyImport(db, plan([{ ...mine, note: 'x', createdBy: { id: 'x', name: 'Forged' } }]));
      expect((await db.clips.get(mine.id))?.createdBy).toEqual(mine.createdBy);
    });
  });

  test('all or nothing: a failing write rolls everything back', async () => {
    await db.clips.clear();
    const bad = plan(demoClips());
    // An assessment without its primary key makes the transaction fail after the clips were put.
    bad.assessments = [{} as never];
    await expect(applyImport(db, bad)).rejects.toThrow();
    expect(await db.clips.count()).toBe(0);
    expect(await db.frameworks.count()).toBe(0);
  });

  test('saveFramework validates and can activate', async () => {
    await saveFramework(db, demoFramework, { activate: true });
    expect((await db.meta.get('activeFrameworkId'))?.value).toBe('demo');
    await expect(saveFramework(db, { ...demoFramework, id: 'Bad Id' })).rejects.toThrow();
  });
});
