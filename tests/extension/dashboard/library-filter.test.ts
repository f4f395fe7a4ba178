import { describe, expect, test } from 'vitest';
import { criterionIndex } from '../../../extension/entrypoints/dashboard/data';
import {
  clipStatus,
  EMPTY_FILTER,
  filterClips,
} from '../../../extension/entrypoints/dashboard/library-filter';
import { ClipSearch } from '../../../extension/lib/search';
import { demoFramework } from '../../../shared/frameworks/demo';
import type { Clip } from '../../../shared/schemas';
import { demoClips } from '../../e2e/dashboard-fixtures';

const today = '2026-11-29';
const criteria = criterionIndex([demoFramework]);
const clips = demoClips();
const run = (f: Partial<typeof EMPTY_FILTER>, ranked?: string[]) =>
  filterClips(clips, { ...EMPTY_FILTER, ...f }, { today, criteria, ranked });

describe('library filters', () => {
  test('status', () => {
    expect(clips.map((c) => clipStatus(c, today))).toEqual([
      'fresh',
      'stale',
      'fresh',
      'fresh',
      'relocated',
      'lost',
      'fresh',
      'fresh',
      'fresh',
      'fresh',
    ]);
    expect(run({ status: 'lost' }).map((c) => c.quote)).toEqual([clips[5]?.quote]);
  });

  test('a clip in an unresolved sync conflict shows as such, whatever else it is', () => {
    const conflicted = new Set([clips[1]?.id ?? '', clips[5]?.id ?? '']);
    expect(clipStatus(clips[1] as Clip, today, conflicted)).toBe('conflict');
    const found = filterClips(
      clips,
      { ...EMPTY_FILTER, status: 'conflict' },
      { today, criteria, ranked: undefined, conflicted },
    );
    expect(found.map((c) => c.id).sort()).toEqual([...conflicted].sort());
    expect(run({ status: 'conflict' })).toEqual([]);
  });

  test.each([
    [{ domainId: 'clinical', frameworkId: 'demo' }, 3],
    [{ criterionId: 'demo:DEMO-LM-02' }, 1],
    [{ author: 'Grace Lee' }, 3],
    [{ site: 'dms.example-trust.nhs.uk' }, 4],
    [{ from: '2026-11-01', to: '2026-11-20' }, 3],
    [{}, 10],
  ])('%j → %i clips', (f, n) => expect(run(f)).toHaveLength(n));

  test('newest first without a search; search order otherwise; deleted clips never shown', () => {
    expect(run({})[0]?.quote).toContain('mandatory training');
    const withDeleted: Clip[] = clips.map((c, i) => (i === 0 ? { ...c, deleted: true } : c));
    const search = new ClipSearch((id) => criteria.get(id)?.code);
    search.sync(withDeleted);
    expect(search.size).toBe(9);
    expect(search.search('controlled document')).toEqual([]);
    const ranked = search.search('DEMO-CL-01') ?? [];
    expect(filterClips(withDeleted, EMPTY_FILTER, { today, criteria, ranked }).map((c) => c.id)).toEqual([
      clips[3]?.id,
    ]);
  });

  test('the search index follows edits incrementally', () => {
    const search = new ClipSearch();
    search.sync(clips);
    expect(search.search('intimate')).toHaveLength(1);
    const edited = clips.map((c, i) =>
      i === 8
        ? { ...c, quote: 'Interpreters are booked in advance.', updatedAt: '2026-12-01T00:00:00.000Z' }
        : c,
    );
    search.sync(edited);
    expect(search.search('intimate')).toEqual([]);
    expect(search.search('interpreters')).toEqual([clips[8]?.id]);
  });
});
