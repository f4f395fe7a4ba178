// Members and devices as the API shows them, the last-admin rule, and adding a device to a member
// with the team's name read back: shared by the two ways in (an invite redeemed, a sign-in code
// redeemed), which run inside the team's write transaction.
import type { DeviceInfo, MemberInfo } from '../../shared/protocol';
import { roleSchema } from '../../shared/protocol';
import type { DevicesTable, MembersTable } from './schema';
import { iso, isoOrNull, type Tx } from './sql-context';

export function memberInfo(m: MembersTable): MemberInfo {
  return {
    id: m.id,
    displayName: m.display_name,
    role: roleSchema.parse(m.role),
    status: m.status === 'removed' ? 'removed' : 'active',
    createdAt: iso(m.created_at),
  };
}

export function deviceInfo(d: DevicesTable): DeviceInfo {
  return {
    id: d.id,
    memberId: d.member_id,
    label: d.label,
    createdAt: iso(d.created_at),
    lastUsedAt: isoOrNull(d.last_used_at),
    revokedAt: isoOrNull(d.revoked_at),
  };
}

/** Inserts `member`'s new device (in use from `now`); returns it with the team's id and name. */
export async function addDevice(
  tx: Tx,
  member: MembersTable,
  input: { deviceId: string; tokenHash: string; label: string; now: number },
) {
  const device: DevicesTable = {
    id: input.deviceId,
    team_id: member.team_id,
    member_id: member.id,
    token_hash: input.tokenHash,
    label: input.label,
    created_at: input.now,
    last_used_at: input.now,
    revoked_at: null,
  };
  await tx.insertInto('devices').values(device).execute();
  const team = await tx
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('id', '=', member.team_id)
    .executeTakeFirstOrThrow();
  return { team: { id: team.id, name: team.name }, device: deviceInfo(device) };
}

/** Whether `memberId` is the team's only active admin (who may be neither demoted nor removed). */
export async function isLastAdmin(tx: Tx, teamId: string, memberId: string): Promise<boolean> {
  const admins = await tx
    .selectFrom('members')
    .select('id')
    .where('team_id', '=', teamId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .execute();
  return admins.length === 1 && admins[0]?.id === memberId;
}
