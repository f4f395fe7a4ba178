// Submissions on the server, on SQLite and PostgreSQL: admins only (403 in the standard error
// shape for editors and viewers), immutable (a second create of the id with other content is
// refused), delete audited and kept as a tombstone in the change log, `verify` covering them, and
// pulls that withhold them from clients (0.1.0) that do not name the `submissions` feature.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import type { SqlStore } from '../../server/store/sql-store';
import {
  CLIENT_FEATURES,
  FEATURES_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  pullResponseSchema,
} from '../../shared/protocol';
import { addMember, call, createTeam, openTestStore, PG_URL } from './helpers';
import { makeSubmission } from './submission-fixture';

const V = PROTOCOL_VERSION;
const backends = [
  { kind: 'sqlite' as const, skip: false },
  { kind: 'postgres' as const, skip: !PG_URL },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`submissions (${backend.kind})`, () => {
    let store: SqlStore;
    let app: ReturnType<typeof createApp>;
    beforeAll(async () => {
      store = await openTestStore(backend.kind);
      app = createApp({ store, log: () => {} });
    });
    afterAll(async () => {
      await store?.close();
    });

    const pull = async (token: string, features: string | null) => {
      const res = await app.request('/v1/pull', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PROTOCOL_HEADER]: String(V),
          ...(features === null ? {} : { [FEATURES_HEADER]: features }),
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ protocolVersion: V, cursor: null }),
      });
      return pullResponseSchema.parse(await res.json());
    };

    it('only admins create or delete; editors and viewers get 403 with the standard error body', async () => {
      const { admin } = await createTeam(store, app, 'Roles', 'Ada');
      const editor = await addMember(app, admin.token, 'editor', 'Eve');
      const viewer = await addMember(app, admin.token, 'viewer', 'Vic');
      const submission = makeSubmission();
      for (const who of [editor, viewer]) {
        const r = await call(app, 'POST', '/v1/submissions', who.token, { protocolVersion: V, submission });
        expect(r.status).toBe(403);
        expect(r.json).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
      }
      // Through the push route too: the registry's admin-only rule.
      const pushed = await call(app, 'POST', '/v1/push', editor.token, {
        protocolVersion: V,
        clientId: 'client-editor',
        mutations: [{ mutationId: 1, type: 'submission.create', submission }],
      });
      expect(pushed.json.results).toEqual([
        expect.objectContaining({ status: 'rejected', code: 'forbidden' }),
      ]);
      const created = await call(app, 'POST', '/v1/submissions', admin.token, {
        protocolVersion: V,
        submission,
      });
      expect(created.status).toBe(201);
      for (const who of [editor, viewer]) {
        const r = await call(app, 'DELETE', `/v1/submissions/${submission.id}`, who.token);
        expect(r.status).toBe(403);
        expect(r.json).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
      }
    });

    it('is immutable: the same create again is a no-op, other content is refused (409)', async () => {
      const { admin } = await createTeam(store, app, 'Immutable', 'Ada');
      const submission = makeSubmission();
      const first = await call(app, 'POST', '/v1/submissions', admin.token, {
        protocolVersion: V,
        submission,
      });
      expect(first.status).toBe(201);
      const again = await call(app, 'POST', '/v1/submissions', admin.token, {
        protocolVersion: V,
        submission,
      });
      expect(again.status).toBe(201);
      expect(again.json.result).toEqual(first.json.result);
      const other = makeSubmission({ id: submission.id, quote: 'Reports are issued within 96 hours.' });
      const changed = await call(app, 'POST', '/v1/submissions', admin.token, {
        protocolVersion: V,
        submission: other,
      });
      expect(changed.status).toBe(409);
      expect(changed.json).toEqual({
        error: { code: 'conflict', message: expect.stringContaining('never') },
      });
      const renamed = await call(app, 'POST', '/v1/submissions', admin.token, {
        protocolVersion: V,
        submission: { ...submission, name: 'Renamed' },
      });
      expect(renamed.status).toBe(409);
      // Pushed by an admin: rejected `immutable`, never a conflict to resolve.
      const pushed = await call(app, 'POST', '/v1/push', admin.token, {
        protocolVersion: V,
        clientId: 'client-admin',
        mutations: [{ mutationId: 1, type: 'submission.create', submission: other }],
      });
      expect(pushed.json.results).toEqual([
        expect.objectContaining({ status: 'rejected', code: 'immutable' }),
      ]);
      const pulled = await pull(admin.token, CLIENT_FEATURES.join(','));
      const stored =
        pulled.type === 'changes' ? pulled.changes.find((c) => c.kind === 'submission') : undefined;
      expect(stored).toMatchObject({
        kind: 'submission',
        id: submission.id,
        submission: { name: 'Annual submission 2026', createdBy: { name: 'Ada' } },
      });
    });

    it('refuses a set hash that is not the hash of the set', async () => {
      const { admin } = await createTeam(store, app, 'Hash', 'Ada');
      const submission = { ...makeSubmission(), setHash: '0'.repeat(64) };
      const r = await call(app, 'POST', '/v1/submissions', admin.token, { protocolVersion: V, submission });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        error: { code: 'validation_failed', message: expect.stringContaining('setHash') },
      });
    });

    it('delete is audited, leaves a tombstone in pulls and the change log, and the id is never reused', async () => {
      const { team, admin } = await createTeam(store, app, 'Delete', 'Ada');
      const submission = makeSubmission();
      await call(app, 'POST', '/v1/submissions', admin.token, { protocolVersion: V, submission });
      const gone = await call(app, 'DELETE', `/v1/submissions/${submission.id}`, admin.token);
      expect(gone.status).toBe(200);
      const unknown = await call(app, 'DELETE', `/v1/submissions/${crypto.randomUUID()}`, admin.token);
      expect(unknown.status).toBe(404);
      const audit = (await store.listAudit(100, team.id)).map((e) => `${e.action}:${e.detail}`);
      expect(audit).toContain(`submission.create:${submission.id}`);
      expect(audit).toContain(`submission.delete:${submission.id}`);
      const history = await store.recordHistory(team.id, 'submission', submission.id);
      expect(history.map((e) => e.type)).toEqual(['create', 'delete']);
      const pulled = await pull(admin.token, CLIENT_FEATURES.join(','));
      expect(pulled.type === 'changes' && pulled.changes.filter((c) => c.kind === 'submission')).toEqual([
        { kind: 'submission', seq: expect.any(Number), id: submission.id, deleted: true, submission: null },
      ]);
      const reuse = await call(app, 'POST', '/v1/submissions', admin.token, {
        protocolVersion: V,
        submission,
      });
      expect(reuse.status).toBe(409);
      expect((await store.verifyLog(team.id)).problem).toBeUndefined();
    });

    it('verify names a submission row changed behind the server', async () => {
      const { team, admin } = await createTeam(store, app, 'Verify', 'Ada');
      const submission = makeSubmission();
      await call(app, 'POST', '/v1/submissions', admin.token, { protocolVersion: V, submission });
      expect((await store.verifyLog(team.id)).problem).toBeUndefined();
      const row = await store.db
        .selectFrom('records')
        .select(['data', 'seq'])
        .where('team_id', '=', team.id)
        .where('key', '=', submission.id)
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('records')
        .set({ data: (row.data ?? '').replace('48 hours', '24 hours') })
        .where('team_id', '=', team.id)
        .where('key', '=', submission.id)
        .execute();
      expect((await store.verifyLog(team.id)).problem).toMatchObject({
        kind: 'submission',
        key: submission.id,
        seq: Number(row.seq),
      });
    });

    it('pulls withhold submissions from clients without the feature, and the cursor still moves past them', async () => {
      const { admin } = await createTeam(store, app, 'Old client', 'Ada');
      const submission = makeSubmission();
      await call(app, 'POST', '/v1/submissions', admin.token, { protocolVersion: V, submission });
      const old = await pull(admin.token, null);
      const updatedByOnly = await pull(admin.token, 'updated-by');
      const current = await pull(admin.token, CLIENT_FEATURES.join(','));
      for (const p of [old, updatedByOnly]) {
        expect(p.type === 'changes' && p.changes.some((c) => c.kind === 'submission')).toBe(false);
        expect(p.type === 'changes' && Number(p.cursor)).toBe(
          current.type === 'changes' && Number(current.cursor),
        );
      }
      expect(current.type === 'changes' && current.changes.some((c) => c.kind === 'submission')).toBe(true);
    });
  });
}
