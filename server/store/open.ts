// Chooses the backend from the environment: PostgreSQL when DATABASE_URL is set, else SQLite.
import fs from 'node:fs';
import path from 'node:path';
import { openPostgresStore } from './postgres';
import type { SqlStore } from './sql-store';
import { openSqliteStore } from './sqlite';

export async function openStore(env: {
  DATA_DIR: string;
  DATABASE_URL?: string | undefined;
}): Promise<SqlStore> {
  if (env.DATABASE_URL) return openPostgresStore({ url: env.DATABASE_URL });
  fs.mkdirSync(env.DATA_DIR, { recursive: true });
  return openSqliteStore({ file: path.join(env.DATA_DIR, 'clipper.sqlite') });
}
