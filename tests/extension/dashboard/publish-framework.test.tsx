// @vitest-environment happy-dom
// "Publish to team" appears for team admins only and sends the framework's id to the background.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, expect, test, vi } from 'vitest';
import { PublishFramework } from '../../../extension/entrypoints/dashboard/publish-framework';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { sendToBackground } from '../../../extension/lib/send-to-background';
import { SYNC_META } from '../../../extension/lib/sync/state';
import { demoFramework } from '../../../shared/frameworks/demo';

vi.mock('../../../extension/lib/send-to-background', () => ({ sendToBackground: vi.fn() }));
const send = vi.mocked(sendToBackground);

let db: ClipperDb | undefined;
afterEach(async () => {
  cleanup();
  await db?.delete();
});

const joined = (role: 'admin' | 'editor') => ({
  key: SYNC_META.team,
  value: {
    serverUrl: 'https://qsi.example.nhs.uk',
    teamId: 't1',
    teamName: 'Radiology QSI',
    memberId: 'm1',
    memberName: 'Ada',
    role,
    deviceId: 'd1',
    clientId: 'client-0001',
    joinedAt: '2026-11-29T10:00:00.000Z',
  },
});

test('an admin publishes; the answer is announced', async () => {
  db = createDb(`pub-${crypto.randomUUID()}`);
  await db.meta.put(joined('admin'));
  send.mockResolvedValue({ ok: true, value: { seq: 12 } });
  render(<PublishFramework db={db} framework={demoFramework} />);
  fireEvent.click(await screen.findByRole('button', { name: /Publish to team/ }));
  await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Published to Radiology QSI'));
  expect(send).toHaveBeenCalledWith('publishFramework', { frameworkId: 'demo' });
});

test('editors and installs without a team see no publish button', async () => {
  db = createDb(`pub-${crypto.randomUUID()}`);
  render(<PublishFramework db={db} framework={demoFramework} />);
  await db.meta.put(joined('editor'));
  await new Promise((r) => setTimeout(r, 50));
  expect(screen.queryByRole('button', { name: /Publish to team/ })).toBeNull();
});
