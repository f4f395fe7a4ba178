// A cap on concurrent long-polls per device token: each open /v1/wait holds a connection for up
// to 25 s, so one token opening hundreds would hold the server's sockets. One browser profile
// needs one; a few more cover a reconnect overlapping the old poll.
import { createMiddleware } from 'hono/factory';
import { type AppEnv, RateLimitedError } from './http';

export const DEFAULT_MAX_WAITS_PER_TOKEN = 4;

/** Refuse (429, Retry-After) a long-poll beyond `max` open ones of the same device token. */
export function waitCap(max: number) {
  const open = new Map<string, number>();
  return createMiddleware<AppEnv>(async (c, next) => {
    const device = c.get('actor').deviceId;
    const n = open.get(device) ?? 0;
    if (n >= max) throw new RateLimitedError(1);
    open.set(device, n + 1);
    try {
      await next();
    } finally {
      const left = (open.get(device) ?? 1) - 1;
      if (left > 0) open.set(device, left);
      else open.delete(device);
    }
  });
}
