// PostgreSQL for the server benches: BENCH_DATABASE_URL / TEST_DATABASE_URL, else a throwaway
// cluster via scripts/pg-up.sh (stopped afterwards); each call gets a fresh database.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');

/** Runs `fn` with the URL of a fresh database; prints why and skips when there is no PostgreSQL. */
export async function withBenchPostgres(label: string, fn: (url: string) => Promise<void>) {
  let url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  let started = false;
  const env = { ...process.env, PG_TEST_BASE: path.join(os.tmpdir(), `qsi-bench-pg-${process.pid}`) };
  if (!url) {
    try {
      const out = execFileSync('bash', [path.join(root, 'scripts/pg-up.sh')], {
        env,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      url = /TEST_DATABASE_URL=(\S+)/.exec(String(out))?.[1];
      started = true;
    } catch {
      console.error(
        `[bench] PostgreSQL not available (no TEST_DATABASE_URL and pg-up.sh failed): skipping the PostgreSQL ${label} figures`,
      );
      return;
    }
  }
  try {
    if (!url) return;
    // A fresh database per run, so earlier runs do not skew the figures.
    const name = `bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    await fn(u.toString());
  } finally {
    if (started) execFileSync('bash', [path.join(root, 'scripts/pg-down.sh')], { env, stdio: 'ignore' });
  }
}
