// How the outbox is pushed: which entries go in one batch (count, bytes, one entry per record) and
// how a batch the server refuses as malformed is narrowed down until the culprit is dropped alone.
import { MAX_BATCH, MAX_PUSH_BYTES } from '../../../shared/protocol';
import { recordKeyOf } from '../../../shared/records/registry';
import type { ClipperDb } from '../db';
import type { OutboxEntry } from '../store/rows';
import { ApiError, type createApi } from './api';
import { applyPushResults } from './push-results';

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

/**
 * Pushes the whole outbox, batch by batch, applying each answer before the next batch.
 * @returns how many entries were sent. @throws the API's errors other than a malformed batch.
 */
export async function pushOutbox(
  db: ClipperDb,
  api: ReturnType<typeof createApi>,
  clientId: string,
  iso: () => string,
): Promise<number> {
  let pushed = 0;
  let maxCount = MAX_BATCH;
  for (;;) {
    const head = await db.outbox.orderBy('mutationId').limit(MAX_BATCH).toArray();
    const batch = nextBatch(head, maxCount);
    if (batch.length === 0) return pushed;
    let response: Awaited<ReturnType<typeof api.push>>;
    try {
      response = await api.push({ clientId, mutations: batch.map((e) => e.mutation) });
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
