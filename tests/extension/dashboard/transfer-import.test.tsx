// @vitest-environment happy-dom
// Import in the dashboard: a file that would replace clips already synced with the team asks
// first, and an oversized file is refused with a clear message; nothing changes until agreed.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { loadDashboard } from '../../../extension/entrypoints/dashboard/data';
import { TransferView } from '../../../extension/entrypoints/dashboard/transfer-view';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { buildBackup } from '../../../shared/exports/backup';
import { IMPORT_LIMITS } from '../../../shared/import-limits';
import type { Clip } from '../../../shared/schemas';
import { demoClips } from '../../e2e/dashboard-fixtures';

let db: ClipperDb;
let n = 0;
const colleague = { id: 'member-colleague', name: 'A. Colleague' };

beforeEach(async () => {
  db = createDb(`transfer-import-${n++}`);
  const [first, second] = demoClips() as [Clip, Clip];
  await db.clips.bulkPut([
    { ...first, createdBy: colleague, sync: { seq: 3, versions: { note: 1 } } },
    second,
  ]);
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

function backupFile(clips: Clip[], size?: number): File {
  const text = JSON.stringify(
    buildBackup({ exportedAt: '2026-12-01T10:00:00.000Z', frameworks: [], assessments: [], clips }),
  );
  const file = new File([text], 'backup.json', { type: 'application/json' });
  if (size !== undefined) Object.defineProperty(file, 'size', { value: size });
  return file;
}

async function choose(file: File): Promise<void> {
  render(<TransferView db={db} data={await loadDashboard(db)} />);
  const input = screen.getByLabelText('Annotation or backup file (.json, .jsonld)') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file] });
  fireEvent.change(input);
}

test('replacing a shared clip needs the explicit tick; the author stays the team’s', async () => {
  const [first] = demoClips() as [Clip];
  await choose(backupFile([{ ...first, note: 'rewritten', createdBy: { id: 'x', name: 'Forged' } }]));
  await waitFor(() =>
    expect(screen.getByRole('alert').textContent).toContain('1 of these clips are already shared'),
  );
  const importButton = screen.getByRole('button', { name: 'Import 1 clips' }) as HTMLButtonElement;
  expect(importButton.disabled).toBe(true);
  fireEvent.click(screen.getByLabelText('Replace the 1 shared clips'));
  await waitFor(() => expect(importButton.disabled).toBe(false));
  fireEvent.click(importButton);
  await waitFor(() => expect(screen.getByRole('status').textContent).toContain('1 updated'));
  expect(await db.clips.get(first.id)).toMatchObject({ note: 'rewritten', createdBy: colleague });
});

test('a file over the size cap is refused before it is read', async () => {
  await choose(backupFile([], IMPORT_LIMITS.annotationFileBytes + 1));
  await waitFor(() =>
    expect(screen.getByRole('alert').textContent).toMatch(/files over 100 MB are not imported/),
  );
  expect(screen.queryByRole('button', { name: /^Import/ })).toBeNull();
});
