// The long-poll fan-out: every POST /v1/wait of this process waits here, grouped by team, and is
// woken by the store's one change feed (this process's commits at once; on PostgreSQL every
// process's, through LISTEN/NOTIFY). A safety net re-reads the counters of the teams that have
// waiters — one query per interval for all of them, only while there are waiters — in case a
// notification was missed. A waiter holds no transaction and no connection, only a timer.
// See docs/server.md, "Wait (long-poll)".
import type { Store } from './store/store';

/** The safety net's interval while the change feed is live. */
export const SAFETY_NET_MS = 5_000;
/** Its interval while the feed may be missing other processes' changes (listener reconnecting). */
export const FALLBACK_MS = 1_000;

export interface WaitOutcome {
  changed: boolean;
  /** The team's head as this process knows it. */
  seq: number;
}

export interface WaitHubOptions {
  store: Pick<Store, 'changes' | 'teamSeqs'>;
  safetyNetMs?: number;
  fallbackMs?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface WaitHub {
  /**
   * Resolves `{ changed: true }` once `teamId`'s head passes `after` (at once when `head`, the head
   * already read for this request, or a later one heard here does), `{ changed: false }` after
   * `timeoutMs`, when `signal` aborts, or when the hub closes. Never rejects.
   */
  wait(
    teamId: string,
    after: number,
    head: number,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<WaitOutcome>;
  /** What it holds now (tests check that nothing leaks). */
  stats(): { teams: number; waiters: number; timers: number; abortListeners: number };
  /** Answers every waiter `changed: false` (and any later wait at once), stops the safety net. */
  close(): void;
}

interface Waiter {
  after: number;
  finish(changed: boolean): void;
}

export function createWaitHub(opts: WaitHubOptions): WaitHub {
  const { store } = opts;
  const safetyNetMs = opts.safetyNetMs ?? SAFETY_NET_MS;
  const fallbackMs = Math.min(safetyNetMs, opts.fallbackMs ?? FALLBACK_MS);
  const log = opts.log ?? (() => {});
  const waiting = new Map<string, Set<Waiter>>();
  /** The newest head heard per team, waiters or not: a change heard between a request's token
   *  lookup and its registration here is not lost. One number per team that changed. */
  const heads = new Map<string, number>();
  let timers = 0;
  let abortListeners = 0;
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping = false;
  let closed = false;

  function advance(teamId: string, seq: number) {
    if (seq <= (heads.get(teamId) ?? -1)) return;
    heads.set(teamId, seq);
    const set = waiting.get(teamId);
    if (set) for (const w of [...set]) if (seq > w.after) w.finish(true);
  }

  function schedule(delay = store.changes.live ? safetyNetMs : fallbackMs) {
    if (sweepTimer || sweeping || closed || waiting.size === 0) return;
    sweepTimer = setTimeout(sweep, delay);
    sweepTimer.unref();
  }
  function stopSweep() {
    clearTimeout(sweepTimer);
    sweepTimer = undefined;
  }
  function reschedule(delay: number) {
    stopSweep();
    schedule(delay);
  }

  /** One read of the counters of every team with waiters; then the next, one interval later. */
  async function sweep() {
    sweepTimer = undefined;
    if (closed || waiting.size === 0) return;
    sweeping = true;
    try {
      for (const [teamId, seq] of await store.teamSeqs([...waiting.keys()])) advance(teamId, seq);
    } catch (e) {
      log({ level: 'error', msg: 'wait safety net: reading team counters failed', error: String(e) });
    } finally {
      sweeping = false;
      schedule();
    }
  }

  const unsubscribe = store.changes.subscribe({
    change: advance,
    status(live) {
      log({
        level: live ? 'info' : 'error',
        msg: live
          ? 'change listener connected: long-polls wake on notifications'
          : `change listener lost: long-polls fall back to reading counters every ${fallbackMs} ms`,
      });
      // Back: what moved while it was away was never announced here, so read now.
      reschedule(live ? 0 : fallbackMs);
    },
  });

  return {
    wait(teamId, after, head, timeoutMs, signal) {
      const known = Math.max(head, heads.get(teamId) ?? head);
      if (known > after) return Promise.resolve({ changed: true, seq: known });
      if (closed || signal.aborted) return Promise.resolve({ changed: false, seq: known });
      return new Promise<WaitOutcome>((resolve) => {
        let set = waiting.get(teamId);
        if (!set) {
          set = new Set();
          waiting.set(teamId, set);
        }
        const own = set;
        const waiter: Waiter = { after, finish };
        const timer = setTimeout(() => finish(false), timeoutMs);
        const onAbort = () => finish(false);
        own.add(waiter);
        timers += 1;
        signal.addEventListener('abort', onAbort);
        abortListeners += 1;
        schedule();

        function finish(changed: boolean) {
          if (!own.delete(waiter)) return;
          if (own.size === 0 && waiting.get(teamId) === own) waiting.delete(teamId);
          clearTimeout(timer);
          timers -= 1;
          signal.removeEventListener('abort', onAbort);
          abortListeners -= 1;
          if (waiting.size === 0) stopSweep();
          resolve({ changed, seq: Math.max(known, heads.get(teamId) ?? known) });
        }
      });
    },
    stats() {
      let waiters = 0;
      for (const set of waiting.values()) waiters += set.size;
      return { teams: waiting.size, waiters, timers: timers + (sweepTimer ? 1 : 0), abortListeners };
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      stopSweep();
      for (const set of [...waiting.values()]) for (const w of [...set]) w.finish(false);
    },
  };
}
