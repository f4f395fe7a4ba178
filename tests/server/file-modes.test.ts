// The SQLite data directory and its files are the server user's alone: DATA_DIR 0700; the
// database, its WAL and shared-memory files and backups 0600, also when an earlier version left
// them world-readable. (PostgreSQL keeps no files of ours.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { openStore } from '../../server/store/open';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { call, createTeam, makeClip } from './helpers';

const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe.skipIf(process.platform === 'win32')('file modes', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-modes-'));
  const umask = process.umask();
  afterAll(() => {
    process.umask(umask);
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function exercise(dataDir: string) {
    const store = await openStore({ DATA_DIR: dataDir });
    const app = createApp({ store, log: () => {} });
    const { admin } = await createTeam(store, app);
    await call(app, 'POST', '/v1/push', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'client-modes',
      mutations: [{ mutationId: 1, type: 'clip.create', clip: makeClip() }],
    });
    const db = path.join(dataDir, 'clipper.sqlite');
    const backup = path.join(root, `backup-${path.basename(dataDir)}.sqlite`);
    await store.backup(backup);
    const modes = {
      dir: mode(dataDir),
      db: mode(db),
      wal: mode(`${db}-wal`),
      shm: mode(`${db}-shm`),
      backup: mode(backup),
    };
    await store.close();
    return modes;
  }

  it('creates DATA_DIR 0700 and the database, WAL, shared memory and backup files 0600', async () => {
    process.umask(0o022); // what a default login shell gives the server
    expect(await exercise(path.join(root, 'fresh', 'data'))).toEqual({
      dir: 0o700,
      db: 0o600,
      wal: 0o600,
      shm: 0o600,
      backup: 0o600,
    });
  });

  it('tightens a directory and database an earlier version left readable to all', async () => {
    process.umask(0o022);
    const dir = path.join(root, 'old');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'clipper.sqlite'), '');
    fs.chmodSync(path.join(dir, 'clipper.sqlite'), 0o644);
    expect(mode(dir)).toBe(0o755); // control: the starting point is world-readable
    expect(await exercise(dir)).toMatchObject({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
  });
});
