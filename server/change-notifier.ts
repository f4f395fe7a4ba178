// In-process wake-ups for POST /v1/wait: a push committed by this process wakes its waiters at
// once. Only a shortcut: other server processes on the same database are seen by polling teamSeq.

export interface ChangeNotifier {
  /** Calls `listener` on the next change of `teamId`. @returns the unsubscribe function. */
  subscribe(teamId: string, listener: () => void): () => void;
  /** Tells this process's waiters of `teamId` that its sequence may have moved. */
  notify(teamId: string): void;
}

export function createChangeNotifier(): ChangeNotifier {
  const listeners = new Map<string, Set<() => void>>();
  return {
    subscribe(teamId, listener) {
      let set = listeners.get(teamId);
      if (!set) {
        set = new Set();
        listeners.set(teamId, set);
      }
      set.add(listener);
      return () => {
        const current = listeners.get(teamId);
        current?.delete(listener);
        if (current?.size === 0) listeners.delete(teamId);
      };
    },
    notify(teamId) {
      for (const listener of [...(listeners.get(teamId) ?? [])]) listener();
    },
  };
}
