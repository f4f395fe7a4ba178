// Online backup (VACUUM INTO) of a live SQLite store: the copy passes integrity_check, holds every
// acknowledged clip, and a server booted on it serves them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { openSqliteStore } from '../../server/store/sqlite';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { call, createTeam, makeClip } from './helpers';

describe('SQLite backup', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-backup-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('makes a consistent copy while the server runs, and refuses to overwrite', async () => {
    const store = await openSqliteStore({ file: path.join(dir, 'live.sqlite') });
    const app = createApp({ store, log: () => {} });
    const { admin } = await createTeam(store, app);
    const mutations = Array.from({ length: 50 }, (_, i) => ({
      mutationId: i + 1,
      type: 'clip.create',
      clip: makeClip(),
    }));
    const pushed = await call(app, 'POST', '/v1/push', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'client-bak',
      mutations,
    });
    expect(pushed.status).toBe(200);
    const target = path.join(dir, 'backup.sqlite');
    await store.backup(target);
    await expect(store.backup(target)).rejects.toThrow();
    await store.close();
    const raw = new Database(target, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const restored = await openSqliteStore({ file: target });
    const app2 = createApp({ store: restored, log: () => {} });
    const pull = await call(app2, 'POST', '/v1/pull', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      cursor: null,
    });
    expect((pull.json.changes as unknown[]).length).toBe(50);
    await restored.close();
  });
});
