// /v1/clips/{id}/history (any member): who wrote a clip, when, and which fields from what to what,
// from the team's change log. /v1/log/head: the log's newest entry, which an evidence pack's seal
// records so the pack can be checked against the server later (`server/cli.ts verify --pack`).
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { type ClipHistoryResponse, PROTOCOL_VERSION } from '../../shared/protocol';
import type { AppEnv, RouteDeps } from '../http';
import { pathId } from './members';

const uuid = z.uuid();

export function clipRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().get('/:id/history', async (c) => {
    const id = pathId(c.req.param('id'), 'clip');
    const entries = await deps.store.recordHistory(c.get('actor').teamId, 'clip', id);
    // Another team's clip and a clip that never existed answer alike.
    if (entries.length === 0) throw new AppError('not_found', 'No such clip in this team');
    const res: ClipHistoryResponse = {
      protocolVersion: PROTOCOL_VERSION,
      entries: entries.map((e) => ({
        seq: e.seq,
        at: new Date(e.at).toISOString(),
        by: e.by !== null && uuid.safeParse(e.by).success ? e.by : null,
        type: e.type,
        changes: e.changes,
      })),
    };
    return c.json(res);
  });
}

export function logRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().get('/head', async (c) => {
    const head = await deps.store.logHead(c.get('actor').teamId);
    if (!head) throw new AppError('not_found', 'Team not found');
    return c.json({ protocolVersion: PROTOCOL_VERSION, ...head });
  });
}
