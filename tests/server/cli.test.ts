// The admin CLI end to end on a SQLite data directory: create a team (admin invite printed once),
// join with it, invite, list, revoke a device, back up, read the audit log.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { sha256Hex } from '../../server/auth';
import { openSqliteStore } from '../../server/store/sqlite';
import { clipContentText, SEAL_FORMAT, sealScriptElement } from '../../shared/exports/evidence-seal';
import { hasControlChars } from '../../shared/plain-text';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { bundleServer } from '../sync/server-process';
import { call, join, makeClip } from './helpers';
import { makeSubmission } from './submission-fixture';

describe('admin CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, [bundleServer('cli'), ...args], {
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' },
      encoding: 'utf8',
    });

  it('creates a team whose admin invite joins; manages invites, devices and backups', async () => {
    const created = cli('team', 'create', 'Radiology', 'QSI');
    const teamId = /created: ([0-9a-f-]{36})/.exec(created)?.[1] ?? '';
    const code = /(qsi-inv-\S+)/.exec(created)?.[1] ?? '';
    expect(teamId).not.toBe('');
    const store = await openSqliteStore({ file: path.join(dir, 'clipper.sqlite') });
    const app = createApp({ store, log: () => {} });
    const admin = await join(app, code, 'Ada');
    expect((await call(app, 'GET', '/v1/me', admin.token)).json).toMatchObject({
      member: { role: 'admin' },
      team: { name: 'Radiology QSI' },
    });
    const inv = cli('invite', 'create', teamId, '--role', 'viewer', '--uses', '3', '--hours', '2');
    const viewerCode = /(qsi-inv-\S+)/.exec(inv)?.[1] ?? '';
    const viewer = await join(app, viewerCode, 'Vic');
    expect(cli('invite', 'list', teamId)).toMatch(/viewer {2}uses=1\/3/);
    expect(cli('member', 'list', teamId)).toContain('Vic  viewer  active');
    expect(cli('device', 'revoke', teamId, viewer.deviceId)).toContain('revoked');
    expect((await call(app, 'GET', '/v1/me', viewer.token)).status).toBe(401);
    expect(() => cli('device', 'revoke', '00000000-0000-4000-8000-000000000000', viewer.deviceId)).toThrow();
    const backup = path.join(dir, 'copy.sqlite');
    expect(cli('backup', backup)).toContain('Backup written');
    expect(fs.existsSync(backup)).toBe(true);
    expect(cli('audit', '--team', teamId)).toMatch(/device\.revoke/);
    expect(() => cli('member', 'role', teamId, admin.memberId, 'viewer')).toThrow();
    await store.close();
  });

  /** Run the CLI without throwing: its exit status and output. */
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bundleServer('cli'), ...args], {
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' },
      encoding: 'utf8',
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it('refuses a team name with control or bidi characters and escapes names it prints', async () => {
    for (const bad of ['Radio\u202elogy', 'Radio\nlogy', 'Radio\u001b[2Jlogy']) {
      const r = run('team', 'create', bad);
      expect(r.status, JSON.stringify(bad)).not.toBe(0);
      expect(r.out).toContain('control');
    }
    expect(hasControlChars(run('team', 'list').out.replaceAll('\n', ' '))).toBe(false);
    // A name written before the rule (straight into the database) is printed escaped.
    const store = await openSqliteStore({ file: path.join(dir, 'clipper.sqlite') });
    const t = await store.createTeam('Legacy');
    await store.db
      .updateTable('teams')
      .set({ name: 'Leg\u202eacy\u001b[2J' })
      .where('id', '=', t.id)
      .execute();
    await store.close();
    const listed = run('team', 'list').out;
    expect(listed).toContain('Leg\\u{202e}acy\\u{1b}[2J');
    expect(hasControlChars(listed.replaceAll('\n', ' '))).toBe(false);
  });

  it('verify: OK on an intact database, names the first broken entry after a direct change; checks a pack', async () => {
    const created = cli('team', 'create', 'Verify');
    const teamId = /created: ([0-9a-f-]{36})/.exec(created)?.[1] ?? '';
    const code = /(qsi-inv-\S+)/.exec(created)?.[1] ?? '';
    const store = await openSqliteStore({ file: path.join(dir, 'clipper.sqlite') });
    const app = createApp({ store, log: () => {} });
    const admin = await join(app, code, 'Ada');
    const clips = [makeClip(), makeClip()];
    const pushed = await call(app, 'POST', '/v1/push', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'client-verify',
      mutations: clips.map((clip, i) => ({ mutationId: i + 1, type: 'clip.create', clip })),
    });
    expect(pushed.status).toBe(200);

    // The pack as the extension will seal it: each clip's content hash and the log head.
    const head = (await call(app, 'GET', '/v1/log/head', admin.token)).json as { seq: number; hash: string };
    const pulled = await call(app, 'POST', '/v1/pull', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      cursor: null,
    });
    const serverClips = (pulled.json.changes as { clip: Record<string, unknown> & { id: string } }[]).map(
      (c) => c.clip,
    );
    const seal = {
      format: SEAL_FORMAT,
      teamId,
      exportedAt: new Date().toISOString(),
      logHead: { seq: head.seq, hash: head.hash },
      clips: serverClips.map((c) => ({ id: c.id, contentHash: sha256Hex(clipContentText(c)) })),
    };
    const pack = path.join(dir, 'pack.html');
    fs.writeFileSync(pack, `<!doctype html><h1>Evidence</h1>${sealScriptElement(seal)}`);

    const intact = run('verify', '--team', teamId);
    expect(intact.status).toBe(0);
    expect(intact.out).toMatch(/^OK: 1 team\(s\), 2 log entries, 2 records/);
    expect(run('verify').status).toBe(0);
    expect(run('verify', '--pack', pack)).toMatchObject({ status: 0, out: expect.stringContaining('OK') });

    // An edit after the export: the pack still matches the log at its head, and the edit is named.
    await call(app, 'POST', '/v1/push', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'client-verify',
      mutations: [
        {
          mutationId: 3,
          type: 'clip.update',
          id: clips[0]?.id,
          base: { note: 9 },
          set: { note: 'later' },
          criteriaAdd: [],
          criteriaRemove: [],
        },
      ],
    });
    const later = run('verify', '--pack', pack);
    expect(later.status).toBe(0);
    expect(later.out).toContain('changed 1 time(s) since the export');

    // A forged pack: one clip's hash altered, or a head the chain never had.
    const forged = path.join(dir, 'forged.html');
    fs.writeFileSync(
      forged,
      sealScriptElement({ ...seal, clips: [{ id: clips[1]?.id ?? '', contentHash: 'f'.repeat(64) }] }),
    );
    expect(run('verify', '--pack', forged)).toMatchObject({
      status: 1,
      out: expect.stringContaining('content differs'),
    });
    fs.writeFileSync(
      forged,
      sealScriptElement({ ...seal, logHead: { seq: head.seq, hash: '0'.repeat(64) } }),
    );
    expect(run('verify', '--pack', forged)).toMatchObject({
      status: 1,
      out: expect.stringContaining('log head'),
    });

    // A clip's quote changed straight in the database: verify fails and names the entry.
    const row = await store.db
      .selectFrom('records')
      .select(['data', 'seq'])
      .where('key', '=', clips[1]?.id ?? '')
      .executeTakeFirstOrThrow();
    await store.db
      .updateTable('records')
      .set({ data: (row.data ?? '').replace('passage', 'forged') })
      .where('key', '=', clips[1]?.id ?? '')
      .execute();
    const broken = run('verify', '--team', teamId);
    expect(broken.status).not.toBe(0);
    expect(broken.out).toContain(`first broken entry seq ${row.seq} (clip ${clips[1]?.id})`);
    expect(run('verify', '--pack', pack).status).toBe(1);
    await store.close();
  });

  it('verify covers submissions: a deleted one stays in the log, one changed in the database is named', async () => {
    const created = cli('team', 'create', 'Submissions');
    const teamId = /created: ([0-9a-f-]{36})/.exec(created)?.[1] ?? '';
    const code = /(qsi-inv-\S+)/.exec(created)?.[1] ?? '';
    const store = await openSqliteStore({ file: path.join(dir, 'clipper.sqlite') });
    const app = createApp({ store, log: () => {} });
    const admin = await join(app, code, 'Ada');
    const [kept, gone] = [makeSubmission({ name: 'Kept' }), makeSubmission({ name: 'Deleted' })];
    for (const submission of [kept, gone])
      expect(
        (
          await call(app, 'POST', '/v1/submissions', admin.token, {
            protocolVersion: PROTOCOL_VERSION,
            submission,
          })
        ).status,
      ).toBe(201);
    expect((await call(app, 'DELETE', `/v1/submissions/${gone.id}`, admin.token)).status).toBe(200);
    const intact = run('verify', '--team', teamId);
    expect(intact).toMatchObject({
      status: 0,
      out: expect.stringMatching(/^OK: 1 team\(s\), 3 log entries, 2 records/),
    });
    expect(run('audit', '--team', teamId).out).toMatch(/submission\.delete/);

    await store.db
      .updateTable('records')
      .set({ data: JSON.stringify({ ...kept, name: 'Rewritten' }) })
      .where('team_id', '=', teamId)
      .where('key', '=', kept.id)
      .execute();
    const broken = run('verify', '--team', teamId);
    expect(broken.status).not.toBe(0);
    expect(broken.out).toContain(`(submission ${kept.id})`);
    await store.close();
  });
});
