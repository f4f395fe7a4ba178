// `verify --pack FILE`: checks an evidence pack's seal (shared/exports/evidence-seal.ts) against
// this server. The pack's log head must be an entry of the team's chain, the chain must verify,
// and each clip's content hash must equal the hash of that clip as the log had it at the head.
// A clip edited after the export still matches (its state at export is rebuilt from the log);
// the edit is reported.
import { clipContentText, readSeal } from '../shared/exports/evidence-seal';
import type { Store } from './store/store';
import { GENESIS_HASH, replayState } from './sync/change-log';

export interface PackReport {
  ok: boolean;
  lines: string[];
}

/** Check a pack's text (HTML holding the seal, or the seal's JSON) against the store. */
export async function verifyPack(
  store: Store,
  text: string,
  sha256: (text: string) => string,
): Promise<PackReport> {
  const seal = readSeal(text);
  if (!seal) return { ok: false, lines: ['No evidence seal found in the file (or it does not parse).'] };
  const lines: string[] = [];
  let ok = true;
  const { teamId, logHead } = seal;
  if (!(await store.getTeam(teamId)))
    return { ok: false, lines: [`Team ${teamId} of the pack is not on this server.`] };
  const chain = await store.verifyLog(teamId);
  if (chain.problem) {
    ok = false;
    lines.push(
      `The team's change log itself does not verify (seq ${chain.problem.seq}): ${chain.problem.reason}`,
    );
  }
  const at = logHead.seq === 0 ? { hash: GENESIS_HASH } : await store.logEntryAt(teamId, logHead.seq);
  if (!at || at.hash !== logHead.hash) {
    ok = false;
    lines.push(`The pack's log head (seq ${logHead.seq}) is not in this team's change log.`);
  }
  let matched = 0;
  for (const c of seal.clips) {
    const entries = await store.recordHistory(teamId, 'clip', c.id);
    const state = replayState(entries, logHead.seq);
    if (!state) {
      ok = false;
      lines.push(`clip ${c.id}: not in the team's log at seq ${logHead.seq}`);
      continue;
    }
    if (sha256(clipContentText(state)) !== c.contentHash) {
      ok = false;
      lines.push(`clip ${c.id}: content differs from the team's log at seq ${logHead.seq}`);
      continue;
    }
    matched += 1;
    const later = entries.filter((e) => e.seq > logHead.seq);
    if (later.length > 0)
      lines.push(
        `clip ${c.id}: matches; changed ${later.length} time(s) since the export (last ${later[later.length - 1]?.type} at seq ${later[later.length - 1]?.seq})`,
      );
  }
  lines.push(
    ok
      ? `OK: the pack's log head and all ${matched} clip content hash(es) match the server.`
      : `FAILED: ${matched} of ${seal.clips.length} clip(s) match.`,
  );
  return { ok, lines };
}
