// Joining and leaving a team: redeem an invite (or the one-time code shown after signing in with
// the organisation's identity provider), keep the device token, queue the local records
// the team has not seen; or sign out and forget the team's bookkeeping (local clips stay).
import { err, ok, type Result } from '../../../shared/errors';
import { joinCodeSchema } from '../../../shared/protocol';
import type { ClipperDb } from '../db';
import { META_KEYS } from '../store/rows';
import { ApiError, createApi, type FetchLike, normaliseServerUrl } from './api';
import { applyTables } from './apply-common';
import type { Credentials, DeviceCredentials } from './credentials';
import { newClientId } from './ids';
import { enqueueAllForJoin } from './outbox';
import { readTeam, SYNC_META, type SyncStatus, type SyncTeam } from './state';

export interface MembershipDeps {
  db: ClipperDb;
  fetch: FetchLike;
  random: () => number;
  credentials: Credentials;
  /** The current instant, ISO. */
  iso: () => string;
  /** The engine's cached status is stale (the status row was rewritten here). */
  forgetStatus: () => void;
}

/** The API client of a joined device. */
export function clientApi(fetch: FetchLike, team: SyncTeam, creds: DeviceCredentials) {
  return createApi({ serverUrl: team.serverUrl, token: creds.token, fetch });
}

export function createMembership(deps: MembershipDeps) {
  const { db } = deps;

  /**
   * Joins a team: redeems the invite, keeps the device token (credentials), queues the local
   * clips the team has not seen. Re-joining the same team keeps the cursor and every unsent
   * change. Does not sync by itself (background-sync's `controls.join` schedules one). Expected
   * failures come back as a Result, never thrown.
   */
  async function join(serverUrl: string, inviteCode: string, displayName: string, deviceLabel = '') {
    const url = normaliseServerUrl(serverUrl);
    if (!url)
      return err('validation_failed', 'Enter the server address as https://… (http only for localhost).');
    const code = inviteCode.trim();
    if (!joinCodeSchema.safeParse(code).success)
      return err(
        'validation_failed',
        'That is not an invite or sign-in code (they start with qsi-inv- or qsi-sso-).',
      );
    const current = await readTeam(db);
    const unsent = await db.outbox.count();
    if (current && current.serverUrl !== url && unsent > 0)
      return err(
        'conflict',
        `${unsent} change${unsent === 1 ? ' has' : 's have'} not reached ${current.teamName} yet: sync or leave that team first.`,
      );
    let joined: Awaited<ReturnType<ReturnType<typeof createApi>['join']>>;
    try {
      joined = await createApi({ serverUrl: url, fetch: deps.fetch }).join({
        code,
        displayName: displayName.trim() || 'Member',
        deviceLabel: deviceLabel.slice(0, 200),
      });
    } catch (error) {
      if (error instanceof ApiError)
        return err(error.status === 0 ? 'unavailable' : 'unauthorized', error.message);
      throw error;
    }
    await deps.credentials.set({ serverUrl: url, token: joined.token });
    const at = deps.iso();
    const team: SyncTeam = {
      serverUrl: url,
      teamId: joined.team.id,
      teamName: joined.team.name,
      memberId: joined.member.id,
      memberName: joined.member.displayName,
      role: joined.member.role,
      deviceId: joined.device.id,
      clientId: newClientId(deps.random),
      joinedAt: at,
    };
    const queued = await db.transaction('rw', applyTables(db), async () => {
      const previous = await readTeam(db);
      const sameTeam = previous?.teamId === team.teamId && previous.serverUrl === team.serverUrl;
      await db.meta.put({ key: SYNC_META.team, value: team });
      // This install's author becomes the team member (clip-store's "own vs teammate").
      await db.meta.put({ key: META_KEYS.author, value: { id: team.memberId, name: team.memberName } });
      await db.meta.put({
        key: SYNC_META.status,
        value: { state: 'pending', message: 'Joined; syncing…', at, failures: 0 } satisfies SyncStatus,
      });
      if (sameTeam) return 0;
      // Another team on the same server: changes meant for the old team are not sent to the new one.
      await db.outbox.clear();
      await db.conflicts.clear();
      await db.meta.put({ key: SYNC_META.cursor, value: null });
      await db.meta.delete(SYNC_META.resyncing);
      return enqueueAllForJoin(db, at);
    });
    deps.forgetStatus();
    return ok({ team: joined.team, member: joined.member, queued });
  }

  /**
   * Leaves the team: signs the device out (best effort), forgets the token, the cursor, the
   * outbox and conflicts. Local clips stay. Refuses while changes are unsent unless `discard`.
   */
  async function leave(opts: { discardPending?: boolean } = {}): Promise<Result<{ discarded: number }>> {
    const pending = await db.outbox.count();
    if (pending > 0 && !opts.discardPending)
      return err(
        'conflict',
        `${pending} change${pending === 1 ? ' has' : 's have'} not reached the team yet.`,
      );
    const team = await readTeam(db);
    const creds = await deps.credentials.get();
    if (team && creds)
      await clientApi(deps.fetch, team, creds)
        .signOut()
        .catch(() => undefined);
    await deps.credentials.clear();
    deps.forgetStatus();
    await db.transaction('rw', applyTables(db), async () => {
      await db.outbox.clear();
      await db.conflicts.clear();
      for (const k of [SYNC_META.team, SYNC_META.cursor, SYNC_META.resyncing, SYNC_META.rejections])
        await db.meta.delete(k);
      await db.meta.put({
        key: SYNC_META.status,
        value: {
          state: 'signed-out',
          message: 'Not part of a team: clips stay on this device.',
          at: deps.iso(),
          failures: 0,
        } satisfies SyncStatus,
      });
    });
    return ok({ discarded: pending });
  }

  return { join, leave };
}
