// Runs the real server as a child process for the crash and multi-process tests, and the pieces
// those tests share (an offline team, joining over HTTP, the kill-and-restart loop). The server is
// bundled once with esbuild (tsx's own dependency) so a restart takes ~0.4 s instead of ~2 s.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import { newInviteCode } from '../../server/auth';
import type { SqlStore } from '../../server/store/sql-store';
import { PROTOCOL_VERSION, type Role } from '../../shared/protocol';
import { headers } from '../server/helpers';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'node_modules/.cache/qsi-server-test');
const bundled = new Map<string, string>();

/**
 * Bundle server/<entry>.ts (natives stay external and resolve from the project's node_modules).
 * The file is named by its content's hash and written atomically, so parallel test processes share
 * one bundle per server version instead of leaving one per process behind.
 */
export function bundleServer(entry: 'main' | 'cli' = 'main'): string {
  const done = bundled.get(entry);
  if (done) return done;
  fs.mkdirSync(outDir, { recursive: true });
  const [out] = buildSync({
    entryPoints: [path.join(root, `server/${entry}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: path.join(outDir, `${entry}.mjs`),
    write: false,
    external: ['better-sqlite3', 'pg', 'pg-native'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'silent',
  }).outputFiles;
  if (!out) throw new Error(`esbuild produced no bundle for server/${entry}.ts`);
  const hash = createHash('sha256').update(out.contents).digest('hex').slice(0, 16);
  const file = path.join(outDir, `${entry}-${hash}.mjs`);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out.contents);
    fs.renameSync(tmp, file);
  }
  bundled.set(entry, file);
  return file;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
}

/** Start the bundled server with `env` and resolve once it listens. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const file = bundleServer();
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, [file], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'quiet',
      RATE_LIMIT_PER_MINUTE: '6000000',
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_ITEMS_PER_MINUTE: '600000000',
      ...env,
      PORT: port,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
    child.stdout?.on('data', (d) => {
      if (String(d).includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A team with one single-use invite per role, made offline (as the CLI does); the invite codes. */
export async function seedTeamOffline(store: SqlStore, name: string, roles: Role[]): Promise<string[]> {
  const team = await store.createTeam(name);
  const codes: string[] = [];
  for (const role of roles) {
    const { code, codeHash } = newInviteCode();
    await store.createInvite(team.id, {
      role,
      maxUses: 1,
      expiresAt: Date.now() + 3_600_000,
      codeHash,
      createdBy: null,
    });
    codes.push(code);
  }
  return codes;
}

/** Joins through a running server's HTTP API; the device token. */
export async function joinOverHttp(base: string, code: string, displayName: string): Promise<string> {
  const r = await fetch(`${base}/v1/join`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, code, displayName }),
  });
  if (r.status !== 201) throw new Error(`join ${r.status}: ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

export interface CrashLoop {
  cycles: number;
  server: ServerProcess;
  /** The environment the server is restarted with. */
  env: Record<string, string>;
  /** Progress counters: each kill waits until every one has moved in this incarnation (≤ 5 s). */
  progress: () => number[];
  /** Writes in flight now (a kill with one in flight is a kill mid-write). */
  inFlight: () => number;
  /** Checks the database on disk while no server runs. */
  checkDisk: () => void;
  /** Each restarted server, for the caller's clean-up. */
  onRestart: (server: ServerProcess) => void;
}

/** SIGKILLs the server at a random moment `cycles` times while clients write, checks the disk after
 *  each kill and restarts it; the number of kills that hit a write in flight. */
export async function crashLoop(o: CrashLoop): Promise<number> {
  let server = o.server;
  let killedInFlight = 0;
  for (let cycle = 0; cycle < o.cycles; cycle++) {
    // Progress in this incarnation first (a loaded CI box is slow), then a kill at a random moment.
    const before = o.progress();
    const deadline = Date.now() + 5_000;
    while (o.progress().some((n, i) => n === before[i]) && Date.now() < deadline) await sleep(2);
    await sleep(Math.random() * 40);
    if (o.inFlight() > 0) killedInFlight++;
    await server.kill();
    o.checkDisk();
    server = await startServer(o.env);
    o.onRestart(server);
  }
  return killedInFlight;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The writers of a crash test: each attempt counts as in flight until it settles; a failed
 *  attempt (the server was killed, or refused) waits 5 ms and the writer tries again. */
export class Writers {
  inFlight = 0;
  async attempt(write: () => Promise<void>): Promise<void> {
    this.inFlight++;
    try {
      await write();
    } catch {
      await sleep(5);
    } finally {
      this.inFlight--;
    }
  }
}

/** Runs `check` on a read-only handle of the SQLite file, once its integrity check passed. */
export function onDisk<T>(file: string, check: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`integrity_check: ${String(integrity)}`);
    return check(db);
  } finally {
    db.close();
  }
}
