// The store's ChangeFeed: fans counter moves out to its subscribers (in practice one per process,
// the long-poll hub). The write transaction reports this process's commits; a backend may add a
// source for other processes' commits (PostgreSQL LISTEN, pg-listen.ts), started only while
// someone subscribes. It must never throw into a writer: listener errors stay here.
import type { ChangeFeed, ChangeListener } from './store';

/** Starts a cross-process source that reports into `sink`. @returns its stop function. */
export type ChangeSource = (sink: ChangeListener) => () => Promise<void>;

export interface LocalChangeFeed extends ChangeFeed, ChangeListener {
  /** Stop the cross-process source and drop every subscriber. */
  close(): Promise<void>;
}

/** A feed without `source` sees only this process's commits, and is always live. */
export function createChangeFeed(source?: ChangeSource): LocalChangeFeed {
  const listeners = new Set<ChangeListener>();
  let live = source === undefined;
  let stop: (() => Promise<void>) | undefined;
  const each = (f: (l: ChangeListener) => void) => {
    for (const l of [...listeners]) {
      try {
        f(l);
      } catch {
        // A listener's failure is its own; the commit it reports has happened.
      }
    }
  };
  const feed: LocalChangeFeed = {
    get live() {
      return live;
    },
    change(teamId, seq) {
      each((l) => l.change(teamId, seq));
    },
    status(next) {
      if (next === live) return;
      live = next;
      each((l) => l.status(next));
    },
    subscribe(listener) {
      listeners.add(listener);
      if (source && !stop) stop = source(feed);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && stop) {
          const stopping = stop;
          stop = undefined;
          live = false;
          void stopping();
        }
      };
    },
    async close() {
      listeners.clear();
      const stopping = stop;
      stop = undefined;
      await stopping?.();
    },
  };
  return feed;
}
