// @vitest-environment happy-dom
// The dashboard's clip history and "edited by": what a user sees, as text, and the clear
// messages when the history cannot be had (not joined, offline).
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, expect, test, vi } from 'vitest';
import { ClipEditor } from '../../../extension/entrypoints/dashboard/clip-editor';
import { historyLines, memberNames, shortValue } from '../../../extension/entrypoints/dashboard/clip-history';
import { sendToBackground } from '../../../extension/lib/send-to-background';
import type { ClipHistoryEntry } from '../../../shared/protocol';
import type { Clip } from '../../../shared/schemas';

vi.mock('../../../extension/lib/send-to-background', () => ({ sendToBackground: vi.fn() }));
const send = vi.mocked(sendToBackground);
afterEach(() => {
  cleanup();
  send.mockReset();
});

const ANN = { id: '11111111-1111-4111-8111-111111111111', name: 'Ann' };
const BOB = { id: '22222222-2222-4222-8222-222222222222', name: '<img src=x onerror=alert(1)>Bob' };
const clip: Clip = {
  id: '33333333-3333-4333-8333-333333333333',
  url: 'https://intranet.example/p.html',
  docKey: 'https://intranet.example/p.html',
  title: 'Policy',
  selectors: [{ type: 'TextQuoteSelector', exact: 'three points' }],
  quote: 'three points',
  criteria: [],
  note: 'checked',
  docMeta: {},
  createdBy: ANN,
  updatedBy: BOB,
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-05T10:30:00.000Z',
  deleted: false,
};
const entries: ClipHistoryEntry[] = [
  {
    seq: 3,
    at: '2026-12-01T09:00:00.000Z',
    by: ANN.id,
    type: 'create',
    changes: { note: { from: null, to: 'x' } },
  },
  {
    seq: 9,
    at: '2026-12-05T10:30:00.000Z',
    by: BOB.id,
    type: 'update',
    changes: {
      note: { from: 'first', to: 'checked' },
      criteria: { from: ['demo:A'], to: ['demo:A', 'demo:B'] },
    },
  },
  { seq: 12, at: '2026-12-06T08:00:00.000Z', by: null, type: 'delete', changes: {} },
];

test('history lines: newest first, names from known clips, values shortened', () => {
  const lines = historyLines(entries, memberNames([clip]));
  expect(lines.map((l) => `${l.who} ${l.action}`)).toEqual([
    'someone (before history was kept) deleted',
    `${BOB.name} edited`,
    'Ann created',
  ]);
  expect(lines[1]?.changes).toEqual([
    { field: 'Note', from: 'first', to: 'checked' },
    { field: 'Criteria', from: 'demo:A', to: 'demo:A, demo:B' },
  ]);
  expect(
    historyLines(
      [{ ...entries[1], by: '44444444-4444-4444-8444-444444444444' } as ClipHistoryEntry],
      new Map(),
    )[0]?.who,
  ).toBe('member 44444444');
  const long = shortValue('a'.repeat(500));
  expect(long).toHaveLength(80);
  expect(long.endsWith('…')).toBe(true);
  expect(shortValue(null)).toBe('(none)');
  expect(shortValue({ documentId: 'RAD-1' })).toBe('{"documentId":"RAD-1"}');
});

test('the editor shows "edited by" and, on History, the changes as text', async () => {
  send.mockResolvedValue({ ok: true, value: { entries } } as never);
  render(
    <ClipEditor
      clip={clip}
      options={[]}
      names={memberNames([clip])}
      onClose={() => {}}
      onSave={() => {}}
      onDelete={() => {}}
    />,
  );
  expect(screen.getByText(/edited by <img src=x onerror=alert\(1\)>Bob on 2026-12-05/)).toBeTruthy();
  const button = screen.getByRole('button', { name: 'History' });
  expect(button.getAttribute('aria-expanded')).toBe('false');
  fireEvent.click(button);
  expect(button.getAttribute('aria-expanded')).toBe('true');
  expect(send).toHaveBeenCalledWith('getClipHistory', { id: clip.id });
  expect(await screen.findByText(/edited the clip/)).toBeTruthy();
  expect(screen.getByRole('region', { name: 'History' })).toBeTruthy();
  expect(screen.getByText('first')).toBeTruthy();
  expect(screen.getByText('checked', { selector: 'q' })).toBeTruthy();
  expect(document.querySelector('img')).toBeNull();
});

test('not joined and offline: a clear message', async () => {
  send.mockResolvedValueOnce({
    ok: false,
    error: { code: 'unauthorized', message: 'Join a team first.' },
  } as never);
  render(<ClipEditor clip={clip} options={[]} onClose={() => {}} onSave={() => {}} onDelete={() => {}} />);
  fireEvent.click(screen.getByRole('button', { name: 'History' }));
  expect(await screen.findByText(/join a team to see who changed this clip/)).toBeTruthy();
  cleanup();
  send.mockResolvedValueOnce({
    ok: false,
    error: { code: 'unavailable', message: 'The team server could not be reached.' },
  } as never);
  render(<ClipEditor clip={clip} options={[]} onClose={() => {}} onSave={() => {}} onDelete={() => {}} />);
  fireEvent.click(screen.getByRole('button', { name: 'History' }));
  expect(await screen.findByText(/could not be reached\. Try again when online/)).toBeTruthy();
});
