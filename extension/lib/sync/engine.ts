// The sync engine loop: one syncer at a time pushes the outbox (batching.ts) and pulls pages into
// Dexie (pull-page.ts), with backoff and a persisted status; it wires in membership.ts (join/leave)
// and conflicts.ts (resolution). Runs in the background only; it never sees a page and never hands
// the device token to one.

import { z } from 'zod';
import { err, ok, type Result } from '../../../shared/errors';
import type { MutationResult } from '../../../shared/protocol';
import type { Framework } from '../../../shared/schemas';
import type { SubmissionContent } from '../../../shared/submissions';
import type { ClipperDb } from '../db';
import { createLocalWrites } from '../store/local-writes';
import type { Conflict } from '../store/rows';
import { ApiError, type createApi, type FetchLike } from './api';
import { pushOutbox } from './batching';
import { type Choice, resolveConflict } from './conflicts';
import type { Credentials, DeviceCredentials } from './credentials';
import { newUuid } from './ids';
import { clientApi, createMembership } from './membership';
import { applyPullPage, finishResync } from './pull-page';
import {
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

  const clientApiOf = (team: SyncTeam, creds: DeviceCredentials) => clientApi(deps.fetch, team, creds);
  /** Ids from the injected random source, so a simulated run replays exactly. */
  const newId = () => newUuid(deps.random);
  const writes = createLocalWrites({
    db,
    now: iso,
    newId,
    onCommitted: () => void syncNow().catch(() => undefined),
  });
  const membership = createMembership({
    ...deps,
    iso,
    forgetStatus: () => {
      lastStatus = undefined;
    },
  });

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
    const api = clientApiOf(team, creds);
    let pushed = 0;
    let pulled = 0;
    let pushRefused: ApiError | undefined;
    const tryPush = async () => {
      if (pushRefused) return 0;
      try {
        return await pushOutbox(db, api, team.clientId, iso);
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

  /** Writes the chosen values through the local-write layer, then syncs (its onCommitted). */
  const resolve = (conflictKey: string, choose: (c: Conflict) => Choice) =>
    resolveConflict({ db, writes, now: iso, newId }, conflictKey, choose);

  /**
   * Admin: publishes a framework to the team (members receive it with their next pull).
   * Expected failures (not admin, offline, invalid) come back as a Result.
   */
  function publishFramework(framework: Framework): Promise<Result<{ seq: number }>> {
    return adminWrite((api) => api.publishFramework(framework), 'The server did not publish the framework.');
  }

  /** Admin: freezes a submission on the server (members receive it with their next pull). */
  function createSubmission(submission: SubmissionContent): Promise<Result<{ seq: number }>> {
    return adminWrite((api) => api.createSubmission(submission), 'The server did not store the submission.');
  }

  /** Admin: deletes a submission (audited by the server; a tombstone reaches every member). */
  function deleteSubmission(id: string): Promise<Result<{ seq: number }>> {
    return adminWrite((api) => api.deleteSubmission(id), 'The server did not delete the submission.');
  }

  /** One admin write through the REST API; expected failures come back as a Result. */
  async function adminWrite(
    write: (api: ReturnType<typeof clientApiOf>) => Promise<{ result: MutationResult }>,
    refused: string,
  ): Promise<Result<{ seq: number }>> {
    const team = await readTeam(db);
    const creds = await deps.credentials.get();
    if (!team || !creds) return err('unauthorized', 'Join a team first.');
    try {
      const res = await write(clientApiOf(team, creds));
      if (res.result.status !== 'applied') return err('conflict', refused);
      return ok({ seq: res.result.seq });
    } catch (error) {
      if (error instanceof ApiError)
        return err(
          error.status === 403
            ? 'forbidden'
            : error.status === 0
              ? 'unavailable'
              : error.status === 409
                ? 'conflict'
                : 'bad_request',
          error.message,
        );
      throw error;
    }
  }

  /** Runs one read against the team's server; "unavailable" when it cannot be reached. */
  async function teamRead<T>(read: (api: ReturnType<typeof clientApiOf>) => Promise<T>): Promise<Result<T>> {
    const team = await readTeam(db);
    const creds = await deps.credentials.get();
    if (!team || !creds) return err('unauthorized', 'Join a team first.');
    try {
      return ok(await read(clientApiOf(team, creds)));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 0)
        return err('unavailable', 'The team server could not be reached. Try again when online.');
      if (error.status === 404) return err('not_found', 'The team server has no record of this clip.');
      if (error.status === 401) return err('unauthorized', error.message);
      return err('bad_request', error.message);
    }
  }

  return {
    syncNow,
    /** The clip's history as the team server logged it. */
    clipHistory: (clipId: string) => teamRead((api) => api.clipHistory(clipId).then((r) => r.entries)),
    /** The team's change-log head (for an evidence pack's seal) and the team's id. */
    logHead: () =>
      teamRead(async (api) => {
        const { seq, hash } = await api.logHead();
        return { seq, hash };
      }),
    join: membership.join,
    leave: membership.leave,
    publishFramework,
    createSubmission,
    deleteSubmission,
    /** Keeps this install's values (re-sent over the team's); for `deleted`, re-creates the clip. */
    keepMine: (conflictKey: string) => resolve(conflictKey, (c) => c.mine),
    /** Takes the team's values; for `deleted`, accepts the deletion. */
    keepTheirs: (conflictKey: string) => resolve(conflictKey, () => 'theirs'),
    /** Resolves with edited values for the conflicting fields (the dashboard's "edit"). */
    resolveWith: (conflictKey: string, value: Record<string, unknown>) => resolve(conflictKey, () => value),
  };
}
export type SyncEngine = ReturnType<typeof createSyncEngine>;
