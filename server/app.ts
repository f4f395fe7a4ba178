// The Hono app, built from its dependencies so tests drive it through app.request().
// One sub-app per resource under /v1; one error funnel; limits and secure headers for all routes.
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { matchedRoutes } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import { MAX_SMALL_BODY_BYTES } from '../shared/protocol';
import { limitBody } from './body-limit';
import { clientAddress, trustedProxies } from './client-address';
import {
  type AppEnv,
  errorBody,
  handleError,
  protocolVersion,
  type RouteDeps,
  requireAuth,
  socketAddress,
} from './http';
import type { Metrics } from './metrics';
import { createOidcClient } from './oidc';
import type { OidcSettings } from './oidc-config';
import { openApiDocument } from './openapi';
import { type RateLimit, RateLimiter } from './rate-limit';
import { frameworkRoutes } from './routes/frameworks';
import { clipRoutes, logRoutes } from './routes/history';
import { inviteRoutes } from './routes/invites';
import { joinRoutes } from './routes/join';
import { meRoutes } from './routes/me';
import { deviceRoutes, memberRoutes } from './routes/members';
import { oidcRoutes } from './routes/oidc';
import { submissionRoutes } from './routes/submissions';
import { pullRoutes, pushRoutes } from './routes/sync';
import { waitRoutes } from './routes/wait';
import type { Store } from './store/store';
import { DEFAULT_MAX_WAITS_PER_TOKEN, waitCap } from './wait-cap';
import { createWaitHub } from './wait-hub';

export interface Limits {
  /** Per device token. */
  requests: RateLimit;
  /** Per socket address, after failed authentication. */
  authFailures: RateLimit;
  /** Per client address (IPv6 per /64), invite redemption. */
  joins: RateLimit;
  /** All invite redemptions of the process together. */
  joinsGlobal: RateLimit;
  /** Per device token, pushed mutations (one request may carry MAX_BATCH, 500). */
  items: RateLimit;
}

export const DEFAULT_LIMITS: Limits = {
  requests: { perMinute: 120, burst: 30 },
  authFailures: { perMinute: 10, burst: 10 },
  joins: { perMinute: 10, burst: 10 },
  joinsGlobal: { perMinute: 60, burst: 30 },
  items: { perMinute: 6_000, burst: 2_000 },
};

export interface AppDeps {
  store: Store;
  /** Clock (epoch ms); tests pass a fake one. */
  now?: () => number;
  limits?: Partial<Limits>;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (TRUST_PROXY). */
  trustProxy?: string;
  /** Concurrent long-polls per device token (default 4). */
  maxWaitsPerToken?: number;
  /** Structured log sink (one JSON object per event); never receives tokens or clip text. */
  log?: (entry: Record<string, unknown>) => void;
  /** How often /v1/wait's safety net re-reads the counters of teams with waiters (wait-hub.ts). */
  waitSafetyNetMs?: number;
  /** Sign-in with the organisation's identity provider (OIDC_*); off when undefined. */
  oidc?: OidcSettings;
  /** Request, push and error counters (METRICS=1); none kept when undefined. */
  metrics?: Metrics;
}

/** The matched route pattern of a request (a bounded label set), or `unmatched`. */
function routeLabel(c: Parameters<typeof matchedRoutes>[0]): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i]?.method !== 'ALL') return routes[i]?.path ?? '';
  return 'unmatched';
}

export function createApp(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const baseLog = deps.log ?? ((e) => console.log(JSON.stringify(e)));
  const { metrics } = deps;
  const log = (e: Record<string, unknown>) => {
    if (e.level === 'error') metrics?.error();
    baseLog(e);
  };
  // last_used_at is bookkeeping: batch it (one UPDATE every 30 s) instead of a durable write per request.
  const touched = new Set<string>();
  const flushTouches = async () => {
    if (touched.size === 0) return;
    const ids = [...touched];
    touched.clear();
    await deps.store.touchDevices(ids).catch((e: unknown) =>
      log({
        level: 'error',
        msg: 'touchDevices failed',
        error: e instanceof Error ? e.message : String(e),
      }),
    );
  };
  setInterval(() => void flushTouches(), 30_000).unref();
  const routeDeps: RouteDeps = {
    store: deps.store,
    now,
    limiter: new RateLimiter(limits.requests, now),
    authFailLimiter: new RateLimiter(limits.authFailures, now),
    joinLimiter: new RateLimiter(limits.joins, now),
    joinGlobalLimiter: new RateLimiter(limits.joinsGlobal, now),
    itemLimiter: new RateLimiter(limits.items, now),
    touch: (id) => {
      touched.add(id);
    },
    metrics,
  };

  const trusted = trustedProxies(deps.trustProxy);
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(async (c, next) => {
    c.set('clientIp', clientAddress(socketAddress(c), c.req.header('x-forwarded-for'), trusted));
    await next();
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      strictTransportSecurity: 'max-age=15552000; includeSubDomains',
    }),
  );
  app.use(async (c, next) => {
    const started = performance.now();
    c.header('Cache-Control', 'no-store');
    const encoding = c.req.header('content-encoding');
    if (encoding && encoding.toLowerCase() !== 'identity')
      return c.json(errorBody('bad_request', 'Compressed request bodies are not accepted'), 415);
    await next();
    metrics?.request(c.req.method, routeLabel(c), c.res.status, (performance.now() - started) / 1000);
    if (c.res.status >= 400 || c.req.path !== '/healthz')
      log({
        level: c.res.status >= 500 ? 'error' : 'info',
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
  });
  // A global cap; push and framework uploads raise it on their own routes.
  const smallBody = limitBody(
    MAX_SMALL_BODY_BYTES,
    `Request bodies may not exceed ${MAX_SMALL_BODY_BYTES} bytes`,
  );
  app.use(async (c, next) => {
    const big =
      c.req.path === '/v1/push' ||
      c.req.path === '/v1/submissions' ||
      c.req.path.startsWith('/v1/frameworks/');
    return big ? next() : smallBody(c, next);
  });

  app.get('/healthz', async (c) => {
    await deps.store.ping();
    return c.json({ status: 'ok', store: deps.store.dialect });
  });
  app.get('/openapi.json', (c) => c.json(openApiDocument()));

  // Browser pages (no protocol header): sign-in with the organisation's identity provider.
  const oidc = deps.oidc ? createOidcClient(deps.oidc, now) : undefined;
  app.route('/oidc', oidcRoutes({ ...routeDeps, oidc }));
  app.use('/v1/*', protocolVersion);
  app.route('/v1/join', joinRoutes(routeDeps));
  const auth = requireAuth(routeDeps);
  for (const prefix of [
    '/v1/me',
    '/v1/push',
    '/v1/pull',
    '/v1/wait',
    '/v1/frameworks',
    '/v1/submissions',
    '/v1/members',
    '/v1/devices',
    '/v1/invites',
    '/v1/clips',
    '/v1/log',
  ])
    app.use(`${prefix}/*`, auth); // also matches the bare prefix
  app.route('/v1/me', meRoutes(routeDeps));
  // Long-polls (/v1/wait) wait in one hub per process, woken by the store's change feed.
  const waits = createWaitHub({ store: deps.store, safetyNetMs: deps.waitSafetyNetMs, log });
  app.route('/v1/push', pushRoutes(routeDeps));
  app.route('/v1/pull', pullRoutes(routeDeps));
  app.use('/v1/wait', waitCap(deps.maxWaitsPerToken ?? DEFAULT_MAX_WAITS_PER_TOKEN));
  app.route('/v1/wait', waitRoutes({ ...routeDeps, waits }));
  app.route('/v1/frameworks', frameworkRoutes(routeDeps));
  app.route('/v1/submissions', submissionRoutes(routeDeps));
  app.route('/v1/members', memberRoutes(routeDeps));
  app.route('/v1/devices', deviceRoutes(routeDeps));
  app.route('/v1/invites', inviteRoutes(routeDeps));
  app.route('/v1/clips', clipRoutes(routeDeps));
  app.route('/v1/log', logRoutes(routeDeps));

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((e, c) => handleError(e, c, log));
  /** Shutdown: answers every open long-poll `changed: false` so its connection can close. */
  const closeWaits = () => waits.close();
  /** The metrics exposition (empty counters when METRICS is off), with the waiter gauges read now. */
  const renderMetrics = () => {
    const s = waits.stats();
    return metrics?.render({ waiters: s.waiters, waitingTeams: s.teams }) ?? '';
  };
  return Object.assign(app, { flushTouches, closeWaits, waitStats: () => waits.stats(), renderMetrics });
}

export type App = ReturnType<typeof createApp>;
