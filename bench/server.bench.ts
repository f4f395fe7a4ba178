// Sync server throughput and latency, on SQLite and PostgreSQL, against a
// real server process on loopback: push and initial pull of 10 000 clips against floors measured
// in the same run through the same driver, then 200 concurrent clients doing incremental sync.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newDeviceToken, newInviteCode } from '../server/auth';
import { openPostgresStore } from '../server/store/postgres';
import type { SqlStore } from '../server/store/sql-store';
import { openSqliteStore } from '../server/store/sqlite';
import { docKey } from '../shared/doc-key';
import {
  MAX_BATCH,
  type MutationResult,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushResponse,
} from '../shared/protocol';
import { startServer } from '../tests/sync/server-process';
import { withBenchPostgres } from './pg';
import { type BenchResult, percentile } from './result';

const CLIPS = 10_000;
/** Pushes are as large as the protocol allows, as the extension's outbox sends them. */
const BATCH = MAX_BATCH;
const CLIENTS = 200;
const LOAD_MS = 6_000;

export function clip(i: number) {
  const quote =
    `Staff must confirm patient identity using three points of ID before every examination (${i}). `.repeat(
      4,
    );
  const now = new Date().toISOString();
  const url = `https://intranet.example.nhs.uk/radiology/policies/doc-${i % 500}`;
  return {
    id: randomUUID(),
    url,
    docKey: docKey(url),
    title: `Radiology policy ${i % 500}: patient identification`,
    selectors: [
      {
        type: 'TextQuoteSelector',
        exact: quote.slice(0, 200),
        prefix: 'Before the examination. ',
        suffix: ' Record it.',
      },
      { type: 'TextPositionSelector', start: 1200 + i, end: 1400 + i },
    ],
    quote: quote.slice(0, 200),
    criteria: [`demo:DEMO-LM-0${i % 9}`, `demo:DEMO-PS-0${i % 7}`],
    note: 'Evidence for the patient identification criterion.',
    docMeta: { documentId: `RAD-POL-${i % 500}`, version: '3.1', reviewDue: '2027-06-30' },
    createdBy: { id: 'local', name: 'bench' },
    createdAt: now,
    updatedAt: now,
  };
}

/** Throws unless all `n` results say applied (a bench of refused writes measures nothing). */
export function assertAllApplied(results: readonly MutationResult[], n: number) {
  const refused = results.filter((r) => r.status !== 'applied');
  if (results.length !== n || refused.length)
    throw new Error(
      `push: ${results.length - refused.length} of ${n} applied; first refusal: ${JSON.stringify(refused[0])}`,
    );
}

/** `n` device tokens of one new editor in `teamId`, made through the store (no join limits). */
export async function tokensFor(store: SqlStore, teamId: string, n: number) {
  const { codeHash } = newInviteCode();
  await store.createInvite(teamId, {
    role: 'editor',
    maxUses: 1,
    expiresAt: Date.now() + 3_600_000,
    codeHash,
    createdBy: null,
  });
  const first = newDeviceToken();
  const joined = await store.redeemInvite({
    codeHash,
    displayName: 'bench',
    deviceLabel: 'd0',
    deviceId: first.deviceId,
    tokenHash: first.tokenHash,
  });
  if (!joined) throw new Error('join failed');
  const tokens = [first.token];
  for (let i = 1; i < n; i++) {
    const t = newDeviceToken();
    await store.addDevice(teamId, joined.member.id, {
      deviceId: t.deviceId,
      tokenHash: t.tokenHash,
      label: `d${i}`,
    });
    tokens.push(t.token);
  }
  return tokens;
}

/** The floor: the same rows written straight through the same driver in one transaction. */
async function floorInsert(store: SqlStore, teamId: string, clips: ReturnType<typeof clip>[]) {
  const t0 = performance.now();
  await store.db.transaction().execute(async (tx) => {
    for (let i = 0; i < clips.length; i += 100) {
      await tx
        .insertInto('records')
        .values(
          clips.slice(i, i + 100).map((c, k) => ({
            team_id: teamId,
            kind: 'clip',
            key: c.id,
            seq: i + k + 1,
            deleted: 0,
            deleted_at: null,
            data: JSON.stringify(c),
            versions: JSON.stringify({ url: 1, title: 1, quote: 1, note: 1, criteria: 1 }),
            updated_at: Date.now(),
          })),
        )
        .execute();
    }
    await tx.updateTable('teams').set({ seq: clips.length }).where('id', '=', teamId).execute();
  });
  return performance.now() - t0;
}

/**
 * The storage floor of a push: what the push transactions store, written straight through the
 * same driver in the same number of transactions — per batch its records, one change-log row per
 * record (the record's fields as its `changes`, two SHA-256 hashes) and the batch's results row.
 * The raw floor above is one transaction of records only; this one shows what the server's own
 * work (validation, merge, canonical hashing, its queries) adds to the writes it must make.
 */
async function floorPushStorage(store: SqlStore, teamId: string, clips: ReturnType<typeof clip>[]) {
  const t0 = performance.now();
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  for (let i = 0; i < clips.length; i += BATCH) {
    const batch = clips.slice(i, i + BATCH);
    await store.db.transaction().execute(async (tx) => {
      for (let j = 0; j < batch.length; j += 100) {
        const part = batch.slice(j, j + 100);
        const data = part.map((c) => JSON.stringify(c));
        await tx
          .insertInto('records')
          .values(
            part.map((c, k) => ({
              team_id: teamId,
              kind: 'clip',
              key: c.id,
              seq: i + j + k + 1,
              deleted: 0,
              deleted_at: null,
              data: data[k] ?? '',
              versions: JSON.stringify({ url: 1, title: 1, quote: 1, note: 1, criteria: 1 }),
              updated_at: Date.now(),
            })),
          )
          .execute();
        await tx
          .insertInto('change_log')
          .values(
            part.map((c, k) => ({
              team_id: teamId,
              seq: i + j + k + 1,
              kind: 'clip',
              key: c.id,
              at: Date.now(),
              by: 'bench',
              type: 'create',
              changes: JSON.stringify(
                Object.fromEntries(Object.entries(c).map(([f, v]) => [f, { from: null, to: v }])),
              ),
              state_hash: hash(data[k] ?? ''),
              hash: hash(`${i + j + k}\n${data[k]}`),
            })),
          )
          .execute();
      }
      await tx
        .insertInto('push_results')
        .values({
          team_id: teamId,
          client_id: 'bench-floor',
          first_id: i + 1,
          last_id: i + batch.length,
          results: JSON.stringify(
            batch.map((_, k) => ({ mutationId: i + k + 1, status: 'applied', seq: i + k + 1 })),
          ),
          created_at: Date.now(),
        })
        .execute();
      await tx
        .updateTable('teams')
        .set({ seq: i + batch.length })
        .where('id', '=', teamId)
        .execute();
    });
  }
  return performance.now() - t0;
}

async function floorSelect(store: SqlStore, teamId: string) {
  const t0 = performance.now();
  const rows = await store.db
    .selectFrom('records')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('seq')
    .execute();
  for (const r of rows) JSON.parse(r.data ?? 'null');
  return performance.now() - t0;
}

async function runBackend(
  kind: 'sqlite' | 'postgres',
  url: string | undefined,
  emit: (r: BenchResult) => void,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-bench-'));
  const open = () =>
    kind === 'sqlite'
      ? openSqliteStore({ file: path.join(dir, 'clipper.sqlite') })
      : openPostgresStore({ url: url ?? '' });
  const clips = Array.from({ length: CLIPS }, (_, i) => clip(i));

  // Set up offline: teams, tokens, and the floors (measured before the server starts).
  const setup = await open();
  const floorTeam = await setup.createTeam('floor');
  const floorWriteMs = await floorInsert(
    setup,
    floorTeam.id,
    clips.map((c) => ({ ...c, id: randomUUID() })),
  );
  const floorReadMs = await floorSelect(setup, floorTeam.id);
  const storageTeam = await setup.createTeam('storage-floor');
  const floorStorageMs = await floorPushStorage(
    setup,
    storageTeam.id,
    clips.map((c) => ({ ...c, id: randomUUID() })),
  );
  const team = await setup.createTeam('bench');
  const loadTeam = await setup.createTeam('load');
  const [pusher] = await tokensFor(setup, team.id, 1);
  const loadTokens = await tokensFor(setup, loadTeam.id, CLIENTS);
  await setup.close();

  const server = await startServer(kind === 'sqlite' ? { DATA_DIR: dir } : { DATABASE_URL: url ?? '' });
  const hdr = (token?: string) => ({
    'content-type': 'application/json',
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });
  const post = async (p: string, token: string | undefined, body: unknown) => {
    const r = await fetch(`${server.url}${p}`, {
      method: 'POST',
      headers: hdr(token),
      body: JSON.stringify(body),
    });
    if (r.status !== 200) throw new Error(`${p}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  try {
    // 1. Push 10 000 clips in batches of MAX_BATCH (one client, sequential, as an outbox drains).
    let t0 = performance.now();
    const answers: PushResponse[] = [];
    for (let i = 0; i < CLIPS; i += BATCH)
      answers.push(
        (await post('/v1/push', pusher, {
          protocolVersion: PROTOCOL_VERSION,
          clientId: 'bench-pusher',
          mutations: clips
            .slice(i, i + BATCH)
            .map((c, k) => ({ mutationId: i + k + 1, type: 'clip.create', clip: c })),
        })) as PushResponse,
      );
    const pushMs = performance.now() - t0;
    // A refused mutation is cheap: a bench whose clips the server rejects measures nothing.
    assertAllApplied(
      answers.flatMap((a) => a.results),
      CLIPS,
    );
    emit({
      name: `server.${kind}.push.10k.ms`,
      value: Math.round(pushMs),
      unit: 'ms',
      floor: Math.round(floorWriteMs),
      target: '<= 2x floor',
    });
    emit({
      name: `server.${kind}.push.10k.vs_storage_floor.ms`,
      value: Math.round(pushMs),
      unit: 'ms',
      floor: Math.round(floorStorageMs),
    });
    emit({
      name: `server.${kind}.push.clips_per_s`,
      value: Math.round(CLIPS / (pushMs / 1000)),
      unit: 'clips/s',
    });

    // 2. Initial pull of the 10 000 clips (pages of 1 000).
    t0 = performance.now();
    let cursor: string | null = null;
    let pulled = 0;
    for (;;) {
      const r = (await post('/v1/pull', pusher, {
        protocolVersion: PROTOCOL_VERSION,
        cursor,
        limit: 1000,
      })) as PullResponse;
      if (r.type !== 'changes') throw new Error('resync');
      pulled += r.changes.length;
      cursor = r.cursor;
      if (!r.hasMore) break;
    }
    const pullMs = performance.now() - t0;
    if (pulled !== CLIPS) throw new Error(`pulled ${pulled}`);
    emit({
      name: `server.${kind}.pull.initial.10k.ms`,
      value: Math.round(pullMs),
      unit: 'ms',
      floor: Math.round(floorReadMs),
      target: '< 2000 ms',
    });
    emit({
      name: `server.${kind}.pull.clips_per_s`,
      value: Math.round(CLIPS / (pullMs / 1000)),
      unit: 'clips/s',
    });

    // 3. One client polling an idle server: incremental pulls with no changes.
    const single: number[] = [];
    for (let i = 0; i < 300; i++) {
      const s = performance.now();
      const r = (await post('/v1/pull', pusher, {
        protocolVersion: PROTOCOL_VERSION,
        cursor,
      })) as PullResponse;
      single.push(performance.now() - s);
      if (r.type !== 'changes' || r.changes.length) throw new Error('expected no changes');
    }
    emit({
      name: `server.${kind}.pull.incremental_nochange.1client.p50.ms`,
      value: +percentile(single, 50).toFixed(2),
      unit: 'ms',
    });
    emit({
      name: `server.${kind}.pull.incremental_nochange.1client.p99.ms`,
      value: +percentile(single, 99).toFixed(2),
      unit: 'ms',
      target: '< 20 ms',
    });

    // 4. 200 concurrent clients doing incremental sync, each about once a second (extensions sync
    //    on alarms and long-polls, so 200 clients offer ~200 requests/s):
    //    a. an idle team: every pull is an incremental pull with no changes (the target);
    //    b. a busy team: 5 % of the rounds push one clip first (everything is measured).
    const load = async (pushShare: number) => {
      const idle: number[] = [];
      const all: number[] = [];
      let requests = 0;
      // Every client's initial download first, unmeasured and awaited: the measured rounds must
      // not queue behind this setup burst of 200 simultaneous full pulls.
      const cursors = await Promise.all(
        loadTokens.map(async (token) => {
          const first = (await post('/v1/pull', token, {
            protocolVersion: PROTOCOL_VERSION,
            cursor: null,
            limit: 1000,
          })) as PullResponse;
          return first.type === 'changes' ? first.cursor : null;
        }),
      );
      const end = performance.now() + LOAD_MS;
      const started = performance.now();
      await Promise.all(
        loadTokens.map(async (token, c) => {
          let cur = cursors[c] ?? null;
          let mid = 0;
          // Spread the clients over the first second, as real alarms are.
          await new Promise((res) => setTimeout(res, Math.random() * 1000));
          while (performance.now() < end) {
            let changed = false;
            if (Math.random() < pushShare) {
              const s = performance.now();
              mid += 1;
              const pushed = (await post('/v1/push', token, {
                protocolVersion: PROTOCOL_VERSION,
                clientId: `bench-load-${c}`,
                mutations: [{ mutationId: mid, type: 'clip.create', clip: clip(c * 1000 + mid) }],
              })) as PushResponse;
              all.push(performance.now() - s);
              assertAllApplied(pushed.results, 1);
              requests++;
              changed = true;
            }
            const s = performance.now();
            const r = (await post('/v1/pull', token, {
              protocolVersion: PROTOCOL_VERSION,
              cursor: cur,
            })) as PullResponse;
            const ms = performance.now() - s;
            all.push(ms);
            requests++;
            if (r.type === 'changes') {
              if (!changed && r.changes.length === 0) idle.push(ms);
              cur = r.cursor;
            }
            await new Promise((res) => setTimeout(res, 500 + Math.random() * 1000));
          }
        }),
      );
      return { idle, all, rps: requests / ((performance.now() - started) / 1000) };
    };
    const quiet = await load(0);
    emit({
      name: `server.${kind}.sync200.idle.requests_per_s`,
      value: Math.round(quiet.rps),
      unit: 'req/s',
    });
    emit({
      name: `server.${kind}.sync200.pull.incremental_nochange.p50.ms`,
      value: +percentile(quiet.idle, 50).toFixed(2),
      unit: 'ms',
    });
    emit({
      name: `server.${kind}.sync200.pull.incremental_nochange.p99.ms`,
      value: +percentile(quiet.idle, 99).toFixed(2),
      unit: 'ms',
      target: '< 20 ms',
    });
    const busy = await load(0.05);
    emit({
      name: `server.${kind}.sync200.busy.requests_per_s`,
      value: Math.round(busy.rps),
      unit: 'req/s',
    });
    emit({
      name: `server.${kind}.sync200.busy.p50.ms`,
      value: +percentile(busy.all, 50).toFixed(2),
      unit: 'ms',
    });
    emit({
      name: `server.${kind}.sync200.busy.p99.ms`,
      value: +percentile(busy.all, 99).toFixed(2),
      unit: 'ms',
    });
  } finally {
    await server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function bench(emit: (r: BenchResult) => void) {
  await runBackend('sqlite', undefined, emit);
  await withBenchPostgres('server', (url) => runBackend('postgres', url, emit));
}
