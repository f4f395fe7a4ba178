// The watch loop: while joined, keep one long-poll (POST /v1/wait) open and run the
// normal sync as soon as the team has changes, so a teammate's edit shows in about a second.
// It never syncs by itself otherwise, backs off on every failure (never spins) and stops on
// leave, revocation or an incompatible server.
import type { ClipperDb } from '../db';
import { ApiError, createApi, type FetchLike } from './api';
import type { Credentials } from './credentials';
import { backoffDelay, type SyncEngine } from './engine';
import { readCursor, readStatus, readTeam } from './state';

/** Long-poll length asked of the server (ms); below the MV3 service worker's 30 s idle limit. */
export const WATCH_TIMEOUT_MS = 20_000;

export interface WatchDeps {
  db: ClipperDb;
  fetch: FetchLike;
  credentials: Credentials;
  /** Epoch ms. */
  now: () => number;
  /** [0, 1): backoff jitter. */
  random: () => number;
  /** The engine's coalescing sync (the single-syncer lock). */
  syncNow: SyncEngine['syncNow'];
  timeoutMs?: number;
  /** Backoff after failures: first delay and cap, ms. */
  backoff?: { baseMs: number; maxMs: number };
  /** Resolves after `ms`, or at once when `signal` aborts (tests pass a fast one). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Why a watch loop ended: aborted by its owner, or a state that needs the user (join again). */
export type WatchEnd = 'aborted' | 'signed-out' | 'revoked' | 'incompatible';

const sleepFor = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });

/**
 * Runs the loop: wait → on `changed`, syncNow → wait again, until `signal` aborts or the device
 * is no longer joined, revoked or the server incompatible.
 * 1. No team or token → `signed-out`; a stored `revoked`/`incompatible` status → that.
 * 2. Wait on the local cursor. Network or server errors → back off (Retry-After respected).
 *    401 or incompatible → one forced sync records it in the status the user sees, then stop.
 * 3. `changed:false` → wait again (early answers count as failures: a proxy must not cause a spin).
 * 4. `changed:true` → forced sync; if the cursor did not move, back off before the next wait.
 * @throws only unexpected local errors (the caller logs them).
 */
export async function watchChanges(deps: WatchDeps, signal: AbortSignal): Promise<WatchEnd> {
  const { db } = deps;
  const timeoutMs = deps.timeoutMs ?? WATCH_TIMEOUT_MS;
  const backoff = deps.backoff ?? { baseMs: 5_000, maxMs: 60_000 };
  const sleep = deps.sleep ?? sleepFor;
  let failures = 0;
  const pause = async (retryAfterMs = 0) => {
    failures += 1;
    const delay = backoffDelay(failures, deps.random, backoff.baseMs, backoff.maxMs);
    await sleep(Math.max(retryAfterMs, delay), signal);
  };
  const ended = (state: string): WatchEnd | undefined =>
    state === 'revoked' || state === 'incompatible' || state === 'signed-out' ? state : undefined;

  while (!signal.aborted) {
    // 1.
    const team = await readTeam(db);
    const creds = team ? await deps.credentials.get() : undefined;
    if (!team || !creds) return 'signed-out';
    const stopped = ended((await readStatus(db))?.state ?? '');
    if (stopped && stopped !== 'signed-out') return stopped;
    const cursor = await readCursor(db);
    const api = createApi({ serverUrl: team.serverUrl, token: creds.token, fetch: deps.fetch });
    // 2.
    const started = deps.now();
    let changed: boolean;
    try {
      changed = (await api.wait(cursor, timeoutMs, signal)).changed;
    } catch (error) {
      if (signal.aborted) return 'aborted';
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401 || error.code === 'incompatible_protocol') {
        const end = ended((await deps.syncNow({ force: true })).state);
        if (end) return end;
      }
      await pause(error.retryAfter ? error.retryAfter * 1000 : 0);
      continue;
    }
    if (signal.aborted) return 'aborted';
    // 3.
    if (!changed) {
      if (deps.now() - started < timeoutMs / 2) await pause();
      else failures = 0;
      continue;
    }
    // 4.
    const outcome = await deps.syncNow({ force: true });
    if (signal.aborted) return 'aborted';
    const end = ended(outcome.state);
    if (end) return end;
    if ((await readCursor(db)) === cursor) await pause();
    else failures = 0;
  }
  return 'aborted';
}
