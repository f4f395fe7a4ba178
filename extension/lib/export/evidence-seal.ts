// Seals an evidence pack: each synced clip's content hash and the team's change-log head, in the
// format of shared/exports/evidence-seal.ts, so the server's `verify --pack` can check the pack.
import {
  clipContentText,
  type EvidenceSeal,
  evidenceSealSchema,
  SEAL_FORMAT,
} from '../../../shared/exports/evidence-seal';
import type { Clip } from '../../../shared/schemas';

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The seal over `clips`. Only clips the server has (synced, no unsent change) can be checked
 * against its log; the others are left out and counted in `unsealed`.
 */
export async function buildSeal(input: {
  teamId: string;
  logHead: { seq: number; hash: string };
  exportedAt: string;
  clips: readonly Clip[];
  /** Ids of clips with a change not yet acknowledged by the server. */
  pending?: ReadonlySet<string>;
}): Promise<{ seal: EvidenceSeal; unsealed: number }> {
  const sealed = input.clips.filter((c) => c.sync && !c.deleted && !input.pending?.has(c.id));
  const clips = await Promise.all(
    sealed.map(async (c) => ({ id: c.id, contentHash: await sha256Hex(clipContentText(c)) })),
  );
  const seal = evidenceSealSchema.parse({
    format: SEAL_FORMAT,
    teamId: input.teamId,
    exportedAt: input.exportedAt,
    logHead: input.logHead,
    clips,
  });
  return { seal, unsealed: input.clips.length - sealed.length };
}
