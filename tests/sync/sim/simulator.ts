// Deterministic whole-system sync simulator: several clients (the real engine on
// fake-indexeddb) and the real server code in process over a SQLite file, driven by one seed.
// Faults: dropped requests and responses, duplicates, delayed re-delivery (reordering), server
// restarts, token revocation and re-join. The caller must load fake-indexeddb before dexie.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FetchLike } from '../../../extension/lib/sync/api';
import { syncedClipView } from '../../../extension/lib/sync/pull-page';
import { readTeam } from '../../../extension/lib/sync/state';
import { recountAggregates } from '../../../shared/coverage-aggregate';
import { canonicalJson, normaliseSet } from '../../../shared/merge';
import {
  type Change,
  CLIENT_FEATURES,
  clipScalarFields,
  type Mutation,
  type MutationResult,
  pushRequestSchema,
  pushResponseSchema,
} from '../../../shared/protocol';
import { seededRandom } from '../../../shared/seeded-random';
import { makeSubmission } from '../../server/submission-fixture';
import {
  type Client,
  createInvite,
  LOOPBACK_ENV,
  localAssess,
  localChange,
  localCreate,
  makeClient,
  openServer,
  SERVER_URL,
  type Server,
} from './harness';

export interface SeedResult {
  seed: number;
  ok: boolean;
  failures: string[];
  stats: {
    steps: number;
    submissions: number;
    requests: number;
    faults: number;
    conflicts: number;
    restarts: number;
    revokes: number;
  };
}

/** A server (and its SQLite file) several seeds share; each seed works in its own team. */
export interface SimServer {
  file: string;
  server: Server;
}

/** Opens a shared simulator server on tmpfs when available. */
export async function openSimServer(tag = `${process.pid}`): Promise<SimServer> {
  const file = path.join(SIM_DIR, `qsi-sim-${tag}-${Date.now()}.sqlite`);
  return { file, server: await openServer(file, simClock.now) };
}

export async function closeSimServer(sim: SimServer): Promise<void> {
  await sim.server.store.close();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(sim.file + suffix, { force: true });
}

/** The simulated clock shared by the server and the clients of the running seed. */
const simClock = { value: Date.UTC(2026, 0, 1), now: () => simClock.value };

export interface SimOptions {
  steps?: number;
  /** Share one server between seeds (saves opening and migrating a database per seed). */
  shared?: SimServer;
  /** Print every step (replaying one seed). */
  trace?: boolean;
}

/** tmpfs when there is one: the server's synchronous=FULL fsyncs would dominate otherwise. */
const SIM_DIR = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

const CRITERIA = ['demo:LM-01', 'demo:LM-02', 'demo:PS-01', 'demo:PS-02', 'demo:RS-01'];
const RATINGS = ['red', 'amber', 'green', 'n/a', 'unrated'] as const;

interface Acked {
  value: unknown;
  seq: number;
}

interface SimClient extends Client {
  name: string;
  revoked: boolean;
}

/** Runs one seed; never throws for an invariant violation (returns it in `failures`). */
export async function runSeed(seed: number, opts: SimOptions = {}): Promise<SeedResult> {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(r() * xs.length)];
  const chance = (p: number) => r() < p;
  const log = (...a: unknown[]) => {
    if (opts.trace) console.log(`[seed ${seed}]`, ...a);
  };
  const stats = { steps: 0, submissions: 0, requests: 0, faults: 0, conflicts: 0, restarts: 0, revokes: 0 };
  const failures: string[] = [];
  const sim = opts.shared ?? (await openSimServer(`${process.pid}-${seed}`));
  // Never backwards: the server's rate limiters assume a monotonic clock.
  simClock.value += 60_000;
  const now = simClock.now;
  const at = () => new Date(simClock.value).toISOString();
  const team = await sim.server.store.createTeam(`Sim ${seed}`);

  // ---------------------------------------------------------------- the network, with faults
  let faults = false;
  const faultyFromStart = chance(0.5);
  const rates = { dropRequest: 0.08, dropResponse: 0.08, duplicate: 0.08, delay: 0.08 };
  const delayed: { url: string; init: RequestInit }[] = [];
  /** Highest acknowledged seq per clip field; acknowledged creates and deletes. */
  const acked = new Map<string, Acked>();
  const ackedDeletes = new Set<string>();
  const ackedCreates = new Set<string>();

  const recordAcks = (mutations: readonly Mutation[], results: readonly MutationResult[]) => {
    const byId = new Map(mutations.map((m) => [m.mutationId, m]));
    for (const res of results) {
      const m = byId.get(res.mutationId);
      if (!m) continue;
      const done = res.status === 'applied' || (res.status === 'conflict' && res.seq !== undefined);
      const seq = res.status === 'rejected' ? undefined : res.seq;
      if (!done || seq === undefined) continue;
      const conflicting = new Set(res.status === 'conflict' ? res.fields : []);
      const note = (id: string, f: string, value: unknown) => {
        if (conflicting.has(f)) return;
        const k = `${id}\u0000${f}`;
        const prev = acked.get(k);
        if (!prev || prev.seq <= seq) acked.set(k, { value, seq });
      };
      if (m.type === 'clip.create') {
        ackedCreates.add(m.clip.id);
        for (const f of clipScalarFields) note(m.clip.id, f, m.clip[f]);
      } else if (m.type === 'clip.update') {
        for (const [f, v] of Object.entries(m.set)) note(m.id, f, v);
      } else if (m.type === 'clip.delete') ackedDeletes.add(m.id);
    }
  };

  const deliver = async (url: string, init: RequestInit) => sim.server.app.request(url, init, LOOPBACK_ENV);
  const netFetch: FetchLike = async (url, init) => {
    stats.requests += 1;
    if (faults && chance(rates.dropRequest)) {
      stats.faults += 1;
      log('drop request', url);
      throw new TypeError('Failed to fetch (request dropped)');
    }
    if (faults && chance(rates.duplicate)) {
      stats.faults += 1;
      log('duplicate', url);
      await (await deliver(url, init)).text();
    }
    if (faults && chance(rates.delay)) {
      stats.faults += 1;
      delayed.push({ url, init });
    }
    const res = await deliver(url, init);
    const text = await res.text();
    if (faults && chance(rates.dropResponse)) {
      stats.faults += 1;
      log('drop response', url, res.status);
      throw new TypeError('Failed to fetch (response dropped)');
    }
    if (url.endsWith('/v1/push') && res.ok && typeof init.body === 'string') {
      const req = pushRequestSchema.safeParse(JSON.parse(init.body));
      const out = pushResponseSchema.safeParse(JSON.parse(text));
      if (req.success && out.success) recordAcks(req.data.mutations, out.data.results);
    }
    return new Response(text, { status: res.status, headers: res.headers });
  };
  const replayDelayed = async () => {
    const i = Math.floor(r() * delayed.length);
    const [d] = delayed.splice(i, 1);
    if (!d) return;
    log('late re-delivery', d.url);
    await (await deliver(d.url, d.init)).text();
  };

  // ---------------------------------------------------------------- clients
  const inviteCode = await createInvite(sim.server.store, team.id, 'editor', 10_000);
  const clients: SimClient[] = [];
  const nClients = chance(0.25) ? 3 : 2;
  for (let i = 0; i < nClients; i++) {
    const name = `c${i}`;
    const c = makeClient({
      fetch: netFetch,
      now,
      random: seededRandom(seed * 31 + i),
      name,
      pageSize: 5 + Math.floor(r() * 20),
    });
    const joined = await c.engine.join(SERVER_URL, inviteCode, name);
    if (!joined.ok) failures.push(`initial join of ${name} failed: ${joined.error.message}`);
    clients.push({ ...c, name, revoked: false });
  }

  // The team's admin freezes and deletes submissions straight through the app (no faults): every
  // member must end up with exactly the server's live submissions, read-only.
  const adminJoin = await deliver(
    '/v1/join',
    jsonRequest('POST', undefined, {
      protocolVersion: 1,
      code: await createInvite(sim.server.store, team.id, 'admin', 1),
      displayName: 'Admin',
      deviceLabel: 'sim',
    }),
  );
  const adminToken = String(((await adminJoin.json()) as { token?: unknown }).token);
  const submissionIds: string[] = [];
  const rs = seededRandom(seed * 7919 + 1);

  faults = faultyFromStart;
  const sync = async (c: SimClient) => {
    simClock.value += 1_000;
    const out = await c.engine.syncNow();
    log(c.name, 'sync →', out.state, out.pushed, out.pulled);
    if (out.state === 'revoked') c.revoked = true;
    return out;
  };
  // Editors may retitle only their own clips (the server refuses the substance of a colleague's
  // clip): the clips each client created since it (re)joined as its current member.
  const mine = new Map<string, Set<string>>();
  const rejoin = async (c: SimClient) => {
    mine.delete(c.name);
    const joined = await c.engine.join(SERVER_URL, inviteCode, c.name);
    log(c.name, 'rejoin', joined.ok);
    if (joined.ok) {
      c.revoked = false;
      await c.engine.syncNow();
    }
  };
  const liveClips = async (c: SimClient) => (await c.db.clips.toArray()).filter((x) => !x.deleted);

  // ---------------------------------------------------------------- random workload
  let made = 0;
  const steps = opts.steps ?? 16;
  for (let step = 0; step < steps; step++) {
    stats.steps += 1;
    simClock.value += 1_000 + Math.floor(r() * 5_000);
    const c = pick(clients);
    if (!c) break;
    const action = r();
    try {
      // Submissions draw from their own stream, so the seeds' other steps stay as they were.
      if (rs() < 0.15) {
        stats.submissions += 1;
        const live = submissionIds.filter((id) => id !== '');
        const target = rs() < 0.3 ? live[Math.floor(rs() * live.length)] : undefined;
        if (target) {
          await deliver(`/v1/submissions/${target}`, jsonRequest('DELETE', adminToken));
          submissionIds[submissionIds.indexOf(target)] = '';
          log('admin deletes submission', target);
        } else {
          const submission = makeSubmission({ name: `Submission ${seed}-${step}`, id: seededUuid(rs) });
          const res = await deliver(
            '/v1/submissions',
            jsonRequest('POST', adminToken, { protocolVersion: 1, submission }),
          );
          if (res.status !== 201) failures.push(`submission create answered ${res.status}`);
          submissionIds.push(submission.id);
          log('admin freezes submission', submission.id);
        }
      }
      if (action < 0.2) {
        made += 1;
        const criteria = CRITERIA.filter(() => chance(0.3));
        const clip = await localCreate(c.db, r, { quote: `q-${seed}-${made}`, criteria }, at());
        mine.set(c.name, (mine.get(c.name) ?? new Set()).add(clip.id));
        log(c.name, 'create', clip.id);
      } else if (action < 0.34) {
        const target = pick(await liveClips(c));
        if (target) {
          const own = mine.get(c.name)?.has(target.id) ?? false;
          const field = own && chance(0.5) ? 'title' : 'note';
          const value = `${field}-${c.name}-${step}`;
          await localChange(c.db, target.id, (x) => ({ ...x, [field]: value, updatedAt: at() }));
          log(c.name, 'edit', target.id, field, value);
        }
      } else if (action < 0.44) {
        const target = pick(await liveClips(c));
        if (target) {
          const criteria = normaliseSet(CRITERIA.filter(() => chance(0.4)));
          await localChange(c.db, target.id, (x) => ({ ...x, criteria, updatedAt: at() }));
          log(c.name, 'retag', target.id, criteria);
        }
      } else if (action < 0.5) {
        const target = pick(await liveClips(c));
        if (target) {
          await localChange(c.db, target.id, (x) => ({ ...x, deleted: true, updatedAt: at() }));
          log(c.name, 'delete', target.id);
        }
      } else if (action < 0.56) {
        const criterion = pick(CRITERIA.slice(0, 3)) ?? 'demo:LM-01';
        await localAssess(c.db, criterion, { rating: pick(RATINGS) ?? 'red', comment: `by ${c.name}` }, at());
        log(c.name, 'assess', criterion);
      } else if (action < 0.8) {
        await sync(c);
      } else if (action < 0.85) {
        faults = !faults;
        log('faults', faults);
      } else if (action < 0.88) {
        stats.restarts += 1;
        log('server restart');
        await sim.server.store.close();
        sim.server = await openServer(sim.file, now);
      } else if (action < 0.91) {
        const t = await readTeam(c.db);
        if (t && !c.revoked) {
          stats.revokes += 1;
          await sim.server.store.revokeDevice(t.teamId, t.deviceId);
          // Its queued edits will be pushed by the member it re-joins as: not the creator.
          mine.delete(c.name);
          log(c.name, 'revoked');
        }
      } else if (action < 0.95) {
        if (c.revoked) await rejoin(c);
        else await sync(c);
      } else await replayDelayed();
    } catch (error) {
      failures.push(
        `step ${step}: unexpected ${error instanceof Error ? (error.stack ?? error.message) : error}`,
      );
      break;
    }
  }

  // ---------------------------------------------------------------- healing
  try {
    faults = false;
    while (delayed.length) await replayDelayed();
    // Who must sync in a round: everyone at first; later only those that may have missed a push
    // (a client that synced after the round's last push already has everything).
    let due = clients;
    for (let round = 0; round < 8; round++) {
      let busy = false;
      let lastPusher = -1;
      for (const [i, c] of due.entries()) {
        if (c.revoked || !(await readTeam(c.db))) {
          await rejoin(c);
          lastPusher = i;
        }
        const out = await sync(c);
        if (out.pushed > 0) lastPusher = i;
        if (out.state !== 'synced') busy = true;
      }
      // Those that synced at or after the last push of this round have everything.
      const upToDate = new Set(lastPusher >= 0 ? due.slice(lastPusher) : clients);
      const nextDue = clients.filter((c) => !upToDate.has(c));
      for (const c of clients) {
        for (const conflict of await c.db.conflicts.toArray()) {
          stats.conflicts += 1;
          busy = true;
          // A deleted clip stays deleted (keeping it would re-create a copy: no duplicate checks).
          if (conflict.reason === 'deleted' || chance(0.5)) await c.engine.keepTheirs(conflict.key);
          else await c.engine.keepMine(conflict.key);
          log(c.name, 'resolved', conflict.key);
        }
        if ((await c.db.outbox.count()) > 0) busy = true;
      }
      due = busy ? clients : nextDue;
      if (due.length === 0) break;
    }
  } catch (error) {
    failures.push(`healing: unexpected ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  }

  // ---------------------------------------------------------------- invariants
  try {
    await checkInvariants();
  } catch (error) {
    failures.push(`checks: unexpected ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  }

  async function checkInvariants() {
    const all: Change[] = [];
    let cursor: number | null = null;
    for (;;) {
      const page = await sim.server.store.pull(team.id, cursor, 1_000, undefined, new Set(CLIENT_FEATURES));
      if (page.type !== 'changes') throw new Error('server answered resync to a null cursor');
      all.push(...page.changes);
      cursor = Number(page.cursor);
      if (!page.hasMore) break;
    }
    const serverClips = new Map<string, { deleted: boolean; view: string; data: Record<string, unknown> }>();
    const serverAssessments = new Map<string, string>();
    const serverSubmissions = new Map<string, string>();
    for (const ch of all) {
      if (ch.kind === 'submission' && ch.submission)
        serverSubmissions.set(ch.id, canonicalJson(ch.submission));
      else if (ch.kind === 'submission') serverSubmissions.delete(ch.id);
      if (ch.kind === 'clip') {
        const view =
          ch.deleted || !ch.clip
            ? canonicalJson({ id: ch.id, deleted: true })
            : syncedClipView({ ...ch.clip, deleted: false });
        serverClips.set(ch.id, { deleted: ch.deleted, view, data: { ...ch.clip } });
      } else if (ch.kind === 'assessment') {
        const { updatedAt: _u, updatedBy: _b, ...rest } = ch.assessment;
        serverAssessments.set(ch.assessment.criterionId, canonicalJson(rest));
      }
    }
    // No duplicate clip: every created passage is live at most once.
    const quotes = new Map<string, string>();
    for (const [id, s] of serverClips) {
      if (s.deleted) continue;
      const q = String(s.data.quote);
      const other = quotes.get(q);
      if (other) failures.push(`duplicate clip: ${other} and ${id} both hold "${q}"`);
      quotes.set(q, id);
    }
    // No acknowledged write lost.
    for (const id of ackedCreates)
      if (!serverClips.has(id)) failures.push(`acknowledged create of ${id} is missing on the server`);
    for (const [k, a] of acked) {
      const [id = '', field = ''] = k.split('\u0000');
      const s = serverClips.get(id);
      if (!s) failures.push(`acknowledged write ${id}.${field} has no record`);
      else if (!s.deleted && canonicalJson(s.data[field]) !== canonicalJson(a.value))
        failures.push(
          `acknowledged write lost: ${id}.${field} = ${canonicalJson(a.value)} (seq ${a.seq}), server has ${canonicalJson(s.data[field])}`,
        );
    }
    for (const id of ackedDeletes)
      if (serverClips.get(id)?.deleted !== true)
        failures.push(`acknowledged delete of ${id} undone on the server`);
    // Convergence, and no deleted clip resurrected on any client.
    for (const c of clients) {
      const pending = await c.db.outbox.count();
      if (pending) failures.push(`${c.name}: ${pending} outbox entries left after healing`);
      const conflicts = await c.db.conflicts.count();
      if (conflicts) failures.push(`${c.name}: ${conflicts} conflicts left after healing`);
      const local = await c.db.clips.toArray();
      const localIds = new Set(local.map((x) => x.id));
      for (const clip of local) {
        const s = serverClips.get(clip.id);
        if (!s) {
          if (!clip.deleted) failures.push(`${c.name}: live clip ${clip.id} never reached the server`);
          continue;
        }
        if (s.deleted && !clip.deleted) failures.push(`${c.name}: deleted clip ${clip.id} resurrected`);
        else if (syncedClipView(clip) !== s.view)
          failures.push(
            `${c.name}: clip ${clip.id} differs\n  local  ${syncedClipView(clip)}\n  server ${s.view}`,
          );
      }
      for (const [id, s] of serverClips)
        if (!s.deleted && !localIds.has(id)) failures.push(`${c.name}: missing clip ${id}`);
      // The per-criterion coverage rows followed every write and apply (docs/architecture.md).
      const rows = (await c.db.coverage.toArray()).sort((x, y) => (x.criterionId < y.criterionId ? -1 : 1));
      if (canonicalJson(rows) !== canonicalJson(recountAggregates(local)))
        failures.push(`${c.name}: coverage rows differ from a recount of the clips`);
      // Submissions: exactly the server's live ones, as frozen.
      const localSubmissions = new Map(
        (await c.db.submissions.toArray()).map((x) => [x.id, canonicalJson(x)]),
      );
      if (canonicalJson([...localSubmissions].sort()) !== canonicalJson([...serverSubmissions].sort()))
        failures.push(
          `${c.name}: submissions differ: local ${[...localSubmissions.keys()]} server ${[...serverSubmissions.keys()]}`,
        );
      for (const id of submissionIds)
        if (id && !serverSubmissions.has(id))
          failures.push(`acknowledged submission ${id} missing on the server`);
      for (const [id, view] of serverAssessments) {
        const a = await c.db.assessments.get(id);
        if (!a) {
          failures.push(`${c.name}: assessment ${id} missing`);
          continue;
        }
        const { updatedAt: _u, updatedBy: _b, sync: _s, ...rest } = a;
        if (canonicalJson(rest) !== view)
          failures.push(`${c.name}: assessment ${id} differs: ${canonicalJson(rest)} vs ${view}`);
      }
    }
  }

  // ---------------------------------------------------------------- teardown
  for (const c of clients) {
    c.db.close();
    await c.db.delete();
  }
  if (!opts.shared) await closeSimServer(sim);
  return { seed, ok: failures.length === 0, failures, stats };
}

/** A v4-shaped UUID from a seeded stream (a seed replays with the same submission ids). */
function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** A request init for the app with the client's headers and an optional bearer token. */
function jsonRequest(method: string, token?: string, body?: unknown): RequestInit {
  return {
    method,
    headers: {
      'content-type': 'application/json',
      'x-qsi-protocol': '1',
      'x-qsi-features': CLIENT_FEATURES.join(','),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** Parses "5000-5999" or "42" into a list of seeds. */
export function parseSeedRange(spec: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m?.[1]) throw new Error(`seed range must look like 5000-5999 or 42, not "${spec}"`);
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (to < from) throw new Error(`empty seed range ${spec}`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
