// Preact binding for Dexie's liveQuery: the database is the UI store (Dexie samples).
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';
import { logError } from './log-error';

/** Re-renders whenever the rows read by `query` change. `undefined` while loading. */
export function useLiveQuery<T>(query: () => Promise<T> | T, deps: unknown[] = []): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const sub = liveQuery(query).subscribe({ next: setValue, error: logError });
    return () => sub.unsubscribe();
  }, deps);
  return value;
}
