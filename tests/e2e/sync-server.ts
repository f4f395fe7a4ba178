// A real sync server for the two-browser end-to-end test: its own process on a free loopback port
// with a temporary DATA_DIR, restartable on the same port and data, plus the admin CLI.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleServer, freePort, type ServerProcess, startServer } from '../sync/server-process';

const run = promisify(execFile);

export interface SyncServer {
  url: string;
  dataDir: string;
  /** Runs `server/cli.ts <args>` against this server's database; @returns stdout. */
  cli: (...args: string[]) => Promise<string>;
  /** SIGKILL the process (data stays). */
  stop: () => Promise<void>;
  /** Start again on the same port and DATA_DIR. */
  start: () => Promise<void>;
  /** Stop and delete the data. */
  close: () => Promise<void>;
}

export async function startSyncServer(): Promise<SyncServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-e2e-server-'));
  const port = String(await freePort());
  const env = { HOST: '127.0.0.1', PORT: port, DATA_DIR: dataDir };
  let proc: ServerProcess | undefined = await startServer(env);
  const cliFile = bundleServer('cli');
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async cli(...args) {
      const { stdout } = await run(process.execPath, [cliFile, ...args], {
        env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'quiet' },
      });
      return stdout;
    },
    async stop() {
      await proc?.kill();
      proc = undefined;
    },
    async start() {
      if (!proc) proc = await startServer(env);
    },
    async close() {
      await proc?.kill();
      proc = undefined;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Creates a team (or, given `existingTeamId`, only a new invite for it) and an editor invite.
 * @returns the team id, the admin invite (empty for an existing team) and the editor invite.
 */
export async function createTeam(
  server: SyncServer,
  name: string,
  existingTeamId?: string,
): Promise<{ teamId: string; adminCode: string; editorCode: string }> {
  const created = existingTeamId ? '' : await server.cli('team', 'create', name);
  const teamId = existingTeamId ?? /created: (\S+)/.exec(created)?.[1];
  const adminCode = existingTeamId ? '' : /(qsi-inv-\S+)/.exec(created)?.[1];
  if (!teamId || adminCode === undefined) throw new Error(`unexpected CLI output: ${created}`);
  const invite = await server.cli(
    'invite',
    'create',
    teamId,
    '--role',
    'editor',
    '--uses',
    '10',
    '--hours',
    '72',
  );
  const editorCode = /(qsi-inv-\S+)/.exec(invite)?.[1];
  if (!editorCode) throw new Error(`unexpected CLI output: ${invite}`);
  return { teamId, adminCode, editorCode };
}
