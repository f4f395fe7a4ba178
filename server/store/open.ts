// Chooses the backend from the environment: PostgreSQL when DATABASE_URL is set, else SQLite.
// Each backend is imported only when chosen: an embedded server never loads `pg` (≈ 90 ms at start).
import fs from 'node:fs';
import path from 'node:path';
import type { SqlStore } from './sql-store';

export async function openStore(env: {
  DATA_DIR: string;
  DATABASE_URL?: string | undefined;
  TEAM_QUOTA_MB?: number | undefined;
}): Promise<SqlStore> {
  const teamQuotaBytes = env.TEAM_QUOTA_MB === undefined ? undefined : env.TEAM_QUOTA_MB * 1_048_576;
  if (env.DATABASE_URL) {
    const { openPostgresStore } = await import('./postgres');
    return openPostgresStore({ url: env.DATABASE_URL, teamQuotaBytes });
  }
  // The database holds the team's evidence and member names: only the server's user may read it.
  // The umask covers every file made later (WAL, shared memory, backups); the chmods tighten a
  // directory made by an earlier version, which created it world-readable.
  process.umask(0o077);
  fs.mkdirSync(env.DATA_DIR, { recursive: true, mode: 0o700 });
  fs.chmodSync(env.DATA_DIR, 0o700);
  const { openSqliteStore } = await import('./sqlite');
  return openSqliteStore({ file: path.join(env.DATA_DIR, 'clipper.sqlite'), teamQuotaBytes });
}
