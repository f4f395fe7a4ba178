// POST /v1/wait: a long-poll that answers as soon as the team's sequence is past the caller's
// cursor, or `changed:false` at the timeout. It polls teamSeq (several processes may share one
// PostgreSQL) and never holds a transaction or connection while it sleeps.
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import {
  DEFAULT_WAIT_MS,
  PROTOCOL_VERSION,
  type WaitResponse,
  waitRequestSchema,
} from '../../shared/protocol';
import type { ChangeNotifier } from '../change-notifier';
import { type AppEnv, checkBodyVersion, jsonBody, type RouteDeps } from '../http';

/** How often a waiter re-reads the team's counter (changes from other processes). */
export const WAIT_POLL_MS = 200;

export function waitRoutes(deps: RouteDeps & { changes: ChangeNotifier; pollMs?: number }) {
  const pollMs = deps.pollMs ?? WAIT_POLL_MS;
  return new Hono<AppEnv>().post('/', jsonBody(waitRequestSchema), async (c) => {
    const body = c.req.valid('json');
    checkBodyVersion(body.protocolVersion);
    const teamId = c.get('actor').teamId;
    const after = body.cursor === null ? null : Number(body.cursor);
    const signal = c.req.raw.signal;
    const deadline = performance.now() + (body.timeoutMs ?? DEFAULT_WAIT_MS);
    const answer = (changed: boolean, seq: number) =>
      c.json({ protocolVersion: PROTOCOL_VERSION, changed, cursor: String(seq) } satisfies WaitResponse);

    let wake: (() => void) | undefined;
    const unsubscribe = deps.changes.subscribe(teamId, () => wake?.());
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const seq = await deps.store.teamSeq(teamId);
        if (seq === undefined) throw new AppError('not_found', 'Team not found');
        if (after === null || seq > after) return answer(true, seq);
        const left = deadline - performance.now();
        if (left <= 0 || signal.aborted) return answer(false, seq);
        // Sleep until the next poll, a push in this process, the client leaving, or the deadline.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(pollMs, left));
          function done() {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          }
          wake = done;
        });
      }
    } finally {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
    }
  });
}
