// POST /v1/push and POST /v1/pull: the sync protocol of shared/protocol.ts over the Store.
// Each pushed mutation is validated alone so a malformed one is `rejected`, never blocking.
import { Hono } from 'hono';
import {
  DEFAULT_PULL_PAGE,
  FEATURES_HEADER,
  MAX_PUSH_BYTES,
  mutationSchema,
  PROTOCOL_VERSION,
  type PushResponse,
  pullRequestSchema,
  pushEnvelopeSchema,
} from '../../shared/protocol';
import { limitBody } from '../body-limit';
import {
  type AppEnv,
  checkBodyVersion,
  describeIssues,
  jsonBody,
  RateLimitedError,
  type RouteDeps,
  requireRole,
} from '../http';
import type { IncomingMutation } from '../store/store';

export function pushRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().post(
    '/',
    limitBody(MAX_PUSH_BYTES, `A push body may not exceed ${MAX_PUSH_BYTES} bytes; send smaller batches`),
    requireRole(deps.store, 'admin', 'editor'),
    jsonBody(pushEnvelopeSchema),
    async (c) => {
      const body = c.req.valid('json');
      checkBodyVersion(body.protocolVersion);
      // Count items as well as requests: one batch may carry MAX_BATCH mutations.
      const actor = c.get('actor');
      const wait = deps.itemLimiter.take(`items:${actor.deviceId}`, body.mutations.length);
      if (wait > 0) {
        await deps.store.audit({
          action: 'ratelimit.items',
          outcome: 'denied',
          teamId: actor.teamId,
          actor: actor.memberId,
        });
        throw new RateLimitedError(wait);
      }
      const incoming: IncomingMutation[] = body.mutations.map((raw) => {
        const parsed = mutationSchema.safeParse(raw);
        return parsed.success
          ? { ok: true, mutation: parsed.data }
          : { ok: false, mutationId: raw.mutationId, message: describeIssues(parsed.error.issues) };
      });
      const out = await deps.store.push(actor, body.clientId, incoming);
      deps.metrics?.push(incoming.length);
      const res: PushResponse = { protocolVersion: PROTOCOL_VERSION, ...out };
      return c.json(res);
    },
  );
}

export function pullRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().post('/', jsonBody(pullRequestSchema), async (c) => {
    const body = c.req.valid('json');
    checkBodyVersion(body.protocolVersion);
    const cursor = body.cursor === null ? null : Number(body.cursor);
    const limit = body.limit ?? DEFAULT_PULL_PAGE;
    const features = new Set((c.req.header(FEATURES_HEADER) ?? '').split(',').map((f) => f.trim()));
    return c.json(await deps.store.pull(c.get('actor').teamId, cursor, limit, c.get('head'), features));
  });
}
