// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, expect, test } from 'vitest';
import { PopupApp } from '../../../extension/entrypoints/popup/app';
import { readCoverageCacheRaw } from '../../../extension/entrypoints/popup/cache-read';
import { writeCoverageCache } from '../../../extension/entrypoints/popup/coverage-cache';
import { createLiveParts } from '../../../extension/entrypoints/popup/live';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { seedFrameworks } from '../../../extension/lib/frameworks';
import { computeCoverage } from '../../../shared/coverage';
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

test('paints cached counts first, marked as updating', async () => {
  db = createDb('popup-cache');
  await seedFrameworks(db);
  const stale = computeCoverage({
    framework: demoFramework,
    clips: [],
    assessments: [],
    today: '2026-11-29',
  });
  await writeCoverageCache(db, { name: 'Cached framework', notice: undefined, coverage: stale });
  await db.clips.bulkPut(demoClips());
  // The first paint reads the cache without Dexie.
  const cached = await readCoverageCacheRaw('popup-cache');
  expect(cached?.name).toBe('Cached framework');
  const live = createLiveParts(db, {});
  render(<PopupApp cached={cached} loadLive={async () => live} />);
  expect(screen.getByText('Cached framework')).toBeTruthy();
  expect(screen.getByText('Updating…')).toBeTruthy();
  await waitFor(() => expect(screen.getByText(demoFramework.name)).toBeTruthy());
  expect(screen.queryByText('Updating…')).toBeNull();
});

test('the raw cache read never creates the database on a fresh install', async () => {
  expect(await readCoverageCacheRaw('popup-never-created')).toBeUndefined();
  const names = (await indexedDB.databases()).map((d) => d.name);
  expect(names).not.toContain('popup-never-created');
});

test('a cache row that does not parse is ignored', async () => {
  db = createDb('popup-bad-cache');
  await db.meta.put({ key: 'popupCoverageCache', value: { version: 1, name: 7 } });
  db.close();
  expect(await readCoverageCacheRaw('popup-bad-cache')).toBeUndefined();
  await db.open();
});
