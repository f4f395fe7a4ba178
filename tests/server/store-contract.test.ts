// One contract suite for every Store backend: SQLite (always) and PostgreSQL (when
// TEST_DATABASE_URL points at a real cluster; scripts/pg-up.sh starts one).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDeviceToken, newInviteCode } from '../../server/auth';
import type { SqlStore } from '../../server/store/sql-store';
import type { Actor, IncomingMutation } from '../../server/store/store';
import type { Change, Mutation, MutationResult, PullResponse } from '../../shared/protocol';
import { makeClip, openTestStore, PG_URL } from './helpers';

if (!PG_URL) console.warn('[store contract] TEST_DATABASE_URL not set: the PostgreSQL run is SKIPPED');

const backends = [
  { kind: 'sqlite' as const, skip: false },
  { kind: 'sqlite-file' as const, skip: false },
  { kind: 'postgres' as const, skip: !PG_URL },
];

const ok = (mutations: Mutation[]): IncomingMutation[] =>
  mutations.map((mutation) => ({ ok: true, mutation }));
const changesOf = (r: PullResponse): Change[] => {
  if (r.type !== 'changes') throw new Error(`expected changes, got ${r.type}`);
  return r.changes;
};

async function pullAll(store: SqlStore, teamId: string, cursor: number | null = null, limit = 500) {
  const all: Change[] = [];
  let c = cursor;
  for (;;) {
    const r = await store.pull(teamId, c, limit);
    if (r.type !== 'changes') throw new Error('resync');
    all.push(...r.changes);
    c = Number(r.cursor);
    if (!r.hasMore) return { changes: all, cursor: c };
  }
}

/** Latest state per record from a change list (what a client holds after applying it). */
function fold(changes: Change[]) {
  const m = new Map<string, Change>();
  for (const ch of changes)
    m.set(
      ch.kind === 'clip' || ch.kind === 'submission'
        ? ch.id
        : ch.kind === 'assessment'
          ? ch.assessment.criterionId
          : ch.frameworkId,
      ch,
    );
  return m;
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`Store contract (${backend.kind})`, () => {
    let store: SqlStore;
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => clock;
    let fail = false;

    async function member(teamId: string, role: Actor['role'], name: string): Promise<Actor> {
      const { codeHash } = newInviteCode();
      await store.createInvite(teamId, {
        role,
        maxUses: 1,
        expiresAt: clock + 3_600_000,
        codeHash,
        createdBy: null,
      });
      const { deviceId, tokenHash } = newDeviceToken();
      const r = await store.redeemInvite({
        codeHash,
        displayName: name,
        deviceLabel: 'd',
        deviceId,
        tokenHash,
      });
      if (!r) throw new Error('redeem failed');
      return { teamId, memberId: r.member.id, memberName: name, role, deviceId };
    }
    async function team(name = 'T') {
      const t = await store.createTeam(name);
      return { team: t, admin: await member(t.id, 'admin', `${name}-admin`) };
    }

    beforeAll(async () => {
      store = await openTestStore(backend.kind, {
        now,
        hooks: {
          beforeCommit: () => {
            if (fail) throw new Error('injected fault');
          },
        },
      });
    });
    afterAll(async () => store?.close());

    it('creates a clip and pulls it with seq and field versions', async () => {
      const { team: t, admin } = await team();
      const clip = makeClip();
      const out = await store.push(admin, 'client-aaaa', ok([{ mutationId: 1, type: 'clip.create', clip }]));
      expect(out.lastMutationId).toBe(1);
      expect(out.results[0]).toMatchObject({ mutationId: 1, status: 'applied', seq: 1 });
      const { changes, cursor } = await pullAll(store, t.id);
      expect(cursor).toBe(1);
      expect(changes).toHaveLength(1);
      const ch = changes[0];
      if (ch?.kind !== 'clip') throw new Error('expected a clip');
      expect(ch.clip?.quote).toBe(clip.quote);
      expect(ch.clip?.createdBy).toEqual({ id: admin.memberId, name: admin.memberName });
      expect(ch.versions.quote).toBe(1);
    });

    it('applies a batch exactly once: a retried batch gets the stored results and changes nothing', async () => {
      const { team: t, admin } = await team();
      const batch = ok([
        { mutationId: 1, type: 'clip.create', clip: makeClip() },
        { mutationId: 2, type: 'clip.create', clip: makeClip() },
      ]);
      const first = await store.push(admin, 'client-retry', batch);
      const again = await store.push(admin, 'client-retry', batch);
      expect(again).toEqual(first);
      const { changes } = await pullAll(store, t.id);
      expect(changes).toHaveLength(2);
      // An id skipped over (arriving after a later one was processed) is never applied.
      const late = await store.push(
        admin,
        'client-retry',
        ok([{ mutationId: 2, type: 'clip.delete', id: randomUUID() }]),
      );
      expect(late.results[0]).toEqual(first.results[1]);
    });

    it('never lets a rejected mutation block the queue', async () => {
      const { team: t, admin } = await team();
      const out = await store.push(admin, 'client-poison', [
        { ok: false, mutationId: 1, message: 'quote: too long' },
        {
          ok: true,
          mutation: {
            mutationId: 2,
            type: 'clip.update',
            id: randomUUID(),
            base: {},
            set: { note: 'x' },
            criteriaAdd: [],
            criteriaRemove: [],
          },
        },
        { ok: true, mutation: { mutationId: 3, type: 'clip.create', clip: makeClip() } },
      ]);
      expect(out.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'applied']);
      expect(out.lastMutationId).toBe(3);
      expect((await pullAll(store, t.id)).changes).toHaveLength(1);
    });

    it('merges field-level: different fields both apply; the same field conflicts and keeps the server value', async () => {
      const { team: t, admin } = await team();
      const editor = await member(t.id, 'editor', 'Ed');
      const clip = makeClip({ note: 'orig', title: 'orig' });
      // The editor is the author, so the title is theirs to change (others may only annotate).
      const created = await store.push(
        editor,
        'client-m-b',
        ok([{ mutationId: 1, type: 'clip.create', clip }]),
      );
      const base = created.results[0]?.status === 'applied' ? (created.results[0].versions ?? {}) : {};
      const upd = (mutationId: number, set: Record<string, string>): Mutation => ({
        mutationId,
        type: 'clip.update',
        id: clip.id,
        base,
        set,
        criteriaAdd: [],
        criteriaRemove: [],
      });
      const a = await store.push(admin, 'client-m-a', ok([upd(1, { note: 'admin note' })]));
      const b = await store.push(editor, 'client-m-b', ok([upd(2, { title: 'editor title' })]));
      expect(a.results[0]?.status).toBe('applied');
      expect(b.results[0]?.status).toBe('applied');
      const c = await store.push(editor, 'client-m-b', ok([upd(3, { note: 'editor note' })]));
      const r = c.results[0] as MutationResult;
      expect(r.status).toBe('conflict');
      if (r.status === 'conflict') {
        expect(r.fields).toEqual(['note']);
        expect(r.server).toEqual({ note: 'admin note' });
      }
      const latest = fold((await pullAll(store, t.id)).changes).get(clip.id);
      if (latest?.kind !== 'clip') throw new Error('clip missing');
      expect(latest.clip?.note).toBe('admin note');
      expect(latest.clip?.title).toBe('editor title');
    });

    it('treats criteria as add/remove sets that never conflict', async () => {
      const { team: t, admin } = await team();
      const clip = makeClip({ criteria: ['f:A', 'f:B'] });
      await store.push(admin, 'client-sets', ok([{ mutationId: 1, type: 'clip.create', clip }]));
      const op = (mutationId: number, add: string[], remove: string[]): Mutation => ({
        mutationId,
        type: 'clip.update',
        id: clip.id,
        base: {},
        set: {},
        criteriaAdd: add,
        criteriaRemove: remove,
      });
      const out = await store.push(admin, 'client-sets', ok([op(2, ['f:C'], ['f:A']), op(3, ['f:D'], [])]));
      expect(out.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      const latest = fold((await pullAll(store, t.id)).changes).get(clip.id);
      if (latest?.kind !== 'clip') throw new Error('clip missing');
      expect(latest.clip?.criteria).toEqual(['f:B', 'f:C', 'f:D']);
    });

    it('deletes as tombstones; edits after a delete conflict; deleting the unknown is a no-op', async () => {
      const { team: t, admin } = await team();
      const clip = makeClip();
      const out = await store.push(
        admin,
        'client-del',
        ok([
          { mutationId: 1, type: 'clip.create', clip },
          { mutationId: 2, type: 'clip.delete', id: clip.id },
          {
            mutationId: 3,
            type: 'clip.update',
            id: clip.id,
            base: {},
            set: { note: 'n' },
            criteriaAdd: [],
            criteriaRemove: [],
          },
          { mutationId: 4, type: 'clip.delete', id: randomUUID() },
          { mutationId: 5, type: 'clip.create', clip },
        ]),
      );
      expect(out.results.map((r) => r.status)).toEqual([
        'applied',
        'applied',
        'conflict',
        'applied',
        'conflict',
      ]);
      const { changes } = await pullAll(store, t.id);
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ kind: 'clip', id: clip.id, deleted: true, clip: null });
    });

    it('reports a create of an existing id with other content as a conflict', async () => {
      const { admin } = await team();
      const clip = makeClip();
      await store.push(admin, 'client-c1xx', ok([{ mutationId: 1, type: 'clip.create', clip }]));
      const same = await store.push(admin, 'client-c2xx', ok([{ mutationId: 1, type: 'clip.create', clip }]));
      expect(same.results[0]?.status).toBe('applied');
      const other = await store.push(
        admin,
        'client-c2xx',
        ok([{ mutationId: 2, type: 'clip.create', clip: { ...clip, note: 'different' } }]),
      );
      expect(other.results[0]).toMatchObject({ status: 'conflict', fields: ['note'] });
    });

    it('pages pulls in seq order with a gap-free cursor', async () => {
      const { team: t, admin } = await team();
      for (let b = 0; b < 5; b++)
        await store.push(
          admin,
          'client-page',
          ok(
            Array.from(
              { length: 7 },
              (_, i) => ({ mutationId: b * 7 + i + 1, type: 'clip.create', clip: makeClip() }) as Mutation,
            ),
          ),
        );
      const seen: number[] = [];
      let cursor: number | null = null;
      let pages = 0;
      for (;;) {
        const r = await store.pull(t.id, cursor, 4);
        const ch = changesOf(r);
        seen.push(...ch.map((c) => c.seq));
        pages++;
        if (r.type !== 'changes' || !r.hasMore) break;
        cursor = Number(r.cursor);
      }
      expect(seen).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
      expect(pages).toBe(9);
    });

    it('answers a pull at the head read by findDevice without a query, exactly as the full pull', async () => {
      const { team: t, admin } = await team();
      expect((await store.findDevice(admin.deviceId))?.head).toEqual({ seq: 0, minValidCursor: 0 });
      const c1 = makeClip();
      await store.push(
        admin,
        'client-head',
        ok([
          { mutationId: 1, type: 'clip.create', clip: c1 },
          { mutationId: 2, type: 'clip.create', clip: makeClip() },
          { mutationId: 3, type: 'clip.delete', id: c1.id },
        ]),
      );
      const head = (await store.findDevice(admin.deviceId))?.head;
      expect(head).toEqual({ seq: 3, minValidCursor: 0 });
      for (const cursor of [null, 0, 1, 2, 3, 4])
        expect(await store.pull(t.id, cursor, 2, head)).toEqual(await store.pull(t.id, cursor, 2));
      // A head read before a later commit delays that change to the next pull; the cursor stays.
      await store.push(admin, 'client-head', ok([{ mutationId: 4, type: 'clip.create', clip: makeClip() }]));
      expect(await store.pull(t.id, 3, 2, head)).toMatchObject({
        type: 'changes',
        changes: [],
        cursor: '3',
        hasMore: false,
      });
      expect(changesOf(await store.pull(t.id, 3, 2))).toHaveLength(1);
    });

    it('scopes everything by team: another team never sees or edits this team’s records', async () => {
      const a = await team('A');
      const b = await team('B');
      const clip = makeClip();
      await store.push(a.admin, 'client-aa11', ok([{ mutationId: 1, type: 'clip.create', clip }]));
      expect((await pullAll(store, b.team.id)).changes).toHaveLength(0);
      const out = await store.push(
        b.admin,
        'client-bb11',
        ok([
          {
            mutationId: 1,
            type: 'clip.update',
            id: clip.id,
            base: {},
            set: { note: 'pwned' },
            criteriaAdd: [],
            criteriaRemove: [],
          },
          { mutationId: 2, type: 'clip.delete', id: clip.id },
        ]),
      );
      expect(out.results[0]).toMatchObject({ status: 'rejected', code: 'not_found' });
      const latest = fold((await pullAll(store, a.team.id)).changes).get(clip.id);
      expect(latest).toMatchObject({ deleted: false });
      if (latest?.kind === 'clip') expect(latest.clip?.note).toBe(clip.note);
      expect(await store.revokeDevice(b.team.id, a.admin.deviceId)).toBe(false);
      expect(await store.removeMember(b.team.id, a.admin.memberId)).toBe(false);
    });

    it('binds a client id to its member', async () => {
      const { team: t, admin } = await team();
      const other = await member(t.id, 'editor', 'Other');
      await store.push(admin, 'client-bind', ok([{ mutationId: 1, type: 'clip.create', clip: makeClip() }]));
      await expect(
        store.push(other, 'client-bind', ok([{ mutationId: 2, type: 'clip.create', clip: makeClip() }])),
      ).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('rolls back a whole batch on a fault before commit: no partial batch, no seq consumed', async () => {
      const { team: t, admin } = await team();
      fail = true;
      await expect(
        store.push(
          admin,
          'client-fault',
          ok([
            { mutationId: 1, type: 'clip.create', clip: makeClip() },
            { mutationId: 2, type: 'clip.create', clip: makeClip() },
          ]),
        ),
      ).rejects.toThrow('injected fault');
      fail = false;
      expect((await pullAll(store, t.id)).changes).toHaveLength(0);
      const out = await store.push(
        admin,
        'client-fault',
        ok([{ mutationId: 1, type: 'clip.create', clip: makeClip() }]),
      );
      expect(out.results[0]).toMatchObject({ status: 'applied', seq: 1 });
    });

    it('replays stored results whatever the retry batch looks like, and results stored per mutation before migration 0003', async () => {
      const { team: t, admin } = await team();
      const clips = [makeClip(), makeClip(), makeClip()];
      const first = await store.push(
        admin,
        'client-replay',
        ok(clips.map((clip, i) => ({ mutationId: i + 1, type: 'clip.create' as const, clip }))),
      );
      // A retry split differently, overlapping a new id: old ids replay, the new one applies.
      const retry = await store.push(
        admin,
        'client-replay',
        ok([
          { mutationId: 2, type: 'clip.create', clip: clips[1] as never },
          { mutationId: 3, type: 'clip.create', clip: clips[2] as never },
          { mutationId: 4, type: 'clip.create', clip: makeClip() },
        ]),
      );
      expect(retry.results.slice(0, 2)).toEqual(first.results.slice(1));
      expect(retry.results[2]).toMatchObject({ mutationId: 4, status: 'applied', seq: 4 });
      // A result written by an older server (one row per mutation) still replays verbatim.
      const legacy: MutationResult = { mutationId: 5, status: 'applied', seq: 99, versions: { note: 99 } };
      await store.db
        .insertInto('mutation_results')
        .values({
          team_id: t.id,
          client_id: 'client-replay',
          mutation_id: 5,
          result: JSON.stringify(legacy),
          created_at: clock,
        })
        .execute();
      await store.db
        .updateTable('clients')
        .set({ last_mutation_id: 5 })
        .where('team_id', '=', t.id)
        .where('client_id', '=', 'client-replay')
        .execute();
      const old = await store.push(
        admin,
        'client-replay',
        ok([{ mutationId: 5, type: 'clip.create', clip: makeClip() }]),
      );
      expect(old.results).toEqual([legacy]);
      expect((await pullAll(store, t.id)).changes).toHaveLength(4);
    });

    it('keeps tombstones for the retention window, then answers old cursors with resync', async () => {
      const { team: t, admin } = await team();
      const c1 = makeClip();
      const c2 = makeClip();
      await store.push(
        admin,
        'client-ret',
        ok([
          { mutationId: 1, type: 'clip.create', clip: c1 },
          { mutationId: 2, type: 'clip.create', clip: c2 },
          { mutationId: 3, type: 'clip.delete', id: c1.id },
        ]),
      );
      const day = 86_400_000;
      expect(await store.purgeTombstones(clock - 90 * day)).toBe(0);
      clock += 91 * day;
      expect(await store.purgeTombstones(clock - 90 * day)).toBeGreaterThanOrEqual(1);
      expect((await store.pull(t.id, 1, 100)).type).toBe('resync');
      expect((await store.pull(t.id, null, 100)).type).toBe('changes');
      expect((await store.pull(t.id, 3, 100)).type).toBe('changes');
      expect((await store.pull(t.id, 99, 100)).type).toBe('resync');
      const head = (await store.findDevice(admin.deviceId))?.head;
      expect(head).toEqual({ seq: 3, minValidCursor: 3 });
      for (const cursor of [null, 1, 2, 3, 99])
        expect(await store.pull(t.id, cursor, 100, head)).toEqual(await store.pull(t.id, cursor, 100));
      // Replay results past retention are purged too; the ids are still never applied again.
      const replay = await store.push(
        admin,
        'client-ret',
        ok([{ mutationId: 2, type: 'clip.create', clip: c2 }]),
      );
      expect(replay.results[0]).toMatchObject({ status: 'rejected', code: 'stale_mutation' });
      clock -= 91 * day;
    });

    it('redeems a single-use invite exactly once, even concurrently; expired and revoked codes fail', async () => {
      const { team: t } = await team();
      const { codeHash } = newInviteCode();
      await store.createInvite(t.id, {
        role: 'editor',
        maxUses: 1,
        expiresAt: clock + 60_000,
        codeHash,
        createdBy: null,
      });
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const { deviceId, tokenHash } = newDeviceToken();
          return store.redeemInvite({ codeHash, displayName: `p${i}`, deviceLabel: '', deviceId, tokenHash });
        }),
      );
      expect(attempts.filter(Boolean)).toHaveLength(1);
      const expired = newInviteCode();
      await store.createInvite(t.id, {
        role: 'editor',
        maxUses: 5,
        expiresAt: clock - 1,
        codeHash: expired.codeHash,
        createdBy: null,
      });
      const dev = newDeviceToken();
      expect(
        await store.redeemInvite({
          codeHash: expired.codeHash,
          displayName: 'x',
          deviceLabel: '',
          deviceId: dev.deviceId,
          tokenHash: dev.tokenHash,
        }),
      ).toBeUndefined();
      const revoked = newInviteCode();
      const inv = await store.createInvite(t.id, {
        role: 'editor',
        maxUses: 5,
        expiresAt: clock + 60_000,
        codeHash: revoked.codeHash,
        createdBy: null,
      });
      expect(await store.revokeInvite(t.id, inv.id)).toBe(true);
      expect(
        await store.redeemInvite({
          codeHash: revoked.codeHash,
          displayName: 'x',
          deviceLabel: '',
          deviceId: dev.deviceId,
          tokenHash: dev.tokenHash,
        }),
      ).toBeUndefined();
    });

    it('syncs frameworks (admin only) and assessments like clips', async () => {
      const { team: t, admin } = await team();
      const editor = await member(t.id, 'editor', 'Ed');
      const framework = {
        format: 'qsi-evidence-clipper/framework@1' as const,
        id: 'demo',
        name: 'Demo',
        domains: [
          {
            id: 'd1',
            title: 'D1',
            standards: [{ id: 's1', title: 'S1', criteria: [{ id: 'demo:C1', code: 'C1', title: 'Crit' }] }],
          },
        ],
      };
      const denied = await store.push(
        editor,
        'client-fw-e',
        ok([{ mutationId: 1, type: 'framework.publish', framework }]),
      );
      expect(denied.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
      const pub = await store.changeFramework(admin, { publish: framework });
      expect(pub.status).toBe('applied');
      expect(await store.listFrameworks(t.id)).toMatchObject([{ id: 'demo', name: 'Demo' }]);
      const a1 = await store.push(
        editor,
        'client-fw-e',
        ok([
          {
            mutationId: 2,
            type: 'assessment.update',
            criterionId: 'demo:C1',
            base: {},
            set: { rating: 'green' },
          },
        ]),
      );
      expect(a1.results[0]?.status).toBe('applied');
      const a2 = await store.push(
        admin,
        'client-fw-a',
        ok([
          {
            mutationId: 1,
            type: 'assessment.update',
            criterionId: 'demo:C1',
            base: {},
            set: { rating: 'red' },
          },
        ]),
      );
      expect(a2.results[0]).toMatchObject({
        status: 'conflict',
        fields: ['rating'],
        server: { rating: 'green' },
      });
      await store.changeFramework(admin, { withdraw: 'demo' });
      const state = fold((await pullAll(store, t.id)).changes);
      expect(state.get('demo')).toMatchObject({ kind: 'framework', deleted: true });
      expect(state.get('demo:C1')).toMatchObject({ kind: 'assessment', assessment: { rating: 'green' } });
      expect(await store.listFrameworks(t.id)).toEqual([]);
    });

    it('protects the last admin and revokes a removed member’s devices', async () => {
      const { team: t, admin } = await team();
      await expect(store.setRole(t.id, admin.memberId, 'editor')).rejects.toMatchObject({ code: 'conflict' });
      const ed = await member(t.id, 'editor', 'Ed');
      expect(await store.removeMember(t.id, ed.memberId)).toBe(true);
      const found = await store.findDevice(ed.deviceId);
      expect(found?.member.status).toBe('removed');
      expect(found?.device.revokedAt).not.toBeNull();
    });
  });
}
