// The admin CLI end to end on a SQLite data directory: create a team (admin invite printed once),
// join with it, invite, list, revoke a device, back up, read the audit log.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { openSqliteStore } from '../../server/store/sqlite';
import { bundleServer } from '../sync/server-process';
import { call, join } from './helpers';

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
});
