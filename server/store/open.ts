// Chooses the backend from the environment: PostgreSQL when DATABASE_URL is set, else SQLite.
// Each backend is imported only when chosen: an embedded server never loads `pg` (≈ 90 ms at start).
import fs from 'node:fs';
import path from 'node:path';
import type { SqlStore } from './sql-store';

export async function openStore(env: {
  DATA_DIR: string;
  DATABASE_URL?: string | undefined;
}): Promise<SqlStore> {
  if (env.DATABASE_URL) {
    const { openPostgresStore } = await import('./postgres');
    return openPostgresStore({ url: env.DATABASE_URL });
  }
  fs.mkdirSync(env.DATA_DIR, { recursive: true });
  const { openSqliteStore } = await import('./sqlite');
  return openSqliteStore({ file: path.join(env.DATA_DIR, 'clipper.sqlite') });
}
