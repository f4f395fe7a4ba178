// How anchoring passes are paced so the page stays responsive (no main-thread task over 50 ms,
// the browser's long-task line): time slices within a pass, and one pass at a time. Timers only,
// no DOM.
import { logError } from '../log-error';

/** Keep each anchoring slice well under the 50 ms long-task line. */
export const SLICE_MS = 12;

/**
 * Maps `items` through `each`, yielding to the event loop whenever a slice has run longer than
 * {@link SLICE_MS}; `stats.longestSlice` gets the longest slice (ms) it ran.
 */
export async function mapInSlices<T, R>(
  items: readonly T[],
  each: (item: T) => R,
  stats: { longestSlice: number } = { longestSlice: 0 },
): Promise<R[]> {
  const out: R[] = [];
  let sliceStart = performance.now();
  for (const item of items) {
    const sliceMs = performance.now() - sliceStart;
    if (sliceMs > SLICE_MS) {
      stats.longestSlice = Math.max(stats.longestSlice, sliceMs);
      await new Promise((resolve) => setTimeout(resolve, 0));
      sliceStart = performance.now();
    }
    out.push(each(item));
  }
  stats.longestSlice = Math.max(stats.longestSlice, performance.now() - sliceStart);
  return out;
}

/** Turns a pass into the function that requests one; failures are logged, never thrown. */
export type PassSchedule = (pass: () => Promise<void>) => () => Promise<void>;

/**
 * One pass at a time, and at most one more after it however many requests arrive meanwhile
 * (they share the running pass's promise): for bursts of page mutations.
 */
export const coalescedPasses: PassSchedule = (pass) => {
  let running: Promise<void> | null = null;
  let again = false;
  const request = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .catch(logError)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void request();
        }
      });
    return running;
  };
  return request;
};

/** Every request gets a pass of its own, after those before it: its caller can await the result. */
export const queuedPasses: PassSchedule = (pass) => {
  let last: Promise<void> = Promise.resolve();
  return () => {
    last = last.then(pass).catch(logError);
    return last;
  };
};
