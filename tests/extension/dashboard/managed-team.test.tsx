// @vitest-environment happy-dom
// The Team page under an organisation's policy: the server and invite locked with "Managed by
// your organisation" (described for screen readers), the join sending only the user's name, the
// refused policy values listed, leaving locked once in the managed team.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, expect, test, vi } from 'vitest';
import { TeamView } from '../../../extension/entrypoints/dashboard/team-view';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import type { ManagedView } from '../../../extension/lib/managed/policy';
import { sendToBackground } from '../../../extension/lib/send-to-background';
import { META_KEYS } from '../../../extension/lib/store/rows';
import { SYNC_META } from '../../../extension/lib/sync/state';

vi.mock('../../../extension/lib/send-to-background', () => ({ sendToBackground: vi.fn() }));
const permissionsRequest = vi.fn();
const local: Record<string, unknown> = {};
vi.mock('webextension-polyfill', () => ({
  default: {
    permissions: {
      request: (...a: unknown[]) => permissionsRequest(...a),
      contains: async ({ origins }: { origins: string[] }) =>
        !origins.includes('https://docs.trust.nhs.uk/*'),
    },
    storage: {
      local: {
        get: async (key: string) => ({ [key]: local[key] }),
        set: async (items: Record<string, unknown>) => Object.assign(local, items),
      },
    },
  },
}));
const send = vi.mocked(sendToBackground);
const SERVER = 'https://qsi.trust.nhs.uk';
const view: ManagedView = {
  serverUrl: SERVER,
  hasInvite: true,
  evidenceSites: ['https://intranet.trust.nhs.uk/*', 'https://docs.trust.nhs.uk/*'],
  autoOpenPdf: true,
  problems: ['autoOpenWord must be true or false: ignored.'],
};

let db: ClipperDb | undefined;
afterEach(async () => {
  cleanup();
  await db?.delete();
});

test('not joined: server and invite locked and described; the join sends the name only', async () => {
  db = createDb('managed-team-join');
  await db.meta.put({ key: META_KEYS.managed, value: view });
  render(<TeamView db={db} />);
  const server = (await screen.findByLabelText('Server address')) as HTMLInputElement;
  await waitFor(() => expect(server.value).toBe(SERVER));
  expect(server.disabled).toBe(true);
  const note = document.getElementById(server.getAttribute('aria-describedby') ?? '');
  expect(note?.textContent).toContain('Managed by your organisation');
  const invite = screen.getByLabelText('Invite code') as HTMLInputElement;
  expect(invite.disabled).toBe(true);
  expect(invite.value).toBe('');
  // The card lists what is set, the site still waiting, and the refused value.
  const card = screen.getByRole('region', { name: 'Managed by your organisation' });
  expect(card.textContent).toContain('Open PDFs automaticallyOn');
  await waitFor(() =>
    expect(card.textContent).toContain('https://docs.trust.nhs.uk — waiting for your Allow'),
  );
  expect(card.textContent).toContain('autoOpenWord must be true or false');
  permissionsRequest.mockResolvedValue(true);
  fireEvent.click(screen.getByRole('button', { name: 'Allow this site' }));
  expect(permissionsRequest).toHaveBeenCalledWith({ origins: ['https://docs.trust.nhs.uk/*'] });

  permissionsRequest.mockClear();
  send.mockResolvedValue({ ok: true, value: { teamName: 'Radiology QSI', memberName: 'Grace', queued: 0 } });
  fireEvent.input(screen.getByLabelText('Your name'), { target: { value: 'Grace' } });
  fireEvent.click(screen.getByRole('button', { name: 'Join team' }));
  expect(permissionsRequest).toHaveBeenCalledWith({ origins: ['https://qsi.trust.nhs.uk/*'] });
  await waitFor(() =>
    expect(send).toHaveBeenCalledWith('joinTeam', {
      serverUrl: SERVER,
      inviteCode: '',
      displayName: 'Grace',
      deviceLabel: '',
      managed: true,
    }),
  );
});

test('joined to the managed team: leaving is locked; joined elsewhere: the move is explained', async () => {
  db = createDb('managed-team-joined');
  await db.meta.put({ key: META_KEYS.managed, value: view });
  const team = {
    serverUrl: SERVER,
    teamId: 't1',
    teamName: 'Radiology QSI',
    memberId: 'm1',
    memberName: 'Grace',
    role: 'editor',
    deviceId: 'd1',
    clientId: 'client-0001',
    joinedAt: '2026-11-29T10:00:00.000Z',
  };
  await db.meta.put({ key: SYNC_META.team, value: team });
  render(<TeamView db={db} />);
  const leave = (await screen.findByRole('button', { name: 'Leave team' })) as HTMLButtonElement;
  expect(leave.disabled).toBe(true);
  expect(document.getElementById(leave.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
    'Managed by your organisation',
  );
  await db.meta.put({ key: SYNC_META.team, value: { ...team, serverUrl: 'https://old.trust.nhs.uk' } });
  await waitFor(() =>
    expect(
      screen
        .getAllByRole('note')
        .map((n) => n.textContent)
        .join(' '),
    ).toContain("Your organisation's team server"),
  );
  expect((screen.getByRole('button', { name: 'Leave team' }) as HTMLButtonElement).disabled).toBe(false);
});
