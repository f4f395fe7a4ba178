// The container image's start command, run outside a container (no container engine where this
// project is built and tested: docs/operations.md, "Containers"). Reads CMD, ENV, USER and
// HEALTHCHECK from deploy/Containerfile and runs exactly that command with that environment as a
// real process: as the image's non-root uid (when the test runs as root, as CI does), with a
// read-only TMPDIR and only DATA_DIR writable; then the image's health check must pass, and fail
// once the server has stopped on SIGTERM.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { freePort } from '../sync/server-process';

const root = path.resolve(import.meta.dirname, '../..');
const containerfile = fs.readFileSync(path.join(root, 'deploy/Containerfile'), 'utf8');

/** A Containerfile instruction's JSON (exec-form) argument, from the last stage. */
function execForm(instruction: string): string[] {
  const lines = containerfile.split('\n').filter((l) => l.startsWith(`${instruction} `));
  const last = lines.at(-1);
  const json = last?.match(/(\[.*\])\s*$/)?.[1];
  if (!json) throw new Error(`no exec-form ${instruction} in deploy/Containerfile`);
  return JSON.parse(json) as string[];
}

/** The last stage's ENV (the `ENV A=1 \ B=2` form). */
function imageEnv(): Record<string, string> {
  const block = containerfile.slice(containerfile.lastIndexOf('\nENV ') + 5).split(/\n(?!\s)/)[0] ?? '';
  const env: Record<string, string> = {};
  for (const [, k, v] of block.matchAll(/([A-Z_]+)=(\S+)/g)) if (k && v) env[k] = v;
  return env;
}

const [uid, gid] = (/^USER (\d+):(\d+)$/m.exec(containerfile)?.slice(1) ?? []).map(Number);
const asRoot = process.getuid?.() === 0;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-start-command-'));
const dataDir = path.join(work, 'data');
const readOnlyTmp = path.join(work, 'tmp');
let child: ChildProcess | undefined;
/** Directories above the project made traversable for the image's uid, with their old modes. */
const opened: [string, number][] = [];

/**
 * In the image the project tree is readable by its user; here it may sit under a directory only
 * root may enter (a clone in `mktemp -d`, mode 0700). Such ancestors get search permission for
 * others (not listing) while the test runs, and their modes back afterwards.
 */
function letImageUserReachProject() {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      opened.push([dir, mode]);
      fs.chmodSync(dir, mode | 0o001);
    }
    if (dir === path.dirname(dir)) return;
  }
}

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
  for (const [dir, mode] of opened) fs.chmodSync(dir, mode);
});

test('the image runs as a fixed non-root uid with NODE_ENV=production and DATA_DIR=/data', () => {
  expect(uid).toBeGreaterThan(0);
  expect(gid).toBeGreaterThan(0);
  expect(imageEnv()).toMatchObject({ NODE_ENV: 'production', DATA_DIR: '/data', HOST: '0.0.0.0' });
  expect(execForm('CMD')).toEqual(['/bin/sh', 'deploy/start-server.sh']);
  expect(execForm('HEALTHCHECK')).toEqual(['node', 'deploy/healthcheck.mjs']);
});

test("the image's CMD starts the server, its HEALTHCHECK passes, SIGTERM stops it", async () => {
  fs.mkdirSync(dataDir, { mode: 0o700 });
  fs.mkdirSync(readOnlyTmp, { mode: 0o555 });
  if (asRoot) {
    // The image's user owns only DATA_DIR; the project tree stays root's (read-only to it).
    fs.chownSync(dataDir, uid ?? 0, gid ?? 0);
    fs.chmodSync(work, 0o755);
    letImageUserReachProject();
  }
  const port = String(await freePort());
  // The image's environment; only the listen address (loopback here), port and paths differ.
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...imageEnv(),
    HOST: '127.0.0.1',
    PORT: port,
    DATA_DIR: dataDir,
    TMPDIR: readOnlyTmp,
    HOME: '/nonexistent',
  };
  const [command, ...args] = execForm('CMD');
  if (!command) throw new Error('empty CMD');
  child = spawn(command, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid, gid } : {}),
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('listening')) {
        clearInterval(timer);
        resolve();
      } else if (child?.exitCode !== null || Date.now() - started > 60_000) {
        clearInterval(timer);
        reject(new Error(`the start command did not listen: exit ${child?.exitCode}\n${out}`));
      }
    }, 100);
  });
  console.log(
    `[start-command] listening after ${Date.now() - started} ms as ${asRoot ? `uid ${uid}` : 'the current user'}`,
  );
  expect(out).toContain('(sqlite)');
  expect(fs.readdirSync(dataDir)).toContain('clipper.sqlite');
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok', store: 'sqlite' });

  const [hcCommand, ...hcArgs] = execForm(
    'HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD',
  );
  const check = () => spawnSync(hcCommand ?? 'node', hcArgs, { cwd: root, env, timeout: 10_000 }).status;
  expect(check()).toBe(0);

  const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(check()).toBe(1);
});
