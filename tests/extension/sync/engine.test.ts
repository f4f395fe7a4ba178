// The sync engine against the real server app in process (SQLite in memory), clients on
// fake-indexeddb: join, push/pull, merges, conflicts and their resolution, revocation, offline,
// incompatible server, the single-syncer lock and the resync answer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSyncOverview, readTeam } from '../../../extension/lib/sync/state';
import { demoFramework } from '../../../shared/frameworks/demo';
import {
  createInvite,
  localAssess,
  localChange,
  localCreate,
  makeClient,
  openTeamFixture,
  SERVER_URL,
  type Server,
  type TeamFixture,
} from '../../sync/sim/harness';

let server: Server;
let code: string;
let random: () => number;
let joined: TeamFixture['join'];
const now = () => Date.now();
const at = () => new Date().toISOString();

beforeEach(async () => {
  ({ server, code, random, join: joined } = await openTeamFixture(1));
});
afterEach(async () => {
  await server.store.close();
});

describe('sync engine', () => {
  it('pushes a clip from A and pulls it into B with the team author', async () => {
    const a = await joined('Ann');
    const b = await joined('Bob');
    const clip = await localCreate(a.db, random, { quote: 'Radiation safety', criteria: ['demo:A'] }, at());
    expect(await a.db.outbox.count()).toBe(1);
    expect((await a.engine.syncNow({ force: true })).state).toBe('synced');
    expect(await a.db.outbox.count()).toBe(0);
    expect((await a.db.clips.get(clip.id))?.sync?.versions.quote).toBeGreaterThan(0);
    await b.engine.syncNow({ force: true });
    const got = await b.db.clips.get(clip.id);
    expect(got?.quote).toBe('Radiation safety');
    expect(got?.createdBy.name).toBe('Ann');
    expect((await readSyncOverview(b.db)).status.state).toBe('synced');
  });

  it('queues clips made before joining, and edits made on top of an unsent create', async () => {
    const a = makeClient({ fetch: server.fetch, now, random, name: 'solo' });
    const clip = await localCreate(a.db, random, { quote: 'Before joining' }, at());
    expect(await a.db.outbox.count()).toBe(0);
    await a.engine.join(SERVER_URL, code, 'Solo');
    await localChange(a.db, clip.id, (c) => ({ ...c, note: 'edited offline' }));
    await localChange(a.db, clip.id, (c) => ({ ...c, note: 'edited twice' }));
    await a.engine.syncNow({ force: true });
    const b = await joined('Bob');
    expect((await b.db.clips.get(clip.id))?.note).toBe('edited twice');
    expect(await a.db.conflicts.count()).toBe(0);
  });

  it('merges concurrent edits of different fields and criteria sets', async () => {
    const a = await joined('Ann');
    const b = await joined('Bob');
    const clip = await localCreate(a.db, random, { quote: 'Q', criteria: ['demo:A', 'demo:B'] }, at());
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    await localChange(a.db, clip.id, (c) => ({
      ...c,
      note: 'from A',
      criteria: ['demo:A', 'demo:B', 'demo:C'],
    }));
    await localChange(b.db, clip.id, (c) => ({ ...c, title: 'from B', criteria: ['demo:B'] }));
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    await a.engine.syncNow({ force: true });
    for (const c of [a, b]) {
      const got = await c.db.clips.get(clip.id);
      expect(got?.note).toBe('from A');
      expect(got?.title).toBe('from B');
      expect(got?.criteria).toEqual(['demo:B', 'demo:C']);
    }
    expect(await b.db.conflicts.count()).toBe(0);
  });

  it('surfaces a same-field conflict, keeps mine locally, and resolves both ways', async () => {
    const a = await joined('Ann');
    const b = await joined('Bob');
    const clip = await localCreate(a.db, random, { quote: 'Q' }, at());
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    await localChange(a.db, clip.id, (c) => ({ ...c, note: 'A says' }));
    await localChange(b.db, clip.id, (c) => ({ ...c, note: 'B says' }));
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    expect((await b.db.clips.get(clip.id))?.note).toBe('B says');
    const [conflict] = await b.db.conflicts.toArray();
    expect(conflict).toMatchObject({ kind: 'clip', fields: ['note'], mine: { note: 'B says' } });
    expect(conflict?.theirs.note).toBe('A says');
    // Another pull does not overwrite the local value while the conflict is open.
    await b.engine.syncNow({ force: true });
    expect((await b.db.clips.get(clip.id))?.note).toBe('B says');
    await b.engine.keepMine(`clip:${clip.id}`);
    await b.engine.syncNow({ force: true });
    await a.engine.syncNow({ force: true });
    expect((await a.db.clips.get(clip.id))?.note).toBe('B says');
    expect(await b.db.conflicts.count()).toBe(0);

    await localChange(a.db, clip.id, (c) => ({ ...c, note: 'A again' }));
    await localChange(b.db, clip.id, (c) => ({ ...c, note: 'B again' }));
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    await b.engine.keepTheirs(`clip:${clip.id}`);
    await b.engine.syncNow({ force: true });
    expect((await b.db.clips.get(clip.id))?.note).toBe('A again');
    expect(await b.db.outbox.count()).toBe(0);
  });

  it('propagates deletes; an edit of a clip deleted by a teammate becomes a "deleted" conflict', async () => {
    const a = await joined('Ann');
    const b = await joined('Bob');
    const clip = await localCreate(a.db, random, { quote: 'Q' }, at());
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    await localChange(a.db, clip.id, (c) => ({ ...c, deleted: true }));
    await localChange(b.db, clip.id, (c) => ({ ...c, note: 'still useful' }));
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    expect((await b.db.clips.get(clip.id))?.deleted).toBe(true);
    const [conflict] = await b.db.conflicts.toArray();
    expect(conflict?.reason).toBe('deleted');
    await b.engine.keepMine(`clip:${clip.id}`);
    await b.engine.syncNow({ force: true });
    await a.engine.syncNow({ force: true });
    const live = (await a.db.clips.toArray()).filter((c) => !c.deleted);
    expect(live).toHaveLength(1);
    expect(live[0]?.id).not.toBe(clip.id);
    expect(live[0]?.note).toBe('still useful');
  });

  it('syncs assessments with field merge', async () => {
    const a = await joined('Ann');
    const b = await joined('Bob');
    await localAssess(a.db, 'demo:A', { rating: 'green', dueDate: '2027-01-31' }, at());
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    expect(await b.db.assessments.get('demo:A')).toMatchObject({ rating: 'green', dueDate: '2027-01-31' });
    await localAssess(b.db, 'demo:A', { dueDate: undefined, comment: 'moved' }, at());
    await b.engine.syncNow({ force: true });
    await a.engine.syncNow({ force: true });
    const got = await a.db.assessments.get('demo:A');
    expect(got?.dueDate).toBeUndefined();
    expect(got?.comment).toBe('moved');
  });

  it('stops on a revoked token without losing pending changes, and resumes after re-joining', async () => {
    const a = await joined('Ann');
    const me = await readTeam(a.db);
    if (!me) throw new Error('not joined');
    const { deviceId, teamId } = me;
    await server.store.revokeDevice(teamId, deviceId);
    const clip = await localCreate(a.db, random, { quote: 'while revoked' }, at());
    const out = await a.engine.syncNow({ force: true });
    expect(out.state).toBe('revoked');
    expect(out.message).toMatch(/revoked/);
    expect(await a.db.outbox.count()).toBe(1);
    expect((await a.engine.syncNow({ force: true })).state).toBe('revoked');
    const rejoin = await createInvite(server.store, teamId, 'editor');
    expect((await a.engine.join(SERVER_URL, rejoin, 'Ann')).ok).toBe(true);
    await a.engine.syncNow({ force: true });
    expect(await a.db.outbox.count()).toBe(0);
    const b = await joined('Bob');
    expect((await b.db.clips.get(clip.id))?.quote).toBe('while revoked');
  });

  it('reports offline and incompatible servers, keeping the outbox', async () => {
    let mode: 'ok' | 'down' | 'v2' = 'ok';
    const flaky = async (url: string, init: RequestInit) => {
      if (mode === 'down') throw new TypeError('Failed to fetch');
      if (mode === 'v2')
        return new Response(
          JSON.stringify({
            error: { code: 'incompatible_protocol', message: 'protocol version 1 is not supported' },
          }),
          { status: 400 },
        );
      return server.fetch(url, init);
    };
    const a = await joined('Ann', flaky);
    await localCreate(a.db, random, { quote: 'Q' }, at());
    mode = 'down';
    expect((await a.engine.syncNow({ force: true })).state).toBe('offline');
    const overview = await readSyncOverview(a.db);
    expect(overview.status.state).toBe('offline');
    expect(overview.status.pending).toBe(1);
    mode = 'v2';
    expect((await a.engine.syncNow({ force: true })).state).toBe('incompatible');
    mode = 'ok';
    expect((await a.engine.syncNow({ force: true })).state).toBe('synced');
    expect(await a.db.outbox.count()).toBe(0);
  });

  it('runs one syncer at a time and coalesces concurrent calls', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let pushes = 0;
    const counting = async (url: string, init: RequestInit) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (url.endsWith('/v1/push')) pushes += 1;
      try {
        return await server.fetch(url, init);
      } finally {
        inFlight -= 1;
      }
    };
    const a = await joined('Ann', counting);
    for (let i = 0; i < 5; i++) await localCreate(a.db, random, { quote: `Q${i}` }, at());
    pushes = 0;
    await Promise.all([1, 2, 3, 4, 5].map(() => a.engine.syncNow({ force: true })));
    expect(maxInFlight).toBe(1);
    expect(pushes).toBeLessThanOrEqual(2);
    expect(await a.db.outbox.count()).toBe(0);
  });

  it('answers resync by downloading again without losing unsent edits', async () => {
    const a = await joined('Ann');
    const b = await joined('Bob');
    const keep = await localCreate(a.db, random, { quote: 'keep' }, at());
    const gone = await localCreate(a.db, random, { quote: 'gone' }, at());
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    await localChange(a.db, gone.id, (c) => ({ ...c, deleted: true }));
    await a.engine.syncNow({ force: true });
    // B is offline with an unsent edit while the tombstone is purged on the server.
    await localChange(b.db, keep.id, (c) => ({ ...c, note: 'unsent' }));
    await server.store.purgeTombstones(Date.now() + 1000);
    const extra = await localCreate(a.db, random, { quote: 'after purge' }, at());
    await a.engine.syncNow({ force: true });
    await b.engine.syncNow({ force: true });
    expect((await b.db.clips.get(gone.id))?.deleted).toBe(true);
    expect((await b.db.clips.get(extra.id))?.quote).toBe('after purge');
    expect((await b.db.clips.get(keep.id))?.note).toBe('unsent');
    await a.engine.syncNow({ force: true });
    expect((await a.db.clips.get(keep.id))?.note).toBe('unsent');
  });

  it('keeps pulling while pushes are rate-limited (429), then sends', async () => {
    let limited = true;
    const f = async (url: string, init: RequestInit) => {
      if (limited && url.endsWith('/v1/push'))
        return new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }), {
          status: 429,
          headers: { 'retry-after': '3' },
        });
      return server.fetch(url, init);
    };
    const a = await joined('Ann');
    const b = await joined('Bob', f);
    const fromA = await localCreate(a.db, random, { quote: 'from A' }, at());
    await a.engine.syncNow({ force: true });
    await localCreate(b.db, random, { quote: 'from B' }, at());
    const out = await b.engine.syncNow({ force: true });
    expect(out.state).toBe('pending');
    expect(out.message).toMatch(/wait 3 s/);
    expect((await b.db.clips.get(fromA.id))?.quote).toBe('from A');
    expect(await b.db.outbox.count()).toBe(1);
    limited = false;
    expect((await b.engine.syncNow({ force: true })).state).toBe('synced');
  });

  it('delivers a framework the admin publishes to every member', async () => {
    const admin = await joined('Ann');
    const teamId = (await readTeam(admin.db))?.teamId ?? '';
    const member = await joined('Bob', server.fetch, await createInvite(server.store, teamId, 'editor'));
    const published = await admin.engine.publishFramework(demoFramework);
    expect(published.ok, JSON.stringify(published)).toBe(true);
    await member.engine.syncNow({ force: true });
    expect((await member.db.frameworks.get(demoFramework.id))?.name).toBe(demoFramework.name);
    const refused = await member.engine.publishFramework(demoFramework);
    expect(refused.ok).toBe(false);
  });
});
