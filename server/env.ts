// The only place that reads process.env: parsed once with zod, exits with a clear message on error.
import { z } from 'zod';
import { checkOidcEnv, oidcEnvShape } from './oidc-config';

export const envSchema = z
  .object({
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
    DATA_DIR: z.string().default('./data'),
    DATABASE_URL: z.string().optional(),
    /** Per-token sustained requests per minute and burst (defaults in app.ts). */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().optional(),
    RATE_LIMIT_BURST: z.coerce.number().int().positive().optional(),
    /** Per-token pushed mutations per minute (burst 2 000). */
    RATE_LIMIT_ITEMS_PER_MINUTE: z.coerce.number().int().positive().optional(),
    /**
     * Comma-separated addresses of the reverse proxies in front of the server (e.g. 127.0.0.1): from
     * these peers X-Forwarded-For names the client, for rate limits and the audit log. Unset: none.
     */
    TRUST_PROXY: z.string().optional(),
    /** Per-team storage quota in MiB of stored record JSON (default 2048). */
    TEAM_QUOTA_MB: z.coerce.number().int().positive().optional(),
    /** Concurrent long-polls (/v1/wait) per device token (default 4). */
    MAX_WAITS_PER_TOKEN: z.coerce.number().int().positive().optional(),
    /** /v1/wait's safety net: how often the counters of teams with waiters are re-read (ms). */
    WAIT_SAFETY_NET_MS: z.coerce.number().int().min(100).max(600_000).optional(),
    /** `quiet` logs errors only. */
    LOG_LEVEL: z.enum(['info', 'quiet']).default('info'),
    /** `1`: serve Prometheus metrics on 127.0.0.1:METRICS_PORT (never on the main port). */
    METRICS: z.enum(['0', '1']).default('0'),
    METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
    ...oidcEnvShape,
  })
  .superRefine(checkOidcEnv);
export type Env = z.infer<typeof envSchema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`Invalid ${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  return parsed.data;
}
