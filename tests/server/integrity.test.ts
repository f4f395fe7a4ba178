// Evidence integrity through the HTTP API, on SQLite and PostgreSQL: names are text, invites die
// with their maker's power, who changed what (updatedBy, history), editors annotate but do not
// rewrite colleagues' clips, and the hash-chained change log that `verify` checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import type { SqlStore } from '../../server/store/sql-store';
import { docKey } from '../../shared/doc-key';
import { hasControlChars } from '../../shared/plain-text';
import {
  clipContentSchema,
  clipHistoryResponseSchema,
  inviteInfoSchema,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  pullResponseSchema,
} from '../../shared/protocol';
import { HOSTILE_TEXTS } from '../xss/payloads';
import { addMember, call, createTeam, makeClip, openTestStore, PG_URL } from './helpers';

const V = PROTOCOL_VERSION;
const backends = [
  { kind: 'sqlite' as const, skip: false },
  { kind: 'postgres' as const, skip: !PG_URL },
];

const framework = (title: string) => ({
  format: 'qsi-evidence-clipper/framework@1',
  id: 'demo',
  name: 'Demo framework',
  domains: [
    {
      id: 'd1',
      title,
      standards: [{ id: 's1', title: 'S1', criteria: [{ id: 'demo:C1', code: 'C1', title: 'Crit' }] }],
    },
  ],
});

/** The names the rule refuses, one per class of character. */
const HOSTILE = {
  nul: 'Ada\u0000',
  'line feed': 'Ada\nLovelace',
  escape: 'Ada\u001b[31m',
  'C1 (NEL)': 'Ada\u0085',
  DEL: 'Ada\u007f',
  'right-to-left override': 'Ada\u202etxt.exe',
  'left-to-right embedding': '\u202aAda',
  'first strong isolate': 'Ada\u2068',
  'pop directional isolate': 'Ada\u2069',
};

for (const backend of backends) {
  describe.skipIf(backend.skip)(`evidence integrity (${backend.kind})`, () => {
    let store: SqlStore;
    let app: ReturnType<typeof createApp>;
    beforeAll(async () => {
      store = await openTestStore(backend.kind);
      app = createApp({
        store,
        log: () => {},
        limits: { joins: { perMinute: 1000, burst: 1000 }, joinsGlobal: { perMinute: 1000, burst: 1000 } },
      });
    });
    afterAll(async () => {
      await store?.close();
    });

    async function invite(token: string, role = 'editor') {
      const r = await call(app, 'POST', '/v1/invites', token, { protocolVersion: V, role });
      return String(r.json.code);
    }
    const joinAs = (code: string, displayName: string, deviceLabel = 'laptop') =>
      call(app, 'POST', '/v1/join', undefined, { protocolVersion: V, code, displayName, deviceLabel });

    it('refuses control and bidi characters in join names and device labels (400, JSON error)', async () => {
      const { admin } = await createTeam(store, app, 'Names', 'Ada');
      for (const [what, bad] of Object.entries(HOSTILE)) {
        for (const body of [
          { displayName: bad, deviceLabel: 'laptop' },
          { displayName: 'Bea', deviceLabel: bad },
        ]) {
          const r = await joinAs(await invite(admin.token), body.displayName, body.deviceLabel);
          expect(r.status, what).toBe(400);
          expect(r.json.error).toMatchObject({ code: 'validation_failed' });
        }
      }
      // Control: names in any script, with emoji and zero-width joiners, still join.
      for (const good of ['Zoë Ó Briain', 'محمد', 'Żaneta 👩‍⚕️', 'Ada Lovelace']) {
        const r = await joinAs(await invite(admin.token), good, `${good}'s laptop`);
        expect(r.status, good).toBe(201);
      }
    });

    it('XSS corpus as member names: payloads with control or bidi characters are refused, the rest join as text', async () => {
      const { admin } = await createTeam(store, app, 'Corpus', 'Ada');
      const many = await call(app, 'POST', '/v1/invites', admin.token, {
        protocolVersion: V,
        role: 'viewer',
        maxUses: 500,
      });
      const code = String(many.json.code);
      const refused: string[] = [];
      for (const payload of HOSTILE_TEXTS) {
        const name = payload.trim().slice(0, 200) || 'x';
        const r = await joinAs(code, name);
        if (hasControlChars(name)) {
          expect(r.status, JSON.stringify(name)).toBe(400);
          refused.push(name);
        } else {
          expect(r.status, JSON.stringify(name)).toBe(201);
          expect((r.json.member as { displayName: string }).displayName).toBe(name);
        }
      }
      // The RTL-override, isolate and control-character payloads (and the tab/CR formula cells) at least.
      expect(refused.length).toBeGreaterThanOrEqual(6);
    });

    it('refuses such names at the store too (team names, device labels)', async () => {
      await expect(store.createTeam('Radiology\u202e')).rejects.toThrow(/control/);
      await expect(store.createTeam('Radio\nlogy')).rejects.toThrow(/control/);
      const t = await store.createTeam('Radiology');
      expect(t.name).toBe('Radiology');
    });

    it('refuses control characters in the titles of a published framework', async () => {
      const { admin } = await createTeam(store, app, 'Frameworks', 'Ada');
      const put = (title: string) =>
        call(app, 'PUT', '/v1/frameworks/demo', admin.token, {
          protocolVersion: V,
          framework: framework(title),
        });
      const bad = await put('Domain\u202eone');
      expect(bad.status).toBe(400);
      expect(String((bad.json.error as { message: string }).message)).toContain('domains.0.title');
      expect((await put('Domain one')).status).toBe(200);
    });

    it('revokes the unused invites of a removed member and of a demoted admin; lists createdBy', async () => {
      const { admin } = await createTeam(store, app, 'Invites', 'Ada');
      const second = await addMember(app, admin.token, 'admin', 'Abe');
      const third = await addMember(app, admin.token, 'admin', 'Cy');
      const codeBySecond = await invite(second.token);
      const codeByThird = await invite(third.token);
      const keptByAdmin = await invite(admin.token);
      const list = await call(app, 'GET', '/v1/invites', admin.token);
      const invites = (list.json.invites as unknown[]).map((i) => inviteInfoSchema.parse(i));
      expect(invites.filter((i) => i.createdBy === second.memberId)).toHaveLength(1);
      expect(invites.filter((i) => i.createdBy === null)).toHaveLength(1); // the team's first, by the CLI

      expect((await call(app, 'DELETE', `/v1/members/${second.memberId}`, admin.token)).status).toBe(204);
      expect(
        (
          await call(app, 'PATCH', `/v1/members/${third.memberId}`, admin.token, {
            protocolVersion: V,
            role: 'editor',
          })
        ).status,
      ).toBe(200);
      expect((await joinAs(codeBySecond, 'Dee')).status).toBe(401);
      expect((await joinAs(codeByThird, 'Eve')).status).toBe(401);
      // Control: an invite by an admin still in power still works.
      expect((await joinAs(keptByAdmin, 'Fay')).status).toBe(201);
    });

    it('admits an API admin invite for one person only', async () => {
      const { admin } = await createTeam(store, app, 'Admin invites', 'Ada');
      const many = await call(app, 'POST', '/v1/invites', admin.token, {
        protocolVersion: V,
        role: 'admin',
        maxUses: 5,
      });
      expect(many.status).toBe(400);
      const one = await call(app, 'POST', '/v1/invites', admin.token, {
        protocolVersion: V,
        role: 'admin',
        maxUses: 1,
      });
      expect(one.status).toBe(201);
      const editors = await call(app, 'POST', '/v1/invites', admin.token, {
        protocolVersion: V,
        role: 'editor',
        maxUses: 5,
      });
      expect(editors.status).toBe(201);
    });

    it('stamps updatedBy, lets editors annotate but not rewrite a colleague clip, and keeps the history', async () => {
      const { team, admin } = await createTeam(store, app, 'History', 'Ada');
      const author = await addMember(app, admin.token, 'editor', 'Ann');
      const colleague = await addMember(app, admin.token, 'editor', 'Col');
      const viewer = await addMember(app, admin.token, 'viewer', 'Vic');
      const clip = makeClip();
      const push = (token: string, clientId: string, mutations: unknown[]) =>
        call(app, 'POST', '/v1/push', token, { protocolVersion: V, clientId, mutations });
      const created = await push(author.token, 'client-author', [
        { mutationId: 1, type: 'clip.create', clip },
      ]);
      const versions = (created.json.results as { versions: Record<string, number> }[])[0]?.versions ?? {};
      const update = (mutationId: number, set: Record<string, unknown>, criteriaAdd: string[] = []) => ({
        mutationId,
        type: 'clip.update',
        id: clip.id,
        base: versions,
        set,
        criteriaAdd,
        criteriaRemove: [],
      });

      const forged = await push(colleague.token, 'client-colleague', [update(1, { quote: 'forged quote' })]);
      expect((forged.json.results as unknown[])[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
      const moved = await push(colleague.token, 'client-colleague', [
        update(2, { url: 'https://elsewhere.example/', docKey: docKey('https://elsewhere.example/') }),
      ]);
      expect((moved.json.results as unknown[])[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
      const noted = await push(colleague.token, 'client-colleague', [
        update(3, { note: 'checked' }, ['demo:X']),
      ]);
      expect((noted.json.results as unknown[])[0]).toMatchObject({ status: 'applied' });
      const badKey = await push(author.token, 'client-author', [
        update(2, { url: 'https://intranet.example.nhs.uk/moved' }),
      ]);
      expect((badKey.json.results as unknown[])[0]).toMatchObject({
        status: 'rejected',
        code: 'validation_failed',
      });

      const pulled = await call(app, 'POST', '/v1/pull', viewer.token, { protocolVersion: V, cursor: null });
      const change = pullResponseSchema.parse(pulled.json);
      if (change.type !== 'changes') throw new Error('resync');
      const pulledClip = change.changes.find((c) => c.kind === 'clip')?.clip;
      expect(pulledClip).toMatchObject({
        quote: clip.quote,
        note: 'checked',
        createdBy: { id: author.memberId, name: 'Ann' },
        updatedBy: { id: colleague.memberId, name: 'Col' },
      });

      // A 0.1.0 client (no features header) gets the clip as 0.1.0 parsed it, without updatedBy.
      const old = await app.request('/v1/pull', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PROTOCOL_HEADER]: String(V),
          authorization: `Bearer ${viewer.token}`,
        },
        body: JSON.stringify({ protocolVersion: V, cursor: null }),
      });
      const oldBody = (await old.json()) as { changes: { kind: string; clip: unknown }[] };
      const clip010 = clipContentSchema.omit({ updatedBy: true });
      const oldClip = oldBody.changes.find((c) => c.kind === 'clip')?.clip;
      expect(clip010.safeParse(oldClip).success).toBe(true);
      expect(clip010.safeParse(pulledClip).success).toBe(false); // control: the field would break it

      const history = await call(app, 'GET', `/v1/clips/${clip.id}/history`, viewer.token);
      expect(history.status).toBe(200);
      const { entries } = clipHistoryResponseSchema.parse(history.json);
      expect(entries.map((e) => [e.type, e.by])).toEqual([
        ['create', author.memberId],
        ['update', colleague.memberId],
      ]);
      expect(entries[1]?.changes).toEqual({
        note: { from: '', to: 'checked' },
        criteria: { from: ['demo:DEMO-LM-01'], to: ['demo:DEMO-LM-01', 'demo:X'] },
      });
      expect(entries[0]?.changes.quote).toEqual({ from: null, to: clip.quote });

      // Other teams and unknown ids: 404 alike.
      const other = await createTeam(store, app, 'Other', 'Oz');
      expect((await call(app, 'GET', `/v1/clips/${clip.id}/history`, other.admin.token)).status).toBe(404);
      expect((await call(app, 'GET', `/v1/clips/${crypto.randomUUID()}/history`, viewer.token)).status).toBe(
        404,
      );
      expect((await call(app, 'GET', '/v1/clips/not-a-uuid/history', viewer.token)).status).toBe(404);

      const head = await call(app, 'GET', '/v1/log/head', viewer.token);
      expect(head.json).toMatchObject({
        seq: entries[1]?.seq,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect((await store.verifyLog(team.id)).problem).toBeUndefined();
    });

    it('verify: an intact team passes; a record row or a log entry changed in the database is named', async () => {
      const { team, admin } = await createTeam(store, app, 'Tamper', 'Ada');
      const clips = [makeClip(), makeClip(), makeClip()];
      await call(app, 'POST', '/v1/push', admin.token, {
        protocolVersion: V,
        clientId: 'client-tamper',
        mutations: clips.map((clip, i) => ({ mutationId: i + 1, type: 'clip.create', clip })),
      });
      await call(app, 'POST', '/v1/push', admin.token, {
        protocolVersion: V,
        clientId: 'client-tamper',
        mutations: [{ mutationId: 4, type: 'clip.delete', id: clips[2]?.id }],
      });
      const intact = await store.verifyLog(team.id);
      expect(intact).toMatchObject({ teams: 1, entries: 4, records: 3 });
      expect(intact.problem).toBeUndefined();

      const target = clips[1]?.id ?? '';
      const row = await store.db
        .selectFrom('records')
        .select(['data', 'seq'])
        .where('team_id', '=', team.id)
        .where('key', '=', target)
        .executeTakeFirstOrThrow();
      const original = row.data ?? '';
      // 1. The records table: the quote rewritten.
      await store.db
        .updateTable('records')
        .set({ data: original.replace('passage', 'forged') })
        .where('team_id', '=', team.id)
        .where('key', '=', target)
        .execute();
      expect((await store.verifyLog(team.id)).problem).toMatchObject({
        seq: Number(row.seq),
        key: target,
        reason: expect.stringContaining('differs'),
      });
      await store.db.updateTable('records').set({ data: original }).where('key', '=', target).execute();
      expect((await store.verifyLog(team.id)).problem).toBeUndefined();

      // 2. The log: an entry's change rewritten (its hash no longer matches).
      const entry = await store.db
        .selectFrom('change_log')
        .select(['changes'])
        .where('team_id', '=', team.id)
        .where('seq', '=', Number(row.seq))
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('change_log')
        .set({ changes: entry.changes.replace('passage', 'forged') })
        .where('team_id', '=', team.id)
        .where('seq', '=', Number(row.seq))
        .execute();
      expect((await store.verifyLog(team.id)).problem).toMatchObject({ seq: Number(row.seq), key: target });
      await store.db
        .updateTable('change_log')
        .set({ changes: entry.changes })
        .where('team_id', '=', team.id)
        .where('seq', '=', Number(row.seq))
        .execute();

      // 3. A live record's row deleted, and the last entry of the log cut off.
      await store.db.deleteFrom('records').where('team_id', '=', team.id).where('key', '=', target).execute();
      expect((await store.verifyLog(team.id)).problem).toMatchObject({
        key: target,
        reason: expect.stringContaining('missing'),
      });
      await store.db.deleteFrom('change_log').where('team_id', '=', team.id).where('seq', '=', 4).execute();
      expect((await store.verifyLog(team.id)).problem?.reason).toContain('head');
    });
  });
}
