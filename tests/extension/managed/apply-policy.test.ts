// Applying the managed policy in the background with WXT's fake browser: at start, again when the
// managed area changes, bad values reported and not applied, the team moved only when safe, and
// the join handler taking the managed invite from the background, never from the page.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleMessage } from '../../../extension/lib/background/handlers';
import { type ClipperDb, createDb } from '../../../extension/lib/db';
import { seedFrameworks } from '../../../extension/lib/frameworks';
import { applyManagedPolicy, watchManagedPolicy } from '../../../extension/lib/managed/apply-policy';
import { readAutoOpenLock } from '../../../extension/lib/managed/auto-open-lock';
import { readManagedView } from '../../../extension/lib/managed/managed-view';
import { readOriginGrants } from '../../../extension/lib/origin-grants';
import { META_KEYS } from '../../../extension/lib/store/rows';
import type { SyncControls } from '../../../extension/lib/sync/background-sync';
import { SYNC_META, type SyncTeam } from '../../../extension/lib/sync/state';

const SERVER = 'https://qsi.trust.nhs.uk';
const INVITE = `qsi-inv-${'b'.repeat(32)}`;
let db: ClipperDb;
let granted: Set<string>;

const team = (serverUrl: string): SyncTeam => ({
  serverUrl,
  teamId: 't1',
  teamName: 'Radiology QSI',
  memberId: 'm1',
  memberName: 'Ada',
  role: 'editor',
  deviceId: 'd1',
  clientId: 'client-0001',
  joinedAt: '2026-11-29T10:00:00.000Z',
});

beforeEach(() => {
  fakeBrowser.reset();
  db = createDb(`managed-${crypto.randomUUID()}`);
  granted = new Set();
  Object.assign(fakeBrowser.permissions, {
    contains: vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.has(o))),
    onAdded: { addListener: vi.fn() },
  });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(async () => {
  await db.delete();
});

describe('applyManagedPolicy', () => {
  test('no policy: nothing is locked and nothing changes', async () => {
    const view = await applyManagedPolicy(db);
    expect(view).toEqual({ hasInvite: false, problems: [] });
    expect(await browser.storage.local.get(['pdfAutoOpen', 'docxAutoOpen', 'originGrants'])).toEqual({});
    expect(await readAutoOpenLock('pdf')).toBe(false);
  });

  test('Firefox without a policy rejects the read: that is "no policy", not an error', async () => {
    vi.spyOn(browser.storage.managed, 'get').mockRejectedValue(
      new Error('Managed storage manifest not found'),
    );
    expect(await applyManagedPolicy(db)).toEqual({ hasInvite: false, problems: [] });
  });

  test('auto-open, granted sites and the default framework apply; the invite stays out of the view', async () => {
    await seedFrameworks(db);
    granted.add('https://intranet.trust.nhs.uk/*');
    await fakeBrowser.storage.managed.set({
      serverUrl: SERVER,
      inviteCode: INVITE,
      defaultFramework: `${SERVER}/v1/frameworks/qsi-2021`,
      evidenceSites: ['https://intranet.trust.nhs.uk', 'https://docs.trust.nhs.uk'],
      autoOpenPdf: true,
      autoOpenWord: true,
    });
    const view = await applyManagedPolicy(db);
    expect(view.hasInvite).toBe(true);
    expect(JSON.stringify(await db.meta.get(META_KEYS.managed))).not.toContain('qsi-inv-');
    expect(await browser.storage.local.get(['pdfAutoOpen', 'docxAutoOpen'])).toEqual({
      pdfAutoOpen: true,
      docxAutoOpen: true,
    });
    expect(await readAutoOpenLock('pdf')).toBe(true);
    expect((await readOriginGrants()).managed).toEqual([
      'https://intranet.trust.nhs.uk/*',
      'https://docs.trust.nhs.uk/*',
    ]);
    // Only the granted site shows evidence; the other waits for the user's Allow.
    expect((await readOriginGrants()).evidence).toEqual(['https://intranet.trust.nhs.uk/*']);
    expect((await db.meta.get(META_KEYS.activeFramework))?.value).toBe('qsi-2021');
  });

  test('a default framework not yet here is applied once it arrives (the next apply)', async () => {
    await fakeBrowser.storage.managed.set({
      serverUrl: SERVER,
      defaultFramework: `${SERVER}/v1/frameworks/qsi-2021`,
    });
    await applyManagedPolicy(db);
    expect(await db.meta.get(META_KEYS.activeFramework)).toBeUndefined();
    await seedFrameworks(db);
    await applyManagedPolicy(db);
    expect((await db.meta.get(META_KEYS.activeFramework))?.value).toBe('qsi-2021');
  });

  test('bad values are reported and not applied; good ones still are', async () => {
    await browser.storage.local.set({ pdfAutoOpen: false });
    await fakeBrowser.storage.managed.set({ autoOpenPdf: 'yes', autoOpenWord: true, serverUrl: 'ftp://x' });
    const view = await applyManagedPolicy(db);
    expect(view.problems).toHaveLength(2);
    expect(view.serverUrl).toBeUndefined();
    expect(await browser.storage.local.get(['pdfAutoOpen', 'docxAutoOpen'])).toEqual({
      pdfAutoOpen: false,
      docxAutoOpen: true,
    });
    expect((await readManagedView(db)).problems).toEqual(view.problems);
    // Only the valid value is locked in the viewers.
    expect(await readAutoOpenLock('pdf')).toBe(false);
    expect(await readAutoOpenLock('word')).toBe(true);
    expect(console.warn).toHaveBeenCalledTimes(2);
  });

  test('moves a joined device to the managed server only when granted and nothing is unsent', async () => {
    const join = vi.fn(async () => ({ ok: true }));
    await db.meta.put({ key: SYNC_META.team, value: team('https://old.trust.nhs.uk') });
    await fakeBrowser.storage.managed.set({ serverUrl: SERVER, inviteCode: INVITE });
    await applyManagedPolicy(db, { join });
    expect(join).not.toHaveBeenCalled(); // the new server's host is not granted yet
    granted.add('https://qsi.trust.nhs.uk/*');
    await db.outbox.add({ mutationId: 1 } as never);
    await applyManagedPolicy(db, { join });
    expect(join).not.toHaveBeenCalled(); // a change still waits for the old team
    await db.outbox.clear();
    await applyManagedPolicy(db, { join });
    expect(join).toHaveBeenCalledWith(SERVER, INVITE, 'Ada');
    // The new server's host is recorded as a sync grant (kept as evidence: granted before).
    expect(await readOriginGrants()).toMatchObject({
      sync: ['https://qsi.trust.nhs.uk/*'],
      evidence: ['https://qsi.trust.nhs.uk/*'],
    });
  });
});

test('watchManagedPolicy applies at start and again when the managed area changes', async () => {
  const reapply = watchManagedPolicy(db);
  expect(typeof reapply).toBe('function');
  await vi.waitFor(async () => expect(await db.meta.get(META_KEYS.managed)).toBeDefined());
  expect((await readManagedView(db)).autoOpenPdf).toBeUndefined();
  await fakeBrowser.storage.managed.set({ autoOpenPdf: true });
  await vi.waitFor(async () => expect((await readManagedView(db)).autoOpenPdf).toBe(true));
  expect((await browser.storage.local.get('pdfAutoOpen')).pdfAutoOpen).toBe(true);
  // A change to another area does not re-read the policy.
  const get = vi.spyOn(browser.storage.managed, 'get');
  await browser.storage.local.set({ unrelated: 1 });
  await new Promise((r) => setTimeout(r, 20));
  expect(get).not.toHaveBeenCalled();
});

test('joinTeam with managed: the server and invite come from the policy, not from the page', async () => {
  await fakeBrowser.storage.managed.set({ serverUrl: SERVER, inviteCode: INVITE });
  const join = vi.fn(async () => ({
    ok: false as const,
    error: { code: 'unavailable', message: 'offline' },
  }));
  const sync = { join } as unknown as SyncControls;
  const fromExtension = {
    id: browser.runtime.id,
    url: browser.runtime.getURL('/dashboard.html'),
  } as never;
  const body = {
    serverUrl: 'https://attacker.example',
    inviteCode: '',
    displayName: 'Grace',
    deviceLabel: '',
    managed: true,
  };
  await handleMessage({ name: 'joinTeam', body }, fromExtension, db, sync);
  expect(join).toHaveBeenCalledWith(SERVER, INVITE, 'Grace', '');
  // Without a managed team, a managed join is refused.
  await fakeBrowser.storage.managed.clear();
  const r = await handleMessage({ name: 'joinTeam', body }, fromExtension, db, sync);
  expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect(join).toHaveBeenCalledTimes(1);
});

test('an unchanged policy does not rewrite the row pages watch', async () => {
  await fakeBrowser.storage.managed.set({ autoOpenPdf: true });
  await applyManagedPolicy(db);
  const put = vi.spyOn(db.meta, 'put');
  await applyManagedPolicy(db);
  expect(put).not.toHaveBeenCalled();
  await fakeBrowser.storage.managed.set({ autoOpenPdf: false });
  await applyManagedPolicy(db);
  expect(put).toHaveBeenCalledTimes(1);
});
