// Entry point: env → store (migrated) → app → listen. Nothing else lives here.
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createApp, DEFAULT_LIMITS } from './app';
import { readEnv } from './env';
import { scheduleMaintenance } from './maintenance';
import { createMetrics, createMetricsServer } from './metrics';
import { oidcSettings } from './oidc-config';
import { openStore } from './store/open';

const env = readEnv();
const store = await openStore(env);
const log = (e: Record<string, unknown>) => {
  if (env.LOG_LEVEL === 'info' || e.level === 'error')
    console.log(JSON.stringify({ ts: new Date().toISOString(), ...e }));
};
const app = createApp({
  store,
  limits: {
    requests: {
      perMinute: env.RATE_LIMIT_PER_MINUTE ?? DEFAULT_LIMITS.requests.perMinute,
      burst: env.RATE_LIMIT_BURST ?? DEFAULT_LIMITS.requests.burst,
    },
    items: {
      perMinute: env.RATE_LIMIT_ITEMS_PER_MINUTE ?? DEFAULT_LIMITS.items.perMinute,
      burst: Math.max(DEFAULT_LIMITS.items.burst, env.RATE_LIMIT_ITEMS_PER_MINUTE ?? 0),
    },
  },
  log,
  trustProxy: env.TRUST_PROXY,
  maxWaitsPerToken: env.MAX_WAITS_PER_TOKEN,
  waitSafetyNetMs: env.WAIT_SAFETY_NET_MS,
  oidc: oidcSettings(env),
  metrics: env.METRICS === '1' ? createMetrics() : undefined,
});
// Metrics are for the monitoring agent on this machine: their own listener, on loopback only.
const metricsServer = env.METRICS === '1' ? createMetricsServer(app.renderMetrics) : undefined;
metricsServer?.on('error', (e) => log({ level: 'error', msg: 'metrics listener failed', error: e.message }));
const metricsPort = env.METRICS_PORT ?? (env.PORT > 0 && env.PORT <= 64_535 ? env.PORT + 1000 : 0);
metricsServer?.listen({ host: '127.0.0.1', port: metricsPort }, () => {
  const info = metricsServer.address() as AddressInfo;
  console.log(`Metrics on http://127.0.0.1:${info.port}/metrics`);
});
const stopMaintenance = scheduleMaintenance(store, log);
const server = createAdaptorServer({ fetch: app.fetch });
// Devices reconnect together after a restart: a deeper accept queue than Node's default 511
// (the kernel caps it at net.core.somaxconn; docs/server.md, "Operations: many devices").
server.listen({ host: env.HOST, port: env.PORT, backlog: 4096 }, () => {
  const info = server.address() as AddressInfo;
  console.log(
    `QSI Evidence Clipper server listening on http://${info.address}:${info.port} (${store.dialect})`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopMaintenance();
    // Open long-polls answer now (changed:false), then their connections close with the server
    // (idle keep-alive ones at once; 5 s at most for the rest).
    app.closeWaits();
    metricsServer?.close();
    const closed = new Promise<void>((resolve) => {
      server.close(() => resolve());
      setTimeout(resolve, 5_000).unref();
    });
    setImmediate(() => 'closeIdleConnections' in server && server.closeIdleConnections());
    void closed
      .then(() => app.flushTouches())
      .then(() => store.close())
      .finally(() => process.exit(0));
  });
}
