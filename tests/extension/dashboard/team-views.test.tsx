// @vitest-environment happy-dom
// Team tab, conflicts view and sync status: what a user sees and what each button sends.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, expect, test, vi } from 'vitest';
import { SyncStatusLine } from '../../../extension/components/sync-status';
import { ConflictsView } from '../../../extension/entrypoints/dashboard/conflicts-view';
import { TeamView } from '../../../extension/entrypoints/dashboard/team-view';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { sendToBackground } from '../../../extension/lib/send-to-background';
import { SYNC_META, type SyncTeam } from '../../../extension/lib/sync/state';

vi.mock('../../../extension/lib/send-to-background', () => ({ sendToBackground: vi.fn() }));
const permissionsRequest = vi.fn();
const tabsCreate = vi.fn();
const local: Record<string, unknown> = {};
vi.mock('webextension-polyfill', () => ({
  default: {
    permissions: {
      request: (...a: unknown[]) => permissionsRequest(...a),
      contains: async () => false,
    },
    tabs: { create: (...a: unknown[]) => tabsCreate(...a) },
    storage: {
      local: {
        get: async (key: string) => ({ [key]: local[key] }),
        set: async (items: Record<string, unknown>) => Object.assign(local, items),
      },
    },
  },
}));
const send = vi.mocked(sendToBackground);

let db: ClipperDb | undefined;
afterEach(async () => {
  cleanup();
  await db?.delete();
});

const team: SyncTeam = {
  serverUrl: 'https://qsi.example.nhs.uk',
  teamId: 't1',
  teamName: 'Radiology QSI',
  memberId: 'm1',
  memberName: 'Ada',
  role: 'editor',
  deviceId: 'd1',
  clientId: 'client-0001',
  joinedAt: '2026-11-29T10:00:00.000Z',
};

test('join form: clear errors, asks the host permission first, then joins', async () => {
  db = createDb('team-join');
  render(<TeamView db={db} />);
  const join = await screen.findByRole('button', { name: 'Join team' });
  fireEvent.input(screen.getByLabelText('Server address'), { target: { value: 'http://example.org' } });
  fireEvent.click(join);
  expect((await screen.findByRole('alert')).textContent).toContain('https://');
  expect(permissionsRequest).not.toHaveBeenCalled();

  fireEvent.input(screen.getByLabelText('Server address'), {
    target: { value: 'http://127.0.0.1:8787' },
  });
  fireEvent.input(screen.getByLabelText('Invite code'), { target: { value: 'qsi-inv-abc' } });
  fireEvent.input(screen.getByLabelText('Your name'), { target: { value: 'Ada' } });
  permissionsRequest.mockResolvedValue(true);
  send.mockResolvedValue({ ok: false, error: { code: 'unauthorized', message: 'Invite expired.' } });
  fireEvent.click(join);
  expect(permissionsRequest).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
  await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Invite expired.'));
  // Granted for sync only: never counted as "always show evidence" on the server's host.
  expect(local.originGrants).toEqual({ sync: ['http://127.0.0.1/*'], evidence: [] });
  expect(send).toHaveBeenCalledWith('joinTeam', {
    serverUrl: 'http://127.0.0.1:8787',
    inviteCode: 'qsi-inv-abc',
    displayName: 'Ada',
    deviceLabel: '',
  });

  await waitFor(() => expect((join as HTMLButtonElement).disabled).toBe(false));
  permissionsRequest.mockResolvedValue(false);
  send.mockClear();
  fireEvent.click(join);
  await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('did not allow'));
  expect(send).not.toHaveBeenCalled();
});

test('sign in with your organisation: opens the server sign-in page; the code joins without a name', async () => {
  db = createDb('team-sign-in');
  render(<TeamView db={db} />);
  const signIn = await screen.findByRole('button', { name: 'Sign in with your organisation' });
  fireEvent.click(signIn);
  expect((await screen.findByRole('alert')).textContent).toContain('server address first');
  expect(tabsCreate).not.toHaveBeenCalled();

  fireEvent.input(screen.getByLabelText('Server address'), { target: { value: 'http://127.0.0.1:8787/' } });
  tabsCreate.mockResolvedValue({});
  fireEvent.click(signIn);
  expect(tabsCreate).toHaveBeenCalledWith({ url: 'http://127.0.0.1:8787/oidc/start' });
  await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());

  const code = `qsi-sso-${'a'.repeat(32)}`;
  fireEvent.input(screen.getByLabelText('Invite code'), { target: { value: ` ${code} ` } });
  permissionsRequest.mockResolvedValue(true);
  send.mockResolvedValue({ ok: true, value: { teamName: 'Radiology QSI', memberName: 'Alice', queued: 0 } });
  fireEvent.click(screen.getByRole('button', { name: 'Join team' }));
  await waitFor(() =>
    expect(send).toHaveBeenCalledWith('joinTeam', {
      serverUrl: 'http://127.0.0.1:8787/',
      inviteCode: code,
      displayName: 'Member',
      deviceLabel: '',
    }),
  );
  expect((await screen.findByRole('status')).textContent).toContain('Joined Radiology QSI as Alice');
});

test('joined: team, member, status, pending; leaving with pending changes offers to discard', async () => {
  db = createDb('team-joined');
  await db.meta.put({ key: SYNC_META.team, value: team });
  await db.meta.put({
    key: SYNC_META.status,
    value: {
      state: 'synced',
      message: 'Up to date',
      at: '2026-11-29T10:05:00.000Z',
      lastSyncedAt: '2026-11-29T10:05:00.000Z',
      failures: 0,
    },
  });
  await db.meta.put({ key: SYNC_META.storage, value: { granted: false, at: '2026-11-29T10:00:00.000Z' } });
  await db.outbox.add({
    mutationId: 1,
    mutation: { mutationId: 1, type: 'clip.delete', id: '00000000-0000-4000-8000-000000000001' },
    createdAt: '2026-11-29T10:00:00.000Z',
  });
  render(<TeamView db={db} />);
  await screen.findByText('Radiology QSI');
  expect(screen.getByText('Ada (editor)')).toBeTruthy();
  expect(screen.getByText(/Pending: 1 change to send/)).toBeTruthy();
  expect(screen.getByText(/Storage may be cleared/)).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Leave team' }));
  expect(screen.getByText(/1 change has not reached the team yet/)).toBeTruthy();
  send.mockResolvedValue({ ok: true, value: { discarded: 1 } });
  fireEvent.click(screen.getByRole('button', { name: 'Leave and discard 1 change' }));
  await waitFor(() => expect(send).toHaveBeenCalledWith('leaveTeam', { discardPending: true }));
});

test('conflicts: mine and theirs side by side; keep mine and edit send the choice', async () => {
  db = createDb('team-conflicts');
  await db.conflicts.put({
    key: 'clip:c1',
    kind: 'clip',
    id: 'c1',
    reason: 'fields',
    fields: ['note'],
    mine: { note: 'My note <b>bold</b>' },
    theirs: { note: 'Their note' },
    theirsVersions: { note: 3 },
    detectedAt: '2026-11-29T10:00:00.000Z',
  });
  render(<ConflictsView db={db} />);
  const mine = await screen.findByText('My note <b>bold</b>');
  expect(mine.tagName).toBe('TD');
  expect(screen.getByText('Their note')).toBeTruthy();
  send.mockResolvedValue({ ok: true, value: { resolved: true } });
  fireEvent.click(screen.getByRole('button', { name: 'Keep mine' }));
  await waitFor(() =>
    expect(send).toHaveBeenCalledWith('resolveConflict', { key: 'clip:c1', choice: 'mine' }),
  );
  fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
  fireEvent.input(screen.getByLabelText('Note'), { target: { value: 'Both notes' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() =>
    expect(send).toHaveBeenCalledWith('resolveConflict', {
      key: 'clip:c1',
      choice: 'edit',
      value: { note: 'Both notes' },
    }),
  );
});

test('a clip deleted by a teammate: keep mine restores it, keep theirs accepts the deletion', async () => {
  db = createDb('team-conflict-deleted');
  await db.conflicts.put({
    key: 'clip:c2',
    kind: 'clip',
    id: 'c2',
    reason: 'deleted',
    fields: [],
    mine: { quote: 'Quoted passage', note: 'My unsent note' },
    theirs: { deleted: true },
    theirsVersions: {},
    detectedAt: '2026-11-29T10:00:00.000Z',
  });
  render(<ConflictsView db={db} />);
  await screen.findByText('My unsent note');
  expect(screen.getByText('Deleted')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  send.mockResolvedValue({ ok: true, value: { resolved: true } });
  fireEvent.click(screen.getByRole('button', { name: 'Keep theirs (delete it)' }));
  await waitFor(() =>
    expect(send).toHaveBeenCalledWith('resolveConflict', { key: 'clip:c2', choice: 'theirs' }),
  );
  expect(screen.getByRole('button', { name: 'Keep mine (restore the clip)' })).toBeTruthy();
});

test('status line says each state in words', () => {
  const cases = [
    [{ state: 'synced', pending: 0, message: 'Up to date' }, 'Synced'],
    [{ state: 'pending', pending: 3, message: '' }, 'Pending: 3 changes to send'],
    [{ state: 'offline', pending: 0, message: 'Server unreachable' }, 'Offline — Server unreachable'],
    [
      { state: 'revoked', pending: 0, message: 'Ask your admin' },
      'Signed out: token revoked — Ask your admin',
    ],
    [{ state: 'incompatible', pending: 0, message: 'Update' }, 'Server incompatible — Update'],
    [{ state: 'error', pending: 0, message: 'Disk full' }, 'Sync error — Disk full'],
  ] as const;
  for (const [view, text] of cases) {
    const { container, unmount } = render(<SyncStatusLine view={view} />);
    expect(container.textContent?.replace(/^\S+\s/, '')).toBe(text);
    unmount();
  }
  const { container } = render(
    <SyncStatusLine
      view={{ state: 'offline', pending: 2, message: 'Offline: no server' }}
      compact
      conflicts={1}
    />,
  );
  expect(container.textContent).toBe('⚠ Offline · 1 conflict to resolve');
});
