// Runs the real server as a child process for the crash and multi-process tests. The server is
// bundled once with esbuild (tsx's own dependency) so a restart takes ~0.4 s instead of ~2 s.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildSync } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'node_modules/.cache/qsi-server-test');
const bundled = new Map<string, string>();

/** Bundle server/<entry>.ts (natives stay external and resolve from the project's node_modules). */
export function bundleServer(entry: 'main' | 'cli' = 'main'): string {
  const done = bundled.get(entry);
  if (done) return done;
  fs.mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${entry}-${process.pid}.mjs`);
  buildSync({
    entryPoints: [path.join(root, `server/${entry}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    external: ['better-sqlite3', 'pg', 'pg-native'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'silent',
  });
  bundled.set(entry, outfile);
  return outfile;
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
