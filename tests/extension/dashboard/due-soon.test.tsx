// @vitest-environment happy-dom
// "Due soon" views: the dashboard's list and settings (the notification permission is asked for
// only when the user turns it on, and given back when they turn it off) and the popup's list,
// read from the row the background stores.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DashboardData } from '../../../extension/entrypoints/dashboard/data';
import { DueSoonView } from '../../../extension/entrypoints/dashboard/due-soon-view';
import { DueSoon } from '../../../extension/entrypoints/popup/due-soon';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { storeDueSoon } from '../../../extension/lib/reminders/due-soon-store';
import { getReminderSettings, NOTIFICATIONS_PERMISSION } from '../../../extension/lib/reminders/settings';
import type { Assessment } from '../../../shared/schemas';

const TODAY = '2026-12-06';
let granted = false;
let answer = false;
const request = vi.fn(async () => {
  granted = answer;
  return answer;
});
const remove = vi.fn(async () => {
  granted = false;
  return true;
});
let db: ClipperDb | undefined;

beforeEach(() => {
  fakeBrowser.reset();
  granted = false;
  answer = false;
  request.mockClear();
  remove.mockClear();
  const event = { addListener: vi.fn(), removeListener: vi.fn(), hasListener: vi.fn() };
  Object.assign(fakeBrowser.permissions, {
    contains: vi.fn(async () => granted),
    request,
    remove,
    onAdded: event,
    onRemoved: event,
  });
});
afterEach(async () => {
  cleanup();
  await db?.delete();
  db = undefined;
});

const assessment: Assessment = {
  criterionId: 'demo:DEMO-LM-02',
  rating: 'amber',
  owner: 'Priya Shah',
  action: 'Re-audit the risk assessments.',
  dueDate: '2026-12-01',
  comment: '',
  updatedAt: '2026-11-01T10:00:00.000Z',
};

function data(assessments: Assessment[]): DashboardData {
  return {
    frameworks: [],
    active: undefined,
    activeId: undefined,
    managedFrameworkId: undefined,
    clips: [],
    assessments,
    coverage: undefined,
    aggregates: [],
    criteria: new Map(),
    today: TODAY,
    conflicted: new Set(),
  };
}

test('dashboard: overdue actions with their owner; the notification asks for permission only when turned on', async () => {
  render(<DueSoonView data={data([assessment])} onOpenCriterion={() => {}} />);
  const table = await screen.findByRole('table', { name: 'Assessment actions due or overdue' });
  expect(table.textContent).toContain('overdue by 5 days');
  expect(table.textContent).toContain('Priya Shah');
  expect(screen.getByText('No clipped document reaches its review date in this window.')).toBeTruthy();
  expect(request).not.toHaveBeenCalled();

  const notify = screen.getByRole('checkbox', { name: /notification once a week/ }) as HTMLInputElement;
  // Refused: the setting stays off and the user is told why.
  fireEvent.click(notify);
  await waitFor(() => expect(screen.getByText(/did not allow notifications/)).toBeTruthy());
  expect(request).toHaveBeenCalledWith(NOTIFICATIONS_PERMISSION);
  expect((await getReminderSettings()).weeklyNotification).toBe(false);

  // Granted: on; turned off again: the permission is given back.
  answer = true;
  fireEvent.click(notify);
  await waitFor(async () => expect((await getReminderSettings()).weeklyNotification).toBe(true));
  await waitFor(() => expect(notify.checked).toBe(true));
  fireEvent.click(notify);
  await waitFor(async () => expect((await getReminderSettings()).weeklyNotification).toBe(false));
  expect(remove).toHaveBeenCalledWith(NOTIFICATIONS_PERMISSION);
});

test('dashboard: the window is saved only when it is a whole number of days in range', async () => {
  render(<DueSoonView data={data([{ ...assessment, dueDate: '2027-01-20' }])} onOpenCriterion={() => {}} />);
  const input = (await screen.findByLabelText(/this many days before/)) as HTMLInputElement;
  const save = screen.getByRole('button', { name: 'Save window' }) as HTMLButtonElement;
  // 45 days ahead: outside a 30-day window, inside the default 60.
  expect(screen.getByRole('table', { name: 'Assessment actions due or overdue' })).toBeTruthy();
  fireEvent.input(input, { target: { value: '0' } });
  expect(save.disabled).toBe(true);
  fireEvent.input(input, { target: { value: '30' } });
  expect(save.disabled).toBe(false);
  fireEvent.click(save);
  await waitFor(() =>
    expect(screen.getByText('No self-assessment action is due in this window.')).toBeTruthy(),
  );
  expect((await getReminderSettings()).windowDays).toBe(30);
});

test('popup: lists the stored items with their owners, overdue first', async () => {
  db = createDb('due-soon-popup');
  render(<DueSoon db={db} today={TODAY} />);
  await waitFor(() => expect(screen.getByText('Working out what is due…')).toBeTruthy());
  await storeDueSoon(db, {
    today: TODAY,
    windowDays: 60,
    items: [
      {
        kind: 'action',
        key: 'action:demo:DEMO-LM-02',
        date: '2026-12-01',
        owner: 'Priya Shah',
        criterionId: 'demo:DEMO-LM-02',
        action: 'Re-audit',
      },
      {
        kind: 'document',
        key: 'doc:https://intranet.example/p:2027-01-05',
        date: '2027-01-05',
        owner: '',
        docKey: 'https://intranet.example/p',
        url: 'https://intranet.example/p',
        title: 'Lone working',
        clips: 2,
        criteria: ['demo:DEMO-CL-01'],
      },
    ],
  });
  const list = await screen.findByRole('list', { name: 'Due soon' });
  const rows = [...list.querySelectorAll('li')].map((li) => li.textContent);
  expect(rows[0]).toContain('overdue by 5 days');
  expect(rows[0]).toContain('Owner: Priya Shah');
  expect(rows[1]).toContain('due in 30 days');
  expect(rows[1]).toContain('No owner named · 2 clips');
  expect(screen.getByRole('link', { name: /Lone working/ }).getAttribute('href')).toBe(
    'https://intranet.example/p',
  );
});
