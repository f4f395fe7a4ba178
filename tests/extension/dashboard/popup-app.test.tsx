// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, expect, test } from 'vitest';
import { PopupApp } from '../../../extension/entrypoints/popup/app';
import { writeCoverageCache } from '../../../extension/entrypoints/popup/coverage-cache';
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
  render(<PopupApp db={db} thisPage={<p>THIS PAGE SLOT</p>} syncStatus="Synced just now" />);
  expect(screen.getByText('THIS PAGE SLOT')).toBeTruthy();
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
  render(<PopupApp db={db} />);
  await waitFor(() => expect(screen.getByText('Cached framework')).toBeTruthy());
  expect(screen.getByText('Updating…')).toBeTruthy();
  await waitFor(() => expect(screen.getByText(demoFramework.name)).toBeTruthy());
  expect(screen.queryByText('Updating…')).toBeNull();
});
