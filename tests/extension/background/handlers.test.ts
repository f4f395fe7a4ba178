import { beforeEach, describe, expect, test, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CLIP_VIEW_FILE } from '../../../extension/lib/background/content-injection';
import { handleMessage } from '../../../extension/lib/background/handlers';
import { createDb } from '../../../extension/lib/db';
import { seedFrameworks } from '../../../extension/lib/frameworks';
import type { ClipDraft } from '../../../extension/lib/messaging';
import { readOriginGrants } from '../../../extension/lib/origin-grants';
import { SYNC_META } from '../../../extension/lib/sync/state';

const PAGE = 'https://intranet.example.nhs.uk/policies/patient-id.html?utm_source=mail#section-2';
let db: ReturnType<typeof createDb>;

const draft = (over: Partial<ClipDraft> = {}): ClipDraft => ({
  url: PAGE,
  title: 'Patient identification policy',
  selectors: [
    {
      type: 'TextQuoteSelector',
      exact: 'three points of identification',
      prefix: 'confirm ',
      suffix: ' before',
    },
    { type: 'TextPositionSelector', start: 10, end: 41 },
  ],
  quote: 'three points of identification',
  criteria: ['demo:DEMO-CL-01', 'demo:DEMO-CL-02'],
  note: 'Section 2 of the policy',
  docMeta: { documentId: 'RAD-POL-001', reviewDue: '2027-03-31' },
  snapshotText: 'Operators confirm three points of identification before every exposure.',
  ...over,
});

const fromPage = (url = PAGE) => ({ id: browser.runtime.id, url, tab: { id: 1 } }) as never;
const fromExtension = () =>
  ({ id: browser.runtime.id, url: browser.runtime.getURL('/dashboard.html') }) as never;

beforeEach(async () => {
  fakeBrowser.reset();
  db = createDb(`test-${crypto.randomUUID()}`);
  await seedFrameworks(db);
});

describe('saveClip', () => {
  test('stores a complete clip in one go: docKey, snapshot hash, author, timestamps', async () => {
    const reply = await handleMessage({ name: 'saveClip', body: { draft: draft() } }, fromPage(), db);
    expect(reply.ok).toBe(true);
    const [stored] = await db.clips.toArray();
    expect(stored?.docKey).toBe('https://intranet.example.nhs.uk/policies/patient-id.html');
    expect(stored?.snapshot?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.createdBy.name).toBe('Me');
    expect(stored?.criteria).toEqual(['demo:DEMO-CL-01', 'demo:DEMO-CL-02']);
    expect(stored?.deleted).toBe(false);
    const page = await handleMessage({ name: 'getPageClips', body: { url: PAGE } }, fromPage(), db);
    expect(page.ok && (page.value as { clips: unknown[] }).clips).toHaveLength(1);
  });

  test.each([
    ['an empty selection', { quote: '   ' }, 'bad_request'],
    ['no criterion', { criteria: [] }, 'bad_request'],
    ['a quote over the size cap', { quote: 'x'.repeat(20_001) }, 'validation_failed'],
  ])('refuses %s with a clear error and stores nothing', async (_n, over, code) => {
    const reply = await handleMessage({ name: 'saveClip', body: { draft: draft(over) } }, fromPage(), db);
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.code).toBe(code);
    expect(await db.clips.count()).toBe(0);
  });

  test('a page cannot clip on behalf of another page', async () => {
    const reply = await handleMessage(
      { name: 'saveClip', body: { draft: draft() } },
      fromPage('https://evil.example.com/'),
      db,
    );
    expect(!reply.ok && reply.error.code).toBe('forbidden');
    expect(await db.clips.count()).toBe(0);
  });
});

describe('message validation and senders', () => {
  test('a page cannot read another page’s clips', async () => {
    await handleMessage({ name: 'saveClip', body: { draft: draft() } }, fromPage(), db);
    const other = await handleMessage(
      { name: 'getPageClips', body: { url: PAGE } },
      fromPage('https://evil.example.com/'),
      db,
    );
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const extensionPage = await handleMessage(
      { name: 'getPageClips', body: { url: PAGE } },
      fromExtension(),
      db,
    );
    expect(extensionPage.ok && (extensionPage.value as { clips: unknown[] }).clips).toHaveLength(1);
  });

  test('rejects unknown senders, unknown names and malformed bodies', async () => {
    const other = { id: 'some-other-extension', url: PAGE, tab: { id: 1 } } as never;
    expect(await handleMessage({ name: 'getPageClips', body: { url: PAGE } }, other, db)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await handleMessage({ name: 'dropTables', body: {} }, fromPage(), db)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await handleMessage({ name: 'getPageClips', body: { url: 7 } }, fromPage(), db)).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
  });
});

describe('edit, delete with undo, move, anchors and drafts', () => {
  test('round trip', async () => {
    const saved = await handleMessage({ name: 'saveClip', body: { draft: draft() } }, fromPage(), db);
    if (!saved.ok) throw new Error(saved.error.message);
    const id = (saved.value as { clip: { id: string } }).clip.id;

    const edited = await handleMessage(
      { name: 'updateClipTags', body: { id, criteria: ['demo:DEMO-CL-03'], note: 'changed', docMeta: {} } },
      fromPage(),
      db,
    );
    expect(edited.ok).toBe(true);
    expect((await db.clips.get(id))?.criteria).toEqual(['demo:DEMO-CL-03']);

    await handleMessage({ name: 'deleteClip', body: { id } }, fromPage(), db);
    expect((await db.clips.get(id))?.deleted).toBe(true);
    await handleMessage({ name: 'restoreClip', body: { id } }, fromPage(), db);
    expect((await db.clips.get(id))?.deleted).toBe(false);

    const moved = await handleMessage(
      {
        name: 'moveClip',
        body: {
          id,
          url: PAGE,
          quote: 'new text',
          selectors: [{ type: 'TextQuoteSelector', exact: 'new text' }],
        },
      },
      fromPage(),
      db,
    );
    expect(moved.ok).toBe(true);
    const after = await db.clips.get(id);
    expect(after?.quote).toBe('new text');
    expect(after?.history?.[0]?.selectors[0]).toMatchObject({ exact: 'three points of identification' });

    await handleMessage(
      { name: 'reportAnchors', body: { url: PAGE, results: [{ id, status: 'lost' }] } },
      fromPage(),
      db,
    );
    expect((await db.clips.get(id))?.anchor?.status).toBe('lost');

    await handleMessage(
      { name: 'saveDraft', body: { url: PAGE, draft: draft({ note: 'half typed' }) } },
      fromPage(),
      db,
    );
    const got = await handleMessage(
      { name: 'getDraft', body: { url: `${PAGE}&x=1` } },
      fromPage(`${PAGE}&x=1`),
      db,
    );
    expect(got.ok && (got.value as { draft: { note: string } | null }).draft?.note).toBe('half typed');
    // Not in storage.local, which every content script can read.
    expect(await browser.storage.local.get(null)).toEqual({});
  });

  test('criteria choices come from the active framework with usage counts', async () => {
    await handleMessage({ name: 'saveClip', body: { draft: draft() } }, fromPage(), db);
    const reply = await handleMessage({ name: 'getCriteriaChoices', body: {} }, fromExtension(), db);
    if (!reply.ok) throw new Error(reply.error.message);
    const { choices } = reply.value as { choices: { id: string; uses: number }[] };
    expect(choices).toHaveLength(40);
    expect(choices.find((c) => c.id === 'demo:DEMO-CL-01')?.uses).toBe(1);
  });
});

describe('sync wiring', () => {
  test('once joined, a clip saved from a page and its edits land in the outbox in the same transaction', async () => {
    await db.meta.put({
      key: SYNC_META.team,
      value: {
        serverUrl: 'http://127.0.0.1:8787',
        teamId: 't1',
        teamName: 'Radiology',
        memberId: 'm1',
        memberName: 'A. Radiographer',
        role: 'editor',
        deviceId: 'd1',
        clientId: 'client-0001',
        joinedAt: '2026-11-29T10:00:00.000Z',
      },
    });
    const saved = await handleMessage({ name: 'saveClip', body: { draft: draft() } }, fromPage(), db);
    if (!saved.ok) throw new Error(saved.error.message);
    const id = (saved.value as { clip: { id: string } }).clip.id;
    await handleMessage({ name: 'deleteClip', body: { id } }, fromPage(), db);
    const kinds = (await db.outbox.orderBy('mutationId').toArray()).map((e) => e.mutation.type);
    expect(kinds).toEqual(['clip.create', 'clip.delete']);
  });

  test('not joined: nothing is queued; sync requests from a web page are refused', async () => {
    await handleMessage({ name: 'saveClip', body: { draft: draft() } }, fromPage(), db);
    expect(await db.outbox.count()).toBe(0);
    const reply = await handleMessage({ name: 'syncNow', body: {} }, fromPage(), db);
    expect(!reply.ok && reply.error.code).toBe('forbidden');
  });
});

describe('a PDF fingerprint only from the extension’s own viewer', () => {
  const PDF = 'https://intranet.example.nhs.uk/dms/radiation-policy.pdf';
  const EVIL = 'https://evil.example.com/lure.pdf';
  const FP = 'ab'.repeat(32);
  const pdfSelectors = (exact: string) => [
    { type: 'TextQuoteSelector' as const, exact },
    { type: 'PageSelector' as const, index: 0, fingerprint: FP },
  ];

  /** A clip made in the viewer (an extension page) on the intranet PDF. */
  async function intranetPdfClip(): Promise<string> {
    const saved = await handleMessage(
      {
        name: 'saveClip',
        body: { draft: draft({ url: PDF, selectors: pdfSelectors('three points of identification') }) },
      },
      fromExtension(),
      db,
    );
    if (!saved.ok) throw new Error(saved.error.message);
    return (saved.value as { clip: { id: string } }).clip.id;
  }

  test('the viewer reads the same file’s clips made at another address', async () => {
    await intranetPdfClip();
    const reply = await handleMessage(
      { name: 'getPageClips', body: { url: EVIL, fingerprint: FP } },
      fromExtension(),
      db,
    );
    expect(reply.ok && (reply.value as { clips: unknown[] }).clips).toHaveLength(1);
  });

  test('a web page’s content script cannot read them by fingerprint', async () => {
    await intranetPdfClip();
    const reply = await handleMessage(
      { name: 'getPageClips', body: { url: EVIL, fingerprint: FP } },
      fromPage(EVIL),
      db,
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  test('a web page’s content script cannot move them or mark their anchors', async () => {
    const id = await intranetPdfClip();
    const before = await db.clips.get(id);
    const moved = await handleMessage(
      { name: 'moveClip', body: { id, url: EVIL, quote: 'rewritten', selectors: pdfSelectors('rewritten') } },
      fromPage(EVIL),
      db,
    );
    expect(moved).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const plain = await handleMessage(
      {
        name: 'moveClip',
        body: {
          id,
          url: EVIL,
          quote: 'rewritten',
          selectors: [{ type: 'TextQuoteSelector', exact: 'rewritten' }],
        },
      },
      fromPage(EVIL),
      db,
    );
    expect(plain.ok).toBe(false);
    const anchors = await handleMessage(
      { name: 'reportAnchors', body: { url: EVIL, fingerprint: FP, results: [{ id, status: 'lost' }] } },
      fromPage(EVIL),
      db,
    );
    expect(anchors).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await db.clips.get(id)).toEqual(before);
    expect(await db.outbox.count()).toBe(0);
  });

  test('the viewer may still move a clip to the same file at another address', async () => {
    const id = await intranetPdfClip();
    const moved = await handleMessage(
      { name: 'moveClip', body: { id, url: EVIL, quote: 'moved', selectors: pdfSelectors('moved') } },
      fromExtension(),
      db,
    );
    expect(moved.ok).toBe(true);
    expect((await db.clips.get(id))?.quote).toBe('moved');
  });
});

test('joining a team records its server’s host as granted for sync only', async () => {
  const sync = {
    join: async () => ({
      ok: true as const,
      value: { team: { name: 'Radiology' }, member: { displayName: 'A. Radiographer' }, queued: 0 },
    }),
  } as never;
  const reply = await handleMessage(
    {
      name: 'joinTeam',
      body: {
        serverUrl: 'https://qsi.example.nhs.uk',
        inviteCode: 'qsi-inv-x',
        displayName: 'A',
        deviceLabel: '',
      },
    },
    fromExtension(),
    db,
    sync,
  );
  expect(reply.ok).toBe(true);
  expect(await readOriginGrants()).toEqual({ sync: ['https://qsi.example.nhs.uk/*'], evidence: [] });
});

describe('loadClipView', () => {
  const executeScript = () => {
    const fn = vi.fn().mockResolvedValue([]);
    Object.assign(fakeBrowser.scripting, { executeScript: fn });
    return fn;
  };

  test('injects the clip view into the asking frame of the asking tab, nowhere else', async () => {
    const inject = executeScript();
    const sender = { id: browser.runtime.id, url: PAGE, tab: { id: 4, index: 0 }, frameId: 2 } as never;
    const reply = await handleMessage({ name: 'loadClipView', body: {} }, sender, db);
    expect(reply).toEqual({ ok: true, value: { loaded: true } });
    expect(inject).toHaveBeenCalledExactlyOnceWith({
      target: { tabId: 4, frameIds: [2] },
      files: [CLIP_VIEW_FILE],
    });
  });

  test('is refused to extension pages and to senders without a frame', async () => {
    const inject = executeScript();
    const noFrame = { id: browser.runtime.id, url: PAGE, tab: { id: 4, index: 0 } } as never;
    for (const sender of [fromExtension(), noFrame]) {
      const reply = await handleMessage({ name: 'loadClipView', body: {} }, sender, db);
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(inject).not.toHaveBeenCalled();
  });

  test('a frame that cannot be scripted is an error Result, not a throw', async () => {
    Object.assign(fakeBrowser.scripting, {
      executeScript: vi.fn().mockRejectedValue(new Error('Frame with ID 2 was removed.')),
    });
    const sender = { id: browser.runtime.id, url: PAGE, tab: { id: 4, index: 0 }, frameId: 2 } as never;
    const reply = await handleMessage({ name: 'loadClipView', body: {} }, sender, db);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
