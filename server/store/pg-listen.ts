// Cross-process change notification on PostgreSQL: every write transaction that moves a team's
// counter issues pg_notify (delivered at COMMIT, never for a rollback), and each server process
// holds one dedicated LISTEN connection, outside the pool, that reports the moves to its feed.
// When that connection is lost it reconnects with backoff and reports `status(false)` meanwhile,
// so the long-poll falls back to reading counters (docs/server.md, "Wait (long-poll)").
import { sql } from 'kysely';
import pg from 'pg';
import type { ChangeSource } from './change-feed';
import type { Tx } from './sql-context';

/** The channel name (a plain identifier: LISTEN does not take a bind parameter). */
export const CHANGE_CHANNEL = 'qsi_team_seq';

/** Shown in pg_stat_activity, so an operator (or a test) can tell the listener apart. */
export const LISTENER_APPLICATION_NAME = 'qsi-change-listener';

/** Reconnect delays: doubling from `minMs` up to `maxMs`, with jitter so processes spread out. */
export interface Backoff {
  minMs: number;
  maxMs: number;
}
const DEFAULT_BACKOFF: Backoff = { minMs: 250, maxMs: 10_000 };

/** Inside the write transaction: announce `teamId`'s new head (sent by PostgreSQL on COMMIT). */
export async function announceChange(tx: Tx, teamId: string, seq: number): Promise<void> {
  await sql`select pg_notify(${CHANGE_CHANNEL}, ${`${teamId} ${seq}`})`.execute(tx);
}

/** A payload of announceChange, or undefined for anything else. */
export function parseChange(payload: string | undefined): { teamId: string; seq: number } | undefined {
  const m = /^(\S{1,200}) (\d{1,16})$/.exec(payload ?? '');
  return m?.[1] && m[2] ? { teamId: m[1], seq: Number(m[2]) } : undefined;
}

/** The LISTEN source for a store's change feed. */
export function pgChangeSource(url: string, backoff: Backoff = DEFAULT_BACKOFF): ChangeSource {
  return (sink) => {
    let client: pg.Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    let failures = 0;
    let closed = false;

    const lost = (c: pg.Client) => {
      if (client !== c) return;
      client = undefined;
      sink.status(false);
      void c.end().catch(() => undefined);
      if (closed) return;
      const ceiling = Math.min(backoff.maxMs, backoff.minMs * 2 ** failures);
      failures += 1;
      retry = setTimeout(connect, ceiling / 2 + (Math.random() * ceiling) / 2);
      retry.unref();
    };

    function connect() {
      retry = undefined;
      if (closed) return;
      const c = new pg.Client({
        connectionString: url,
        application_name: LISTENER_APPLICATION_NAME,
        // An idle connection is otherwise never probed: a dead peer would go unnoticed.
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      });
      client = c;
      c.on('notification', (n) => {
        const change = n.channel === CHANGE_CHANNEL ? parseChange(n.payload) : undefined;
        if (change) sink.change(change.teamId, change.seq);
      });
      // An idle client reports a lost connection as 'error' and/or 'end'; both mean reconnect.
      c.on('error', () => lost(c));
      c.on('end', () => lost(c));
      c.connect()
        .then(() => c.query(`listen ${CHANGE_CHANNEL}`))
        .then(() => {
          if (client !== c) return;
          failures = 0;
          sink.status(true);
        })
        .catch(() => lost(c));
    }

    connect();
    return async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    };
  };
}
