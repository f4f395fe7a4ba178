// Entry point: env → store → app → listen. Nothing else lives here.
import fs from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { createApp } from './app';
import { readEnv } from './env';

const env = readEnv();
fs.mkdirSync(env.DATA_DIR, { recursive: true });
const db = new Database(path.join(env.DATA_DIR, 'clipper.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const app = createApp({ ping: () => void db.prepare('select 1').get() });
const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT }, (info) => {
  console.log(`QSI Evidence Clipper server listening on http://${info.address}:${info.port}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    db.close();
    process.exit(0);
  });
}
