// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, expect, test } from 'vitest';
import { PopupApp } from '../../../extension/entrypoints/popup/app';
import { CACHE_KEY, readCoverageCache } from '../../../extension/entrypoints/popup/cache-read';
import { writeCoverageCache } from '../../../extension/entrypoints/popup/coverage-cache';
import { createLiveParts } from '../../../extension/entrypoints/popup/live';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { seedFrameworks } from '../../../extension/lib/frameworks';
import { type Coverage, computeCoverage } from '../../../shared/coverage';
import { demoFramework } from '../../../shared/frameworks/demo';
import { demoClips } from '../../e2e/dashboard-fixtures';

let db: ClipperDb | undefined;
afterEach(async () => {
  cleanup();
  await db?.delete();
});

test('renders the this-page and sync-status slots and the fresh coverage', async () => {
  db = createDb('popup-slots');
  await seedFrameworks(db);
  await db.clips.bulkPut(demoClips());
  const live = createLiveParts(db, { thisPage: <p>THIS PAGE SLOT</p>, syncStatus: 'Synced just now' });
  render(<PopupApp cached={undefined} loadLive={async () => live} />);
  await waitFor(() => expect(screen.getByText('THIS PAGE SLOT')).toBeTruthy());
  expect(screen.getByText('Synced just now')).toBeTruthy();
  await waitFor(() => expect(screen.getByText(/criteria evidenced \(\d+%\)/)).toBeTruthy());
  expect(screen.getByRole('region', { name: 'This page' })).toBeTruthy();
});

const staleCoverage = () =>
  computeCoverage({ framework: demoFramework, clips: [], assessments: [], today: '2026-11-29' });

test('paints cached counts first, marked as updating', async () => {
  db = createDb('popup-cache');
  await seedFrameworks(db);
  localStorage.clear();
  writeCoverageCache({ name: 'Cached framework', notice: undefined, coverage: staleCoverage() });
  await db.clips.bulkPut(demoClips());
  // The first paint reads the cache synchronously, without Dexie.
  const cached = readCoverageCache();
  expect(cached?.name).toBe('Cached framework');
  const live = createLiveParts(db, {});
  render(<PopupApp cached={cached} loadLive={async () => live} />);
  expect(screen.getByText('Cached framework')).toBeTruthy();
  expect(screen.getByText('Updating…')).toBeTruthy();
  await waitFor(() => expect(screen.getByText(demoFramework.name)).toBeTruthy());
  expect(screen.queryByText('Updating…')).toBeNull();
  // ...and the fresh figures replace the cache for the next popup.
  expect(readCoverageCache()?.name).toBe(demoFramework.name);
});

test('no cache, unreadable storage or a cache that does not parse paints nothing from it', () => {
  const store = (value: string | null) => ({ getItem: () => value });
  expect(readCoverageCache(store(null))).toBeUndefined();
  expect(readCoverageCache(store('{"version":1,'))).toBeUndefined();
  expect(readCoverageCache(store(JSON.stringify({ version: 1, name: 7 })))).toBeUndefined();
  const disabled = {
    getItem: () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  };
  expect(readCoverageCache(disabled)).toBeUndefined();
});

test('the cache keeps counts only and is written only when they change', () => {
  const rows = new Map<string, string>();
  let writes = 0;
  const store = {
    getItem: (k: string) => rows.get(k) ?? null,
    setItem: (k: string, v: string) => {
      writes += 1;
      rows.set(k, v);
    },
  };
  const coverage = computeCoverage({
    framework: demoFramework,
    clips: demoClips(),
    assessments: [],
    today: '2026-11-29',
  });
  writeCoverageCache({ name: 'F', notice: undefined, coverage }, store);
  writeCoverageCache({ name: 'F', notice: undefined, coverage }, store);
  expect(writes).toBe(1);
  const cached = readCoverageCache(store);
  expect(cached?.coverage.tally).toEqual(coverage.tally);
  const written = JSON.parse(rows.get(CACHE_KEY) ?? '{}') as { coverage: Coverage };
  const ids = written.coverage.domains.flatMap((d) =>
    d.standards.flatMap((s) => s.criteria.flatMap((c) => c.clipIds)),
  );
  expect(ids).toEqual([]);
  expect(rows.get(CACHE_KEY)).not.toContain(demoClips()[0]?.id);
  writeCoverageCache({ name: 'G', notice: undefined, coverage }, store);
  expect(writes).toBe(2);
});
