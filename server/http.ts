// The HTTP plumbing every route shares: the Hono env type, the one error funnel
// ({ error: { code, message } }), strict JSON validation, protocol-version and auth middleware.
import { getConnInfo } from '@hono/node-server/conninfo';
import { zValidator } from '@hono/zod-validator';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import { AppError, type ErrorCode } from '../shared/errors';
import { incompatibleVersionMessage, PROTOCOL_HEADER, PROTOCOL_VERSION, type Role } from '../shared/protocol';
import { parseDeviceToken, sameDigest } from './auth';
import { rateKey } from './client-address';
import type { Metrics } from './metrics';
import type { RateLimiter } from './rate-limit';
import type { Actor, Store, TeamHead } from './store/store';

export interface AppEnv {
  /** `head`: the team's counter row as read while authenticating this request. */
  Variables: { actor: Actor; head: TeamHead; requestId: string; clientIp: string };
}

/** What every route module receives from createApp. */
export interface RouteDeps {
  store: Store;
  now: () => number;
  limiter: RateLimiter;
  authFailLimiter: RateLimiter;
  joinLimiter: RateLimiter;
  /** All joins of the process together (an invite-guessing cap no address spread escapes). */
  joinGlobalLimiter: RateLimiter;
  itemLimiter: RateLimiter;
  /** Note that a device token was used (written in batches, off the request path). */
  touch: (deviceId: string) => void;
  /** Counters for /metrics (METRICS=1). */
  metrics?: Metrics;
}

export const STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  incompatible_protocol: 400,
  resync_required: 409,
  internal: 500,
  unavailable: 503,
  quota_exceeded: 413,
};

/** An AppError that also carries response headers (Retry-After). */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfter: number) {
    super('rate_limited', `Too many requests; retry after ${retryAfter} s`);
  }
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Map anything thrown to the one error shape; unexpected errors are logged, never echoed. */
export function handleError(error: unknown, c: Context<AppEnv>, log: (e: Record<string, unknown>) => void) {
  if (error instanceof RateLimitedError) {
    c.header('Retry-After', String(error.retryAfter));
    return c.json(errorBody(error.code, error.message), 429);
  }
  if (error instanceof AppError) return c.json(errorBody(error.code, error.message), STATUS[error.code]);
  if (error instanceof HTTPException) {
    const status = error.status;
    const code: ErrorCode =
      status === 413
        ? 'payload_too_large'
        : status === 401
          ? 'unauthorized'
          : status >= 500
            ? 'internal'
            : 'bad_request';
    const message = status === 400 ? 'Malformed request body' : error.message || 'Request refused';
    return c.json(errorBody(code, message), status >= 500 ? 500 : (status as 400));
  }
  const requestId = c.get('requestId') ?? '';
  log({
    level: 'error',
    requestId,
    msg: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  return c.json(errorBody('internal', `Internal server error (request ${requestId})`), 500);
}

/** `path: message` lines of zod issues, capped (values are never echoed). */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const lines = issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
  if (issues.length > 10) lines.push(`… and ${issues.length - 10} more`);
  return lines.join('; ').slice(0, 2000);
}

/** zod-validated JSON body; failures become `validation_failed` without echoing values. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return zValidator('json', schema, (result) => {
    if (!result.success) throw new AppError('validation_failed', describeIssues(result.error.issues));
  });
}

/** Bodies repeat the protocol version; it must match the header's. */
export function checkBodyVersion(v: number) {
  if (v !== PROTOCOL_VERSION) throw new AppError('incompatible_protocol', incompatibleVersionMessage(v));
}

/** Every /v1 request states the protocol version it speaks (header), refused clearly otherwise. */
export const protocolVersion: MiddlewareHandler<AppEnv> = async (c, next) => {
  const raw = c.req.header(PROTOCOL_HEADER);
  if (raw === undefined)
    throw new AppError(
      'incompatible_protocol',
      `Missing ${PROTOCOL_HEADER} header; this server speaks protocol version ${PROTOCOL_VERSION}.`,
    );
  const v = /^\d{1,6}$/.test(raw) ? Number(raw) : -1;
  if (v !== PROTOCOL_VERSION)
    throw new AppError('incompatible_protocol', incompatibleVersionMessage(Math.max(v, 0)));
  await next();
};

/** The socket peer address (never X-Forwarded-For, which a client can spoof). */
export function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'local';
  }
}

/**
 * The client's address: set once per request from the socket and, behind a trusted proxy
 * (TRUST_PROXY), the forwarded address (server/client-address.ts).
 */
export function peerAddress(c: Context<AppEnv>): string {
  return c.get('clientIp') ?? socketAddress(c);
}

/**
 * Bearer-token authentication: look the device up by the id in the token, compare digests in
 * constant time, refuse revoked devices and removed members (no caching: revocation is
 * immediate), then apply the per-token rate limit. Failures are audited and rate-limited per IP.
 */
export function requireAuth(deps: RouteDeps): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const fail = async (reason: string, teamId: string | null = null) => {
      const ip = peerAddress(c);
      // Throttle first: a flood of bad tokens must not become a flood of audit writes.
      const wait = deps.authFailLimiter.take(`ip:${rateKey(ip)}`);
      if (wait > 0) throw new RateLimitedError(wait);
      await deps.store.audit({ action: 'auth', outcome: 'failed', detail: reason, ip, teamId });
      throw new AppError('unauthorized', 'Missing, invalid or revoked device token');
    };
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer ([^\s]{1,200})$/.exec(header);
    const parsed = m?.[1] ? parseDeviceToken(m[1]) : undefined;
    if (!parsed) return fail(header ? 'malformed token' : 'no token');
    const found = await deps.store.findDevice(parsed.deviceId);
    if (!found || !sameDigest(found.device.tokenHash, parsed.secretHash)) return fail('unknown token');
    if (found.device.revokedAt !== null) return fail('revoked device', found.team.id);
    if (found.member.status !== 'active') return fail('removed member', found.team.id);
    const wait = deps.limiter.take(`dev:${found.device.id}`);
    if (wait > 0) {
      await deps.store.audit({
        action: 'ratelimit',
        outcome: 'denied',
        teamId: found.team.id,
        actor: found.member.id,
        ip: peerAddress(c),
      });
      throw new RateLimitedError(wait);
    }
    const lastUsed = found.device.lastUsedAt ? Date.parse(found.device.lastUsedAt) : 0;
    if (deps.now() - lastUsed > 5 * 60_000) deps.touch(found.device.id);
    c.set('actor', {
      teamId: found.team.id,
      memberId: found.member.id,
      memberName: found.member.displayName,
      role: found.member.role,
      deviceId: found.device.id,
    });
    c.set('head', found.head);
    await next();
  });
}

/** Refuse callers whose role is not in `roles` (403, audited). */
export function requireRole(store: Store, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const actor = c.get('actor');
    if (!roles.includes(actor.role)) {
      await store.audit({
        action: 'authz',
        outcome: 'denied',
        teamId: actor.teamId,
        actor: actor.memberId,
        detail: `${c.req.method} ${c.req.routePath} needs ${roles.join('|')}`,
        ip: peerAddress(c),
      });
      throw new AppError('forbidden', `This needs the ${roles.join(' or ')} role`);
    }
    await next();
  });
}
