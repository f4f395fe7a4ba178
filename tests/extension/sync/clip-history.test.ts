// A clip's history and the team's log head, read from the server through the engine and the
// background's messages: what changed, by whom; refused to web pages; offline and not joined.
import { afterEach, beforeEach, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleMessage } from '../../../extension/lib/background/handlers';
import type { SyncControls } from '../../../extension/lib/sync/background-sync';
import {
  localChange,
  localCreate,
  makeClient,
  openTeamFixture,
  type Server,
  type TeamFixture,
} from '../../sync/sim/harness';

let server: Server;
let random: () => number;
let joined: TeamFixture['join'];
const at = () => new Date().toISOString();
const fromPage = () =>
  ({ id: browser.runtime.id, url: 'https://intranet.example/p.html', tab: { id: 1 } }) as never;
const fromExtension = () =>
  ({ id: browser.runtime.id, url: browser.runtime.getURL('/dashboard.html') }) as never;

beforeEach(async () => {
  fakeBrowser.reset();
  ({ server, random, join: joined } = await openTeamFixture(1));
});
afterEach(async () => {
  await server.store.close();
});

it("lists a colleague's note edit with from → to, and gives the log head", async () => {
  const a = await joined('Ann');
  const b = await joined('Bob');
  const clip = await localCreate(a.db, random, { quote: 'Radiation safety', note: 'first' }, at());
  await a.engine.syncNow({ force: true });
  await b.engine.syncNow({ force: true });
  await localChange(b.db, clip.id, (c) => ({ ...c, note: 'checked by Bob' }));
  await b.engine.syncNow({ force: true });
  await a.engine.syncNow({ force: true });

  const history = await a.engine.clipHistory(clip.id);
  if (!history.ok) throw new Error(history.error.message);
  expect(history.value.map((e) => e.type)).toEqual(['create', 'update']);
  const ann = (await a.db.clips.get(clip.id))?.createdBy.id;
  const bob = (await a.db.clips.get(clip.id))?.updatedBy?.id;
  expect(history.value[0]?.by).toBe(ann);
  expect(history.value[1]).toMatchObject({
    by: bob,
    changes: { note: { from: 'first', to: 'checked by Bob' } },
  });

  const head = await a.engine.logHead();
  expect(head.ok && head.value.seq).toBeGreaterThanOrEqual(2);
  expect(head.ok && head.value.hash).toMatch(/^[0-9a-f]{64}$/);

  // Through the background: extension pages only.
  const sync = { clipHistory: a.engine.clipHistory, logHead: a.engine.logHead } as unknown as SyncControls;
  const refused = await handleMessage(
    { name: 'getClipHistory', body: { id: clip.id } },
    fromPage(),
    a.db,
    sync,
  );
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  const refusedHead = await handleMessage({ name: 'getLogHead', body: {} }, fromPage(), a.db, sync);
  expect(refusedHead).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  const reply = await handleMessage(
    { name: 'getClipHistory', body: { id: clip.id } },
    fromExtension(),
    a.db,
    sync,
  );
  expect(reply.ok && (reply.value as { entries: unknown[] }).entries).toHaveLength(2);
  const headReply = await handleMessage({ name: 'getLogHead', body: {} }, fromExtension(), a.db, sync);
  expect(headReply).toMatchObject({ ok: true, value: { seq: head.ok && head.value.seq } });
  expect(headReply.ok && (headReply.value as { teamId: string }).teamId).toMatch(/^[0-9a-f-]{36}$/);
});

it('answers "unavailable" offline, "unauthorized" when not joined, "not_found" for an unknown clip', async () => {
  const a = await joined('Ann');
  expect(await a.engine.clipHistory(crypto.randomUUID())).toMatchObject({
    ok: false,
    error: { code: 'not_found' },
  });
  const solo = makeClient({ fetch: server.fetch, now: Date.now, random, name: 'solo' });
  expect(await solo.engine.clipHistory(crypto.randomUUID())).toMatchObject({
    ok: false,
    error: { code: 'unauthorized' },
  });
  let online = true;
  const cut = await joined('Olive', (url, init) => {
    if (!online) return Promise.reject(new TypeError('Failed to fetch'));
    return server.fetch(url, init);
  });
  online = false;
  expect(await cut.engine.clipHistory(crypto.randomUUID())).toMatchObject({
    ok: false,
    error: { code: 'unavailable' },
  });
});
