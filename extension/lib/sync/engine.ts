// The sync engine (design §7): one syncer at a time pushes the outbox in batches and pulls pages
// into Dexie, with backoff, a persisted status, join/leave and conflict resolution. Runs in the
// background only; it never sees a page and never hands the device token to one.

import { z } from 'zod';
import { err, ok, type Result } from '../../../shared/errors';
import { inviteCodeSchema, MAX_BATCH, MAX_PUSH_BYTES } from '../../../shared/protocol';
import { type Assessment, type Clip, clipSchema, type Framework } from '../../../shared/schemas';
import type { ClipperDb, OutboxEntry } from '../db';
import { ApiError, createApi, type FetchLike, normaliseServerUrl } from './api';
import { applyPullPage, applyPushResults, applyTables, finishResync } from './apply';
import type { Credentials, DeviceCredentials } from './credentials';
import { enqueueAllForJoin, enqueueAssessmentChange, enqueueClipChange, recordKeyOf } from './outbox';
import {
  type Conflict,
  readCursor,
  readMeta,
  readStatus,
  readTeam,
  SYNC_META,
  type SyncState,
  type SyncStatus,
  type SyncTeam,
  syncStatusSchema,
  syncTeamSchema,
} from './state';

export interface SyncEngineDeps {
  db: ClipperDb;
  fetch: FetchLike;
  /** Epoch ms. */
  now: () => number;
  /** [0, 1): backoff jitter and client ids. */
  random: () => number;
  /** Where the device token lives (the extension's IndexedDB; memory in tests). */
  credentials: Credentials;
  /** Pull page size (the protocol's default when absent). */
  pageSize?: number;
  /** Backoff: first delay and cap, ms. */
  backoff?: { baseMs: number; maxMs: number };
}

export interface SyncOutcome {
  state: SyncState;
  message: string;
  pushed: number;
  pulled: number;
}

const BYTE_BUDGET = Math.floor(MAX_PUSH_BYTES * 0.75);
const encoder = new TextEncoder();

/** Picks the next batch: an outbox prefix, cut before a second entry for the same record. */
export function nextBatch(entries: readonly OutboxEntry[], maxCount = MAX_BATCH): OutboxEntry[] {
  const batch: OutboxEntry[] = [];
  const keys = new Set<string>();
  let bytes = 0;
  for (const e of entries) {
    const key = recordKeyOf(e.mutation);
    const size = encoder.encode(JSON.stringify(e.mutation)).length;
    if (batch.length >= maxCount || keys.has(key) || (batch.length > 0 && bytes + size > BYTE_BUDGET)) break;
    keys.add(key);
    bytes += size;
    batch.push(e);
  }
  return batch;
}

/** Exponential backoff with equal jitter: half fixed, half random. */
export function backoffDelay(failures: number, random: () => number, baseMs: number, maxMs: number) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const isQuotaError = (e: unknown) =>
  e instanceof Error &&
  (e.name === 'QuotaExceededError' ||
    (e as { inner?: { name?: string } }).inner?.name === 'QuotaExceededError');

/** Creates the engine; nothing runs until syncNow/join is called. */
export function createSyncEngine(deps: SyncEngineDeps) {
  const { db } = deps;
  const pageSize = deps.pageSize;
  const backoff = deps.backoff ?? { baseMs: 5_000, maxMs: 15 * 60_000 };
  const iso = () => new Date(deps.now()).toISOString();

  let running: Promise<SyncOutcome> | undefined;
  let again = false;
  let againForced = false;

  /** The status as last written by this engine (saves a read per write). */
  let lastStatus: SyncStatus | undefined;

  async function writeStatus(patch: Partial<SyncStatus> & { state: SyncState; message: string }) {
    const old = lastStatus ?? (await readStatus(db));
    const status: SyncStatus = {
      failures: 0,
      ...(old?.lastSyncedAt ? { lastSyncedAt: old.lastSyncedAt } : {}),
      ...patch,
      at: iso(),
    };
    await db.meta.put({ key: SYNC_META.status, value: status });
    lastStatus = status;
    return status;
  }

  async function fail(state: SyncState, message: string, retryAfterMs?: number) {
    const old = lastStatus ?? (await readStatus(db));
    const failures = (old?.failures ?? 0) + 1;
    const delay = Math.max(
      retryAfterMs ?? 0,
      backoffDelay(failures, deps.random, backoff.baseMs, backoff.maxMs),
    );
    await writeStatus({
      state,
      message,
      failures,
      nextAttemptAt: new Date(deps.now() + delay).toISOString(),
    });
  }

  function clientApi(team: SyncTeam, creds: DeviceCredentials) {
    return createApi({ serverUrl: team.serverUrl, token: creds.token, fetch: deps.fetch });
  }

  async function push(api: ReturnType<typeof createApi>, team: SyncTeam): Promise<number> {
    let pushed = 0;
    let maxCount = MAX_BATCH;
    for (;;) {
      const head = await db.outbox.orderBy('mutationId').limit(MAX_BATCH).toArray();
      const batch = nextBatch(head, maxCount);
      if (batch.length === 0) return pushed;
      let response: Awaited<ReturnType<typeof api.push>>;
      try {
        response = await api.push({ clientId: team.clientId, mutations: batch.map((e) => e.mutation) });
      } catch (error) {
        // A malformed envelope must never wedge the queue: narrow down, then drop the culprit.
        if (error instanceof ApiError && error.status === 400 && error.code !== 'incompatible_protocol') {
          if (batch.length > 1) {
            maxCount = Math.max(1, Math.floor(batch.length / 2));
            continue;
          }
          const [only] = batch;
          if (only)
            await applyPushResults(
              db,
              batch,
              [{ mutationId: only.mutationId, status: 'rejected', code: error.code, message: error.message }],
              iso(),
            );
          continue;
        }
        throw error;
      }
      await applyPushResults(db, batch, response.results, iso());
      pushed += batch.length;
    }
  }

  async function pull(api: ReturnType<typeof createApi>): Promise<number> {
    let pulled = 0;
    let resyncing = (await readMeta(db, SYNC_META.resyncing, z.boolean())) === true;
    let cursor = resyncing ? null : await readCursor(db);
    const seen = new Set<string>();
    for (;;) {
      const res = await api.pull({ cursor, ...(pageSize ? { limit: pageSize } : {}) });
      if (res.type === 'resync') {
        if (resyncing && cursor === null) throw new ApiError('', 200, 'bad_response', res.reason);
        resyncing = true;
        cursor = null;
        seen.clear();
        await db.meta.put({ key: SYNC_META.resyncing, value: true });
        continue;
      }
      if (res.changes.length > 0 || res.cursor !== cursor)
        await applyPullPage(db, res.changes, res.cursor, iso(), resyncing ? seen : undefined);
      pulled += res.changes.length;
      cursor = res.cursor;
      if (!res.hasMore) break;
    }
    if (resyncing) await finishResync(db, seen);
    return pulled;
  }

  async function once(force: boolean): Promise<SyncOutcome> {
    const outcome = (state: SyncState, message: string, pushed = 0, pulled = 0): SyncOutcome => ({
      state,
      message,
      pushed,
      pulled,
    });
    const [teamRow, statusRow] = await db.meta.bulkGet([SYNC_META.team, SYNC_META.status]);
    const team = syncTeamSchema.safeParse(teamRow?.value).data;
    const creds = team ? await deps.credentials.get() : undefined;
    lastStatus = syncStatusSchema.safeParse(statusRow?.value).data;
    if (!team || !creds) {
      await writeStatus({ state: 'signed-out', message: 'Not part of a team: clips stay on this device.' });
      return outcome('signed-out', 'Not part of a team');
    }
    const status = lastStatus;
    if (status?.state === 'revoked') return outcome('revoked', status.message);
    if (!force && status?.nextAttemptAt && Date.parse(status.nextAttemptAt) > deps.now())
      return outcome(status.state, status.message);
    const api = clientApi(team, creds);
    let pushed = 0;
    let pulled = 0;
    let pushRefused: ApiError | undefined;
    const tryPush = async () => {
      if (pushRefused) return 0;
      try {
        return await push(api, team);
      } catch (error) {
        // A viewer (403) or a rate-limited device (429) still receives the team's changes; the
        // outbox waits and nothing is lost.
        if (error instanceof ApiError && (error.status === 403 || error.status === 429)) {
          pushRefused = error;
          return 0;
        }
        throw error;
      }
    };
    try {
      pushed = await tryPush();
      pulled = await pull(api);
      pushed += await tryPush();
    } catch (error) {
      const pending = await db.outbox.count();
      const keep = pending ? ` ${pending} unsent change${pending === 1 ? ' is' : 's are'} kept.` : '';
      if (error instanceof ApiError) {
        if (error.status === 0) {
          await fail('offline', `Offline: the server could not be reached.${keep}`);
          return outcome('offline', error.message, pushed, pulled);
        }
        if (error.status === 401) {
          const message = `This device's access to ${team.teamName} was revoked or has expired. Join again with a new invite code.${keep}`;
          await writeStatus({ state: 'revoked', message });
          return outcome('revoked', message, pushed, pulled);
        }
        if (error.code === 'incompatible_protocol') {
          await fail('incompatible', `The server and this extension are not compatible: ${error.message}`);
          return outcome('incompatible', error.message, pushed, pulled);
        }
        const message = `Sync failed (${error.code}): ${error.message}.${keep}`;
        await fail('error', message, error.retryAfter ? error.retryAfter * 1000 : undefined);
        return outcome('error', message, pushed, pulled);
      }
      const message = isQuotaError(error)
        ? `Browser storage is full: team changes cannot be stored. Free some space.${keep}`
        : `Sync failed: ${error instanceof Error ? error.message : String(error)}.${keep}`;
      await fail('error', message).catch(() => undefined);
      throw error;
    }
    if (pushRefused?.status === 429) {
      const wait = pushRefused.retryAfter ?? 60;
      const message = `Sending paused: the server asked to wait ${wait} s. Unsent changes are kept.`;
      await fail('pending', message, wait * 1000);
      return outcome('pending', message, pushed, pulled);
    }
    if (pushRefused) {
      const message = `Your changes cannot be shared: ${pushRefused.message}. They stay on this device.`;
      await writeStatus({ state: 'error', message, lastSyncedAt: iso() });
      return outcome('error', message, pushed, pulled);
    }
    const pending = await db.outbox.count();
    const state = pending ? 'pending' : 'synced';
    const message = pending ? `${pending} change${pending === 1 ? '' : 's'} to send` : 'Up to date';
    // Skip the write when nothing a user would see changed (last-synced is shown to the minute).
    const fresh =
      lastStatus?.state === state &&
      lastStatus.message === message &&
      lastStatus.failures === 0 &&
      lastStatus.nextAttemptAt === undefined &&
      lastStatus.lastSyncedAt !== undefined &&
      deps.now() - Date.parse(lastStatus.lastSyncedAt) < 30_000;
    if (!fresh) await writeStatus({ state, message, lastSyncedAt: iso() });
    return outcome(state, message, pushed, pulled);
  }

  /**
   * Runs one sync (push, pull, push). Concurrent calls coalesce: while one runs, later calls
   * share its promise and cause exactly one more run after it. `force` ignores the backoff.
   * @throws only unexpected local errors (e.g. storage quota), after recording them in the status.
   */
  function syncNow(opts: { force?: boolean } = {}): Promise<SyncOutcome> {
    if (running) {
      again = true;
      againForced ||= opts.force === true;
      return running;
    }
    const run = async () => {
      let result = await once(opts.force === true);
      while (again) {
        const force = againForced;
        again = false;
        againForced = false;
        result = await once(force);
      }
      return result;
    };
    running = run().finally(() => {
      running = undefined;
    });
    return running;
  }

  /**
   * Joins a team: redeems the invite, keeps the device token in background storage, queues the
   * local clips the team has not seen. Re-joining the same team keeps the cursor and every unsent
   * change. Does not sync by itself (background-sync's `controls.join` schedules one). Expected
   * failures come back as a Result, never thrown.
   */
  async function join(serverUrl: string, inviteCode: string, displayName: string, deviceLabel = '') {
    const url = normaliseServerUrl(serverUrl);
    if (!url)
      return err('validation_failed', 'Enter the server address as https://… (http only for localhost).');
    const code = inviteCode.trim();
    if (!inviteCodeSchema.safeParse(code).success)
      return err('validation_failed', 'That is not an invite code (it starts with qsi-inv-).');
    const current = await readTeam(db);
    const unsent = await db.outbox.count();
    if (current && current.serverUrl !== url && unsent > 0)
      return err(
        'conflict',
        `${unsent} change${unsent === 1 ? ' has' : 's have'} not reached ${current.teamName} yet: sync or leave that team first.`,
      );
    let joined: Awaited<ReturnType<ReturnType<typeof createApi>['join']>>;
    try {
      joined = await createApi({ serverUrl: url, fetch: deps.fetch }).join({
        code,
        displayName: displayName.trim() || 'Member',
        deviceLabel: deviceLabel.slice(0, 200),
      });
    } catch (error) {
      if (error instanceof ApiError)
        return err(error.status === 0 ? 'unavailable' : 'unauthorized', error.message);
      throw error;
    }
    await deps.credentials.set({ serverUrl: url, token: joined.token });
    const at = iso();
    const team: SyncTeam = {
      serverUrl: url,
      teamId: joined.team.id,
      teamName: joined.team.name,
      memberId: joined.member.id,
      memberName: joined.member.displayName,
      role: joined.member.role,
      deviceId: joined.device.id,
      clientId: newClientId(deps.random),
      joinedAt: at,
    };
    const queued = await db.transaction('rw', applyTables(db), async () => {
      const previous = await readTeam(db);
      const sameTeam = previous?.teamId === team.teamId && previous.serverUrl === team.serverUrl;
      await db.meta.put({ key: SYNC_META.team, value: team });
      // This install's author becomes the team member (clip-store's "own vs teammate").
      await db.meta.put({ key: 'author', value: { id: team.memberId, name: team.memberName } });
      await db.meta.put({
        key: SYNC_META.status,
        value: { state: 'pending', message: 'Joined; syncing…', at, failures: 0 } satisfies SyncStatus,
      });
      if (sameTeam) return 0;
      // Another team on the same server: changes meant for the old team are not sent to the new one.
      await db.outbox.clear();
      await db.conflicts.clear();
      await db.meta.put({ key: SYNC_META.cursor, value: null });
      await db.meta.delete(SYNC_META.resyncing);
      return enqueueAllForJoin(db, at);
    });
    lastStatus = undefined;
    return ok({ team: joined.team, member: joined.member, queued });
  }

  /**
   * Leaves the team: signs the device out (best effort), forgets the token, the cursor, the
   * outbox and conflicts. Local clips stay. Refuses while changes are unsent unless `discard`.
   */
  async function leave(opts: { discardPending?: boolean } = {}): Promise<Result<{ discarded: number }>> {
    const pending = await db.outbox.count();
    if (pending > 0 && !opts.discardPending)
      return err(
        'conflict',
        `${pending} change${pending === 1 ? ' has' : 's have'} not reached the team yet.`,
      );
    const team = await readTeam(db);
    const creds = await deps.credentials.get();
    if (team && creds)
      await clientApi(team, creds)
        .signOut()
        .catch(() => undefined);
    await deps.credentials.clear();
    lastStatus = undefined;
    await db.transaction('rw', applyTables(db), async () => {
      await db.outbox.clear();
      await db.conflicts.clear();
      for (const k of [SYNC_META.team, SYNC_META.cursor, SYNC_META.resyncing, SYNC_META.rejections])
        await db.meta.delete(k);
      await db.meta.put({
        key: SYNC_META.status,
        value: {
          state: 'signed-out',
          message: 'Not part of a team: clips stay on this device.',
          at: iso(),
          failures: 0,
        } satisfies SyncStatus,
      });
    });
    return ok({ discarded: pending });
  }

  // ---------------------------------------------------------------------------- conflicts

  /** Writes the local record and queues its mutation, based on the team's versions (no sync). */
  async function resolve(id: string, choose: (c: Conflict) => Record<string, unknown> | 'theirs') {
    await db.transaction('rw', applyTables(db), async () => {
      const conflict = await db.conflicts.get(id);
      if (!conflict) return;
      const choice = choose(conflict);
      await db.conflicts.delete(id);
      const at = iso();
      if (conflict.reason === 'deleted') {
        if (choice === 'theirs' || conflict.kind !== 'clip') return;
        // The team deleted it: "keep mine" re-creates the clip under a new id (ids never resurrect).
        const parsed = clipSchema.safeParse({
          ...conflict.mine,
          ...choice,
          id: newUuid(deps.random),
          deleted: false,
          updatedAt: at,
        });
        if (!parsed.success) return;
        await db.clips.add(parsed.data);
        await enqueueClipChange(db, undefined, parsed.data);
        return;
      }
      const values = choice === 'theirs' ? conflict.theirs : choice;
      if (conflict.kind === 'clip') {
        const local = await db.clips.get(conflict.id);
        if (!local) return;
        const next = { ...local, updatedAt: at } as Clip;
        const versions = { ...local.sync?.versions };
        for (const f of conflict.fields) {
          if (!(f in values)) continue;
          (next as Record<string, unknown>)[f] = values[f];
          const v = conflict.theirsVersions[f];
          if (v !== undefined) versions[f] = v;
        }
        const parsed = clipSchema.safeParse(next);
        if (!parsed.success) return;
        const after: Clip = { ...parsed.data, sync: { seq: local.sync?.seq ?? 0, versions } };
        await db.clips.put(after);
        // Based on the team's versions, so the chosen value wins unless the field moved again.
        if (choice !== 'theirs')
          await enqueueClipChange(db, { ...local, ...conflict.theirs, sync: after.sync } as Clip, after);
        return;
      }
      const local = await db.assessments.get(conflict.id);
      if (!local) return;
      const next: Record<string, unknown> = { ...local, updatedAt: at };
      const versions = { ...local.sync?.versions };
      for (const f of conflict.fields) {
        if (!(f in values)) continue;
        if (values[f] === undefined || values[f] === '') {
          if (f === 'dueDate') delete next[f];
          else next[f] = values[f] ?? '';
        } else next[f] = values[f];
        const v = conflict.theirsVersions[f];
        if (v !== undefined) versions[f] = v;
      }
      const after = { ...next, sync: { seq: local.sync?.seq ?? 0, versions } } as Assessment;
      await db.assessments.put(after);
      if (choice !== 'theirs')
        await enqueueAssessmentChange(
          db,
          { ...local, ...conflict.theirs, sync: after.sync } as Assessment,
          after,
        );
    });
    void syncNow().catch(() => undefined);
  }

  /**
   * Admin: publishes a framework to the team (members receive it with their next pull).
   * Expected failures (not admin, offline, invalid) come back as a Result.
   */
  async function publishFramework(framework: Framework): Promise<Result<{ seq: number }>> {
    const team = await readTeam(db);
    const creds = await deps.credentials.get();
    if (!team || !creds) return err('unauthorized', 'Join a team first.');
    try {
      const res = await clientApi(team, creds).publishFramework(framework);
      if (res.result.status !== 'applied')
        return err('conflict', 'The server did not publish the framework.');
      return ok({ seq: res.result.seq });
    } catch (error) {
      if (error instanceof ApiError)
        return err(
          error.status === 403 ? 'forbidden' : error.status === 0 ? 'unavailable' : 'bad_request',
          error.message,
        );
      throw error;
    }
  }

  return {
    syncNow,
    join,
    leave,
    publishFramework,
    /** Keeps this install's values (re-sent over the team's); for `deleted`, re-creates the clip. */
    keepMine: (conflictKey: string) => resolve(conflictKey, (c) => c.mine),
    /** Takes the team's values; for `deleted`, accepts the deletion. */
    keepTheirs: (conflictKey: string) => resolve(conflictKey, () => 'theirs'),
    /** Resolves with edited values for the conflicting fields (the dashboard's "edit"). */
    resolveWith: (conflictKey: string, value: Record<string, unknown>) => resolve(conflictKey, () => value),
  };
}
export type SyncEngine = ReturnType<typeof createSyncEngine>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A url-safe client id (22 characters, 132 bits). */
export function newClientId(random: () => number): string {
  let s = '';
  for (let i = 0; i < 22; i++) s += ALPHABET[Math.floor(random() * 64)] ?? 'A';
  return s;
}

/** A UUID v4 from `random` (the simulator stays deterministic). */
export function newUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
