// POST /v1/wait: a long-poll that answers as soon as the team's sequence is past the caller's
// cursor, or `changed:false` at the timeout. The waiting itself is the process's wait hub
// (wait-hub.ts: woken by change notifications, with a shared safety-net read); this route holds
// no transaction or connection while it sleeps.
import { Hono } from 'hono';
import {
  DEFAULT_WAIT_MS,
  PROTOCOL_VERSION,
  type WaitResponse,
  waitRequestSchema,
} from '../../shared/protocol';
import { type AppEnv, checkBodyVersion, jsonBody, type RouteDeps } from '../http';
import type { WaitHub } from '../wait-hub';

export function waitRoutes(deps: RouteDeps & { waits: WaitHub }) {
  return new Hono<AppEnv>().post('/', jsonBody(waitRequestSchema), async (c) => {
    const body = c.req.valid('json');
    checkBodyVersion(body.protocolVersion);
    const teamId = c.get('actor').teamId;
    // The token lookup read the team's counter row: a caller already behind is answered at once.
    const head = c.get('head').seq;
    const after = body.cursor === null ? -1 : Number(body.cursor);
    const outcome = await deps.waits.wait(
      teamId,
      after,
      head,
      body.timeoutMs ?? DEFAULT_WAIT_MS,
      c.req.raw.signal,
    );
    return c.json({
      protocolVersion: PROTOCOL_VERSION,
      changed: outcome.changed,
      cursor: String(outcome.seq),
    } satisfies WaitResponse);
  });
}
