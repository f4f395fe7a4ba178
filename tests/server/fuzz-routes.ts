// The routes the endpoint fuzzer drives, shared with the route-coverage test that fails when the
// app gains a route that is neither fuzzed nor documented.

/** `[method, path]`; `:member`, `:other`, `:device` and `:random` are filled in by the fuzzer. */
export const FUZZ_ROUTES: readonly (readonly [string, string])[] = [
  ['POST', '/v1/push'],
  ['POST', '/v1/pull'],
  ['POST', '/v1/wait'],
  ['POST', '/v1/join'],
  ['GET', '/v1/me'],
  ['DELETE', '/v1/me'],
  ['GET', '/v1/frameworks'],
  ['GET', '/v1/frameworks/demo'],
  ['PUT', '/v1/frameworks/demo'],
  ['DELETE', '/v1/frameworks/demo'],
  ['POST', '/v1/submissions'],
  ['DELETE', '/v1/submissions/:random'],
  ['GET', '/v1/members'],
  ['PATCH', '/v1/members/:member'],
  ['DELETE', '/v1/members/:other'],
  ['DELETE', '/v1/devices/:device'],
  ['GET', '/v1/invites'],
  ['POST', '/v1/invites'],
  ['DELETE', '/v1/invites/:random'],
  ['GET', '/v1/clips/:random/history'],
  ['GET', '/v1/log/head'],
  ['GET', '/healthz'],
  ['GET', '/oidc/start'],
  ['GET', '/oidc/callback'],
  ['GET', '/openapi.json'],
  ['POST', '/v1/unknown'],
];

/** A route pattern (`/v1/members/:id`) matches a fuzzed path (`/v1/members/:member`, `/v1/frameworks/demo`). */
export function fuzzes(method: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/:[^/]+/g, '[^/]+')}$`);
  return FUZZ_ROUTES.some(([m, p]) => m === method && re.test(p));
}
