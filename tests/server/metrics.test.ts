// Prometheus metrics: off by default (no /metrics anywhere), and with METRICS=1 a well-formed
// exposition on a separate listener that only loopback clients reach.
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { isLoopback } from '../../server/client-address';
import { createMetrics, createMetricsServer } from '../../server/metrics';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { freePort, type ServerProcess, startServer } from '../sync/server-process';
import { call, createTeam, makeClip, openTestStore } from './helpers';

/** A non-loopback IPv4 address of this machine, if it has one. */
const external = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** Checks the text exposition format line by line; @returns samples by name and labels. */
function parseExposition(text: string): Map<string, number> {
  expect(text.endsWith('\n')).toBe(true);
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ')) continue;
    const type = /^# TYPE ([a-z_:][a-z0-9_:]*) (counter|gauge|histogram)$/.exec(line);
    if (type?.[1]) {
      typed.add(type[1]);
      continue;
    }
    const m = /^([a-z_:][a-z0-9_:]*)(\{(?:[a-z_]+="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+]+|\+Inf)$/.exec(
      line,
    );
    expect(m, `malformed line: ${line}`).not.toBeNull();
    const name = m?.[1] ?? '';
    expect(
      [...typed].some((t) => name === t || name.startsWith(`${t}_`)),
      `untyped ${name}`,
    ).toBe(true);
    samples.set(`${name}${m?.[2] ?? ''}`, Number(m?.[3]));
  }
  return samples;
}

describe('metrics', () => {
  it('are off by default: /metrics is 404 on the app and nothing is rendered', async () => {
    const store = await openTestStore('sqlite');
    const app = createApp({ store, log: () => {} });
    const res = await app.request('/metrics');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(app.renderMetrics()).toBe('');
  });

  it('count requests by route pattern and status, latency, push batches and mutations, errors', async () => {
    const store = await openTestStore('sqlite');
    const metrics = createMetrics();
    const app = createApp({ store, log: () => {}, metrics });
    const { admin } = await createTeam(store, app);
    const push = await call(app, 'POST', '/v1/push', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'c-metrics-1',
      mutations: [1, 2, 3].map((i) => ({ mutationId: i, kind: 'clip', op: 'upsert', record: makeClip() })),
    });
    expect(push.status).toBe(200);
    expect((await call(app, 'DELETE', '/v1/members/not-a-uuid', admin.token)).status).toBe(404);
    await app.request('/no/such/path');
    // The main app never serves metrics, even when they are on.
    expect((await app.request('/metrics')).status).toBe(404);
    const s = parseExposition(app.renderMetrics());
    expect(s.get('qsi_http_requests_total{method="POST",route="/v1/join",status="201"}')).toBe(1);
    expect(s.get('qsi_http_requests_total{method="POST",route="/v1/push",status="200"}')).toBe(1);
    expect(s.get('qsi_http_requests_total{method="DELETE",route="/v1/members/:id",status="404"}')).toBe(1);
    expect([...s.keys()].some((k) => k.includes('not-a-uuid') || k.includes('/no/such'))).toBe(false);
    expect(s.get('qsi_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(2);
    expect(s.get('qsi_push_batches_total')).toBe(1);
    expect(s.get('qsi_push_mutations_total')).toBe(3);
    expect(s.get('qsi_wait_waiters')).toBe(0);
    expect(s.get('qsi_errors_total')).toBe(0);
    // Histogram buckets are cumulative and end at the count.
    const buckets = [...s].filter(([k]) =>
      k.startsWith('qsi_http_request_duration_seconds_bucket{route="/v1/push"'),
    );
    expect(buckets.length).toBe(13);
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]?.[1]).toBeGreaterThanOrEqual(buckets[i - 1]?.[1] ?? 0);
    expect(buckets.at(-1)?.[1]).toBe(s.get('qsi_http_request_duration_seconds_count{route="/v1/push"}'));
  });

  it('count errors logged by the app (a failing store answers 500)', async () => {
    const store = await openTestStore('sqlite');
    const metrics = createMetrics();
    const app = createApp({ store, log: () => {}, metrics });
    await store.close();
    expect((await app.request('/healthz')).status).toBe(500);
    const s = parseExposition(app.renderMetrics());
    expect(s.get('qsi_errors_total')).toBeGreaterThanOrEqual(1);
    expect(s.get('qsi_http_requests_total{method="GET",route="/healthz",status="500"}')).toBe(1);
  });

  it('tell loopback addresses from others', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['192.0.2.2', '::ffff:10.0.0.1', '2001:db8::1', '', 'local'])
      expect(isLoopback(a)).toBe(false);
  });

  it.runIf(external)('the metrics listener refuses a client that is not on loopback (403)', async () => {
    const server = createMetricsServer(() => 'x 1\n');
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const local = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(local.status).toBe(200);
      expect(local.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const remote = await fetch(`http://${external}:${port}/metrics`);
      expect(remote.status).toBe(403);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  describe('in the server process', () => {
    let proc: ServerProcess | undefined;
    afterAll(() => proc?.kill());

    it('serve /metrics on 127.0.0.1:METRICS_PORT only, not on the main port', async () => {
      const metricsPort = await freePort();
      proc = await startServer({ METRICS: '1', METRICS_PORT: String(metricsPort), HOST: '0.0.0.0' });
      const main = proc.url;
      expect((await fetch(`${main}/healthz`)).status).toBe(200);
      expect((await fetch(`${main}/metrics`)).status).toBe(404);
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(res.status).toBe(200);
      const s = parseExposition(await res.text());
      expect(s.get('qsi_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
      if (external) await expect(fetch(`http://${external}:${metricsPort}/metrics`)).rejects.toThrow();
    });
  });
});
