// Prometheus metrics of one server process, in the text exposition format (version 0.0.4), written
// by hand: a few counters, one histogram and two gauges need no library. Served only when
// METRICS=1, and then on its own listener bound to 127.0.0.1 (main.ts; docs/operations.md).
import { createServer, type Server } from 'node:http';
import { isLoopback } from './client-address';

/** Request latency buckets (seconds): fast API calls up to long-polls of /v1/wait (25 s). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export interface Metrics {
  /** One finished request: `route` is the matched route pattern (never the raw path). */
  request(method: string, route: string, status: number, seconds: number): void;
  /** One push batch with `mutations` mutations was applied. */
  push(mutations: number): void;
  /** Something was logged at level error. */
  error(): void;
  /** The exposition text; `gauges` are read at scrape time. */
  render(gauges: { waiters: number; waitingTeams: number }): string;
}

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createMetrics(): Metrics {
  const requests = new Map<string, number>();
  const latency = new Map<string, Histogram>();
  let batches = 0;
  let mutations = 0;
  let errors = 0;
  return {
    request(method, route, status, seconds) {
      const key = `method="${label(method)}",route="${label(route)}",status="${status}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const rkey = `route="${label(route)}"`;
      let h = latency.get(rkey);
      if (!h) {
        h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
        latency.set(rkey, h);
      }
      for (let i = 0; i < BUCKETS.length; i++)
        if (seconds <= (BUCKETS[i] ?? 0)) h.counts[i] = (h.counts[i] ?? 0) + 1;
      h.sum += seconds;
      h.count++;
    },
    push(n) {
      batches++;
      mutations += n;
    },
    error() {
      errors++;
    },
    render(gauges) {
      const out: string[] = [];
      const head = (name: string, type: string, help: string) =>
        out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      head('qsi_http_requests_total', 'counter', 'HTTP requests by method, route and status.');
      for (const [k, v] of requests) out.push(`qsi_http_requests_total{${k}} ${v}`);
      head('qsi_http_request_duration_seconds', 'histogram', 'HTTP request latency by route.');
      for (const [k, h] of latency) {
        for (const [i, b] of BUCKETS.entries())
          out.push(`qsi_http_request_duration_seconds_bucket{${k},le="${b}"} ${h.counts[i]}`);
        out.push(`qsi_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
        out.push(`qsi_http_request_duration_seconds_sum{${k}} ${h.sum}`);
        out.push(`qsi_http_request_duration_seconds_count{${k}} ${h.count}`);
      }
      head('qsi_wait_waiters', 'gauge', 'Long-polls (/v1/wait) waiting now.');
      out.push(`qsi_wait_waiters ${gauges.waiters}`);
      head('qsi_wait_teams', 'gauge', 'Teams with at least one waiting long-poll.');
      out.push(`qsi_wait_teams ${gauges.waitingTeams}`);
      head('qsi_push_batches_total', 'counter', 'Push batches applied.');
      out.push(`qsi_push_batches_total ${batches}`);
      head('qsi_push_mutations_total', 'counter', 'Mutations in applied push batches.');
      out.push(`qsi_push_mutations_total ${mutations}`);
      head('qsi_errors_total', 'counter', 'Events logged at level error (unexpected failures, 5xx).');
      out.push(`qsi_errors_total ${errors}`);
      return `${out.join('\n')}\n`;
    },
  };
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The metrics listener: GET /metrics only, loopback clients only (it is bound to 127.0.0.1, and a
 * request arriving from elsewhere through some forwarding is refused too).
 */
export function createMetricsServer(render: () => string): Server {
  return createServer((req, res) => {
    if (!isLoopback(req.socket.remoteAddress ?? '')) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: 'forbidden', message: 'Metrics are served to loopback clients only' },
        }),
      );
      return;
    }
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'Only GET /metrics is served here' } }));
      return;
    }
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
    res.end(render());
  });
}
