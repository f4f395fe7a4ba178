// Long-poll fan-out at scale: 10 000 devices in 500 teams each hold POST /v1/wait on one real
// server process (devices made through the store, so no join limit applies; client sockets spread
// over several loopback addresses). Figures: memory per idle waiter; CPU share of the server while
// nothing happens, against the floor of answering the same request rate as no-change pulls; wake
// p50/p99 after a push in the same process and, on PostgreSQL, on a second process — against the
// push's own round trip. `npm run bench -- server-wait` (or `server`, which runs both server benches).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openPostgresStore } from '../server/store/postgres';
import type { SqlStore } from '../server/store/sql-store';
import { openSqliteStore } from '../server/store/sqlite';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type PushResponse } from '../shared/protocol';
import { type ServerProcess, startServer } from '../tests/sync/server-process';
import { withBenchPostgres } from './pg';
import { type BenchResult, percentile } from './result';
import { assertAllApplied, clip, tokensFor } from './server.bench';

const TEAMS = Number(process.env.BENCH_WAIT_TEAMS ?? 500);
/** Waiting devices per team; each team has one more device that pushes. */
const PER_TEAM = 20;
/** The extension's wait timeout: one full cycle of re-waits. */
const WAIT_MS = 20_000;
const IDLE_WINDOW_MS = 20_000;
const FLOOR_WINDOW_MS = 10_000;
const WAKES = 100;
/** Client sockets are bound round-robin to these source addresses (Linux routes all of 127/8). */
const ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU time (user + system) of a process, ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Resident set size of a process, bytes. */
function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** CPU share (0–100 % of one core) of `pid` over `ms`, and what `during` returns. */
async function cpuShare<T>(pid: number, ms: number, during: () => T): Promise<{ pct: number; out: T }> {
  const c0 = cpuMs(pid);
  const t0 = performance.now();
  await sleep(ms);
  const out = during();
  return { pct: ((cpuMs(pid) - c0) / (performance.now() - t0)) * 100, out };
}

class Client {
  /** Shared pools (round robin over the source addresses) for requests answered at once. */
  agents = ADDRESSES.map(
    (localAddress) => new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, localAddress }),
  );
  /** One connection per waiting device, as each browser holds its own. */
  private devices = new Map<number, http.Agent>();
  private next = 0;
  private closed = false;

  /** The agent of device `n`: one kept-alive socket, from source address n mod 4. */
  device(n: number): http.Agent {
    let agent = this.devices.get(n);
    if (!agent) {
      agent = new http.Agent({
        keepAlive: true,
        maxSockets: 1,
        localAddress: ADDRESSES[n % ADDRESSES.length],
      });
      this.devices.set(n, agent);
    }
    return agent;
  }

  /** Requests retried because a kept-alive socket was closed under them. */
  retried = 0;

  /**
   * POST JSON; resolves with the parsed body of a 200, rejects otherwise. `agent`: a device's own
   * (else a shared pool). A request on a reused keep-alive socket that the server closed
   * meanwhile is sent again, as browsers do.
   */
  post(
    port: number,
    p: string,
    token: string,
    body: unknown,
    agent = this.agents[this.next++ % this.agents.length],
    retries = 2,
  ): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error('client closed'));
    const data = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          path: p,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(data),
            [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
            authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode === 200) resolve(JSON.parse(text) as Record<string, unknown>);
            else reject(new Error(`${p}: ${res.statusCode} ${text}`));
          });
          res.on('error', reject);
        },
      );
      req.on('error', (e: NodeJS.ErrnoException & { reused?: boolean }) => {
        e.reused = req.reusedSocket;
        if (
          !this.closed &&
          retries > 0 &&
          req.reusedSocket &&
          (e.code === 'ECONNRESET' || e.message === 'socket hang up')
        ) {
          this.retried++;
          resolve(this.post(port, p, token, body, agent, retries - 1));
        } else reject(e);
      });
      req.end(data);
    });
  }

  close() {
    this.closed = true;
    for (const a of [...this.agents, ...this.devices.values()]) a.destroy();
  }
}

interface Team {
  id: string;
  pusher: string;
  waiters: string[];
  seq: number;
  mutationId: number;
}

async function makeTeams(store: SqlStore): Promise<Team[]> {
  if (store.dialect === 'sqlite') await sql`pragma synchronous = off`.execute(store.db); // setup only
  const teams: Team[] = [];
  for (let t = 0; t < TEAMS; t += 25) {
    // A few teams at a time: PostgreSQL setup is round-trip bound.
    const made = await Promise.all(
      Array.from({ length: Math.min(25, TEAMS - t) }, async (_, k) => {
        const team = await store.createTeam(`wait-bench-${t + k}`);
        const [pusher, ...waiters] = await tokensFor(store, team.id, PER_TEAM + 1);
        return { id: team.id, pusher: pusher ?? '', waiters, seq: 0, mutationId: 0 };
      }),
    );
    teams.push(...made);
  }
  return teams;
}

/** What the waiting clients observed. */
interface WaitState {
  stopped: boolean;
  inFlight: number;
  answers: number;
  errors: number;
  /** The first few distinct failures, for the report. */
  errorSamples: Set<string>;
  /** Per team, the push being timed: its seq, when it was sent, and the wake latencies seen. */
  pending: Map<number, { seq: number; sentAt: number; wakes: number[]; woken: Set<number> }>;
  /** Per device: its team, the cursor of its current wait and when that wait was sent. */
  devices: Map<number, { ti: number; cursor: string; sentAt: number }>;
  /** Wakes still missing 5 s after their push, described (a few). */
  missed: string[];
}

/** Every waiting device loops on /v1/wait; the first timeouts are spread over 1–20 s so the
 *  re-waits arrive evenly, as they do from devices that started at different moments. */
function startWaiters(
  client: Client,
  port: number,
  teams: Team[],
  state: WaitState,
  from: number,
  to: number,
) {
  const loops: Promise<void>[] = [];
  const start = async (ti: number, token: string, device: number) => {
    const agent = client.device(device);
    let cursor = String(teams[ti]?.seq ?? 0);
    let timeoutMs = 1_000 + Math.floor(Math.random() * (WAIT_MS - 1_000));
    while (!state.stopped) {
      state.inFlight++;
      state.devices.set(device, { ti, cursor, sentAt: performance.now() });
      try {
        const r = await client.post(
          port,
          '/v1/wait',
          token,
          { protocolVersion: PROTOCOL_VERSION, cursor, timeoutMs },
          agent,
        );
        state.answers++;
        timeoutMs = WAIT_MS;
        const p = state.pending.get(ti);
        if (r.changed && p && Number(r.cursor) >= p.seq && !p.woken.has(device)) {
          p.woken.add(device);
          p.wakes.push(performance.now() - p.sentAt);
        }
        cursor = String(r.cursor);
      } catch (e) {
        if (!state.stopped) {
          state.errors++;
          if (state.errorSamples.size < 5)
            state.errorSamples.add(
              `${String(e)} (reused socket: ${String((e as { reused?: boolean }).reused)})`,
            );
          await sleep(1_000);
        }
      } finally {
        state.inFlight--;
      }
    }
  };
  return (async () => {
    // Ramp up 250 connections at a time, 2 500 a second (the listen backlog is 511).
    const all = teams.flatMap((t, ti) => t.waiters.map((token) => [ti, token] as const)).slice(from, to);
    for (let i = 0; i < all.length; i += 250) {
      all.slice(i, i + 250).forEach(([ti, token], k) => {
        loops.push(start(ti, token, from + i + k));
      });
      await sleep(100);
    }
    return () => Promise.all(loops);
  })();
}

/** `WAKES` pushes, one at a time, each to a random team: the wake latency of its 20 waiters. */
async function wakes(client: Client, pushPort: number, teams: Team[], state: WaitState) {
  const wake: number[] = [];
  const rtt: number[] = [];
  for (let i = 0; i < WAKES; i++) {
    const ti = Math.floor(Math.random() * teams.length);
    const team = teams[ti] as Team;
    team.seq += 1;
    team.mutationId += 1;
    const p = { seq: team.seq, sentAt: performance.now(), wakes: [] as number[], woken: new Set<number>() };
    state.pending.set(ti, p);
    const pushed = await client.post(pushPort, '/v1/push', team.pusher, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: `wait-bench-${ti}`,
      mutations: [{ mutationId: team.mutationId, type: 'clip.create', clip: clip(i) }],
    });
    // A refused push advances nothing and wakes nobody: that would be measured as missed wakes.
    assertAllApplied((pushed as unknown as PushResponse).results, 1);
    rtt.push(performance.now() - p.sentAt);
    const deadline = performance.now() + 5_000;
    while (p.wakes.length < PER_TEAM && performance.now() < deadline) await sleep(5);
    state.pending.delete(ti);
    if (p.wakes.length < PER_TEAM && state.missed.length < 5)
      for (const [n, d] of state.devices)
        if (d.ti === ti && !p.woken.has(n) && state.missed.length < 5)
          state.missed.push(
            `team ${ti} seq ${p.seq}: device ${n} waits from cursor ${d.cursor}, sent ${Math.round(d.sentAt - p.sentAt)} ms after the push`,
          );
    wake.push(...p.wakes, ...Array(PER_TEAM - p.wakes.length).fill(Number.POSITIVE_INFINITY));
    await sleep(50);
  }
  return { wake, rtt };
}

/** No-change pulls at `rate` per second for FLOOR_WINDOW_MS: the CPU of answering that many
 *  authenticated requests at once, the floor of what the re-waits cost. */
async function pullFloor(port: number, pid: number, teams: Team[], rate: number) {
  const client = new Client();
  let stop = false;
  let sent = 0;
  const inFlight = new Set<Promise<unknown>>();
  const driver = (async () => {
    const t0 = performance.now();
    while (!stop) {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      for (; sent < due; sent++) {
        const team = teams[sent % teams.length] as Team;
        const token = team.waiters[Math.floor(sent / teams.length) % PER_TEAM] as string;
        const req = client
          .post(port, '/v1/pull', token, { protocolVersion: PROTOCOL_VERSION, cursor: String(team.seq) })
          .catch(() => undefined);
        inFlight.add(req);
        void req.finally(() => inFlight.delete(req));
      }
      await sleep(5);
    }
  })();
  await sleep(1_000); // warm-up, unmeasured
  const before = sent;
  const { pct, out } = await cpuShare(pid, FLOOR_WINDOW_MS, () => sent - before);
  stop = true;
  await driver;
  await Promise.all(inFlight);
  client.close();
  return { pct, rate: out / (FLOOR_WINDOW_MS / 1000) };
}

async function runBackend(
  kind: 'sqlite' | 'postgres',
  url: string | undefined,
  emit: (r: BenchResult) => void,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-wait-bench-'));
  const name = (s: string) => `server.${kind}.wait10k.${s}`;
  const setupStarted = performance.now();
  const store =
    kind === 'sqlite'
      ? await openSqliteStore({ file: path.join(dir, 'clipper.sqlite') })
      : await openPostgresStore({ url: url ?? '' });
  const teams = await makeTeams(store);
  await store.close();
  console.error(
    `[bench] ${kind}: load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores; ${TEAMS} teams, ${TEAMS * (PER_TEAM + 1)} devices made in ${Math.round(performance.now() - setupStarted)} ms`,
  );

  const env: Record<string, string> = kind === 'sqlite' ? { DATA_DIR: dir } : { DATABASE_URL: url ?? '' };
  const servers: ServerProcess[] = [await startServer(env)];
  if (kind === 'postgres') servers.push(await startServer(env));
  const [a, b] = servers as [ServerProcess, ServerProcess | undefined];
  const pid = a.child.pid ?? 0;
  const port = Number(new URL(a.url).port);
  const client = new Client();
  const state: WaitState = {
    stopped: false,
    inFlight: 0,
    answers: 0,
    errors: 0,
    errorSamples: new Set(),
    devices: new Map(),
    missed: [],
    pending: new Map(),
  };
  try {
    // 0. The server with nobody waiting: its resident memory and CPU share (warmed by a few pulls).
    for (const t of teams.slice(0, 50))
      await client.post(port, '/v1/pull', t.pusher, { protocolVersion: PROTOCOL_VERSION, cursor: null });
    await sleep(1_000);
    const rssBefore = rssBytes(pid);
    const empty = await cpuShare(pid, 5_000, () => 0);

    // 1. 10 000 waiters, in two halves: memory per waiter is the slope between them, so the
    //    heap the first requests grow is not charged to the waiters.
    const waiters = TEAMS * PER_TEAM;
    const holding = async (n: number) => {
      const deadline = performance.now() + 30_000;
      while (state.inFlight < n && performance.now() < deadline) await sleep(50);
      await sleep(3_000);
      return rssBytes(pid);
    };
    const firstHalf = await startWaiters(client, port, teams, state, 0, waiters / 2);
    const rssHalf = await holding(waiters / 2);
    const secondHalf = await startWaiters(client, port, teams, state, waiters / 2, waiters);
    const rssWaiting = await holding(waiters);
    const joinLoops = async () => Promise.all([(await firstHalf)(), (await secondHalf)()]);
    emit({
      name: name('waiters_holding'),
      value: state.inFlight,
      unit: 'waits',
      target: `${waiters}`,
    });
    emit({
      name: name('rss_per_waiter.bytes'),
      value: Math.round((rssWaiting - rssHalf) / (waiters / 2)),
      unit: 'B',
    });
    emit({
      name: name('rss_per_waiter_incl_first_growth.bytes'),
      value: Math.round((rssWaiting - rssBefore) / waiters),
      unit: 'B',
    });
    emit({ name: name('rss.mb'), value: Math.round(rssWaiting / 2 ** 20), unit: 'MB' });

    // 2. Nothing happens for one full re-wait cycle.
    const answers0 = state.answers;
    const errors0 = state.errors;
    const progress = setInterval(() => {
      if (process.env.BENCH_VERBOSE)
        console.error(
          `[bench] ${kind}: in flight ${state.inFlight}, answers ${state.answers}, errors ${state.errors}`,
        );
    }, 2_000);
    const idle = await cpuShare(pid, IDLE_WINDOW_MS, () => state.answers - answers0);
    clearInterval(progress);
    emit({ name: name('idle.failed_waits'), value: state.errors - errors0, unit: 'waits', target: '0' });
    const rewaitRate = idle.out / (IDLE_WINDOW_MS / 1000);
    emit({ name: name('idle.rewaits_per_s'), value: Math.round(rewaitRate), unit: 'req/s' });
    emit({ name: name('no_waiters.cpu_share'), value: +empty.pct.toFixed(2), unit: '% of a core' });

    // 3. Wakes: pushes through the same process, then (PostgreSQL) through the second one.
    const local = await wakes(client, port, teams, state);
    emit({
      name: name('wake.same_process.p50.ms'),
      value: +percentile(local.wake, 50).toFixed(1),
      unit: 'ms',
      floor: +percentile(local.rtt, 50).toFixed(1),
    });
    emit({
      name: name('push.same_process.rtt.p99.ms'),
      value: +percentile(local.rtt, 99).toFixed(1),
      unit: 'ms',
    });
    emit({
      name: name('wake.same_process.p99.ms'),
      value: +percentile(local.wake, 99).toFixed(1),
      unit: 'ms',
      floor: +percentile(local.rtt, 50).toFixed(1),
      target: '< 300 ms',
    });
    if (b) {
      const cross = await wakes(client, Number(new URL(b.url).port), teams, state);
      emit({
        name: name('wake.other_process.p50.ms'),
        value: +percentile(cross.wake, 50).toFixed(1),
        unit: 'ms',
        floor: +percentile(cross.rtt, 50).toFixed(1),
      });
      emit({
        name: name('push.other_process.rtt.p99.ms'),
        value: +percentile(cross.rtt, 99).toFixed(1),
        unit: 'ms',
      });
      emit({
        name: name('wake.other_process.p99.ms'),
        value: +percentile(cross.wake, 99).toFixed(1),
        unit: 'ms',
        floor: +percentile(cross.rtt, 50).toFixed(1),
        target: '< 300 ms',
      });
    }
    if (state.missed.length) console.error(`[bench] ${kind}: missed wakes:`, state.missed.join(' | '));
    if (state.errors)
      console.error(`[bench] ${kind}: ${state.errors} failed waits:`, [...state.errorSamples].join(' | '));

    // 4. Everyone hangs up; then the floor: the same request rate as no-change pulls.
    state.stopped = true;
    client.close();
    await joinLoops();
    await sleep(1_000);
    if (client.retried)
      console.error(`[bench] ${kind}: ${client.retried} requests resent after a keep-alive close`);
    const floor = await pullFloor(port, pid, teams, rewaitRate);
    const floorAtRate = (floor.pct / floor.rate) * rewaitRate;
    emit({
      name: name('idle.cpu_share'),
      value: +idle.pct.toFixed(2),
      unit: '% of a core',
      floor: +floorAtRate.toFixed(2),
      target: '<= 1.5x floor (no-change pulls at the same rate)',
    });
  } finally {
    state.stopped = true;
    client.close();
    for (const s of servers) await s.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function bench(emit: (r: BenchResult) => void) {
  // BENCH_BACKENDS=sqlite (or postgres) runs one of them.
  const only = process.env.BENCH_BACKENDS?.split(',');
  if (!only || only.includes('sqlite')) await runBackend('sqlite', undefined, emit);
  if (!only || only.includes('postgres'))
    await withBenchPostgres('wait', (url) => runBackend('postgres', url, emit));
}
