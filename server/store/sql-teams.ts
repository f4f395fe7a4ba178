// Teams, invites, members and devices: who may sync with a team, and with which token. Writes
// that must see a consistent team (redeeming a single-use invite, demoting or removing the last
// admin) run in the team's write transaction (sql-context.ts).
// About 420 lines: redeeming an invite creates a member and a device, and removing a member
// revokes its devices and invites, so these four share their row mappers and rules here.
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type InferResult } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import {
  type DeviceInfo,
  deviceLabelSchema,
  displayNameSchema,
  type InviteInfo,
  type MemberInfo,
  type Role,
  roleSchema,
  type TeamInfo,
  teamNameSchema,
} from '../../shared/protocol';
import { addDevice, deviceInfo, isLastAdmin, memberInfo } from './member-rows';
import type { DevicesTable, InvitesTable, MembersTable } from './schema';
import { type Db, iso, isoOrNull, type SqlContext, type Tx, writeTransaction } from './sql-context';
import type { DeviceAuth, TeamStore } from './store';

function inviteInfo(i: InvitesTable): InviteInfo {
  return {
    id: i.id,
    role: roleSchema.parse(i.role),
    maxUses: i.max_uses,
    uses: i.uses,
    expiresAt: iso(i.expires_at),
    createdAt: iso(i.created_at),
    revokedAt: isoOrNull(i.revoked_at),
    createdBy: i.created_by,
  };
}

/**
 * A name checked again at the store (the routes and the CLI parse first): whatever the caller,
 * no control or bidi character reaches the database. @throws AppError validation_failed.
 */
function checkedName(schema: z.ZodType<string>, value: string, what: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AppError('validation_failed', `${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/**
 * An invite lives only as long as its maker's power to invite: when a member is removed or an
 * admin demoted, the unused invites they created are revoked in the same transaction.
 */
async function revokeInvitesBy(tx: Tx, teamId: string, memberId: string, now: number) {
  await tx
    .updateTable('invites')
    .set({ revoked_at: now })
    .where('team_id', '=', teamId)
    .where('created_by', '=', memberId)
    .where('revoked_at', 'is', null)
    .whereRef('uses', '<', 'max_uses')
    .execute();
}

/** A device with its member and its team's counter row: what authenticating a request needs. */
function deviceQuery(db: Db, deviceId: string) {
  return db
    .selectFrom('devices')
    .innerJoin('members', 'members.id', 'devices.member_id')
    .innerJoin('teams', 'teams.id', 'devices.team_id')
    .select([
      'devices.id as d_id',
      'devices.team_id as d_team_id',
      'devices.member_id as d_member_id',
      'devices.token_hash as d_token_hash',
      'devices.label as d_label',
      'devices.created_at as d_created_at',
      'devices.last_used_at as d_last_used_at',
      'devices.revoked_at as d_revoked_at',
      'members.id as m_id',
      'members.team_id as m_team_id',
      'members.display_name as m_display_name',
      'members.role as m_role',
      'members.status as m_status',
      'members.created_at as m_created_at',
      'teams.id as t_id',
      'teams.name as t_name',
      'teams.seq as t_seq',
      'teams.min_valid_cursor as t_min_valid_cursor',
    ])
    .where('devices.id', '=', deviceId);
}
type DeviceRow = InferResult<ReturnType<typeof deviceQuery>>[number];

/** Marks a team's invite or device revoked; true when it exists (revoked now or before). */
async function revoke(
  ctx: SqlContext,
  table: 'invites' | 'devices',
  teamId: string,
  id: string,
): Promise<boolean> {
  const res = await ctx.db
    .updateTable(table)
    .set({ revoked_at: ctx.now() })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) > 0) return true;
  const exists = await ctx.db
    .selectFrom(table)
    .select('id')
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst();
  return exists !== undefined;
}

/** The last active admin may be neither demoted nor removed (the team would be unmanageable). */
async function assertNotLastAdmin(tx: Tx, teamId: string, memberId: string) {
  if (await isLastAdmin(tx, teamId, memberId))
    throw new AppError('conflict', 'The last admin of a team cannot be demoted or removed');
}

/** The team part of the SQL store. */
export function sqlTeamStore(ctx: SqlContext): TeamStore {
  // Built once (building it cost more than running it); its one parameter is the device id.
  const deviceSql = deviceQuery(ctx.read, '').compile().sql;
  return {
    async createTeam(rawName: string): Promise<TeamInfo> {
      const name = checkedName(teamNameSchema, rawName, 'team name');
      const id = randomUUID();
      await ctx.db
        .insertInto('teams')
        .values({ id, name, seq: 0, min_valid_cursor: 0, created_at: ctx.now(), bytes: 0, log_hash: null })
        .execute();
      return { id, name };
    },

    async listTeams() {
      const rows = await ctx.db
        .selectFrom('teams')
        .leftJoin('members', (j) =>
          j.onRef('members.team_id', '=', 'teams.id').on('members.status', '=', 'active'),
        )
        .select(['teams.id', 'teams.name', 'teams.seq'])
        .select((eb) => eb.fn.count<number>('members.id').as('members'))
        .groupBy(['teams.id', 'teams.name', 'teams.seq'])
        .orderBy('teams.name')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, seq: Number(r.seq), members: Number(r.members) }));
    },

    async getTeam(teamId: string): Promise<TeamInfo | undefined> {
      const row = await ctx.db
        .selectFrom('teams')
        .select(['id', 'name'])
        .where('id', '=', teamId)
        .executeTakeFirst();
      return row ? { id: row.id, name: row.name } : undefined;
    },

    async createInvite(
      teamId: string,
      input: { role: Role; maxUses: number; expiresAt: number; codeHash: string; createdBy: string | null },
    ): Promise<InviteInfo> {
      const row: InvitesTable = {
        id: randomUUID(),
        team_id: teamId,
        code_hash: input.codeHash,
        role: input.role,
        max_uses: input.maxUses,
        uses: 0,
        expires_at: input.expiresAt,
        created_by: input.createdBy,
        created_at: ctx.now(),
        revoked_at: null,
      };
      await ctx.db.insertInto('invites').values(row).execute();
      return inviteInfo(row);
    },

    async listInvites(teamId: string): Promise<InviteInfo[]> {
      const rows = await ctx.db
        .selectFrom('invites')
        .selectAll()
        .where('team_id', '=', teamId)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(inviteInfo);
    },

    revokeInvite(teamId: string, inviteId: string): Promise<boolean> {
      return revoke(ctx, 'invites', teamId, inviteId);
    },

    async redeemInvite(input: {
      codeHash: string;
      displayName: string;
      deviceLabel: string;
      deviceId: string;
      tokenHash: string;
    }) {
      checkedName(displayNameSchema, input.displayName, 'displayName');
      checkedName(deviceLabelSchema, input.deviceLabel, 'deviceLabel');
      const found = await ctx.db
        .selectFrom('invites')
        .select(['team_id'])
        .where('code_hash', '=', input.codeHash)
        .executeTakeFirst();
      if (!found) return undefined;
      return writeTransaction(ctx, found.team_id, async (tx) => {
        const now = ctx.now();
        // Re-read under the team lock: concurrent redemptions of a single-use code serialise here.
        const invite = await tx
          .selectFrom('invites')
          .selectAll()
          .where('code_hash', '=', input.codeHash)
          .executeTakeFirst();
        if (
          !invite ||
          invite.revoked_at !== null ||
          invite.expires_at <= now ||
          invite.uses >= invite.max_uses
        )
          return undefined;
        await tx
          .updateTable('invites')
          .set({ uses: invite.uses + 1 })
          .where('id', '=', invite.id)
          .execute();
        const member: MembersTable = {
          id: randomUUID(),
          team_id: invite.team_id,
          display_name: input.displayName,
          role: invite.role,
          status: 'active',
          created_at: now,
        };
        await tx.insertInto('members').values(member).execute();
        const added = await addDevice(tx, member, {
          deviceId: input.deviceId,
          tokenHash: input.tokenHash,
          label: input.deviceLabel,
          now,
        });
        return { team: added.team, member: memberInfo(member), device: added.device };
      });
    },

    async addDevice(
      teamId: string,
      memberId: string,
      input: { deviceId: string; tokenHash: string; label: string },
    ) {
      checkedName(deviceLabelSchema, input.label, 'device label');
      const member = await ctx.db
        .selectFrom('members')
        .select(['id', 'status'])
        .where('team_id', '=', teamId)
        .where('id', '=', memberId)
        .executeTakeFirst();
      if (member?.status !== 'active') return undefined;
      const device: DevicesTable = {
        id: input.deviceId,
        team_id: teamId,
        member_id: memberId,
        token_hash: input.tokenHash,
        label: input.label,
        created_at: ctx.now(),
        last_used_at: null,
        revoked_at: null,
      };
      await ctx.db.insertInto('devices').values(device).execute();
      return deviceInfo(device);
    },

    async findDevice(deviceId: string): Promise<DeviceAuth | undefined> {
      // The statement compiled once above, bound to this device id.
      const { rows } = await ctx.read.executeQuery<DeviceRow>(CompiledQuery.raw(deviceSql, [deviceId]));
      const row = rows[0];
      if (!row) return undefined;
      const device: DevicesTable = {
        id: row.d_id,
        team_id: row.d_team_id,
        member_id: row.d_member_id,
        token_hash: row.d_token_hash,
        label: row.d_label,
        created_at: Number(row.d_created_at),
        last_used_at: row.d_last_used_at === null ? null : Number(row.d_last_used_at),
        revoked_at: row.d_revoked_at === null ? null : Number(row.d_revoked_at),
      };
      return {
        device: { ...deviceInfo(device), tokenHash: device.token_hash },
        member: memberInfo({
          id: row.m_id,
          team_id: row.m_team_id,
          display_name: row.m_display_name,
          role: row.m_role,
          status: row.m_status,
          created_at: Number(row.m_created_at),
        }),
        team: { id: row.t_id, name: row.t_name },
        head: { seq: Number(row.t_seq), minValidCursor: Number(row.t_min_valid_cursor) },
      };
    },

    async touchDevices(deviceIds: string[]) {
      for (let i = 0; i < deviceIds.length; i += 500)
        await ctx.db
          .updateTable('devices')
          .set({ last_used_at: ctx.now() })
          .where('id', 'in', deviceIds.slice(i, i + 500))
          .execute();
    },

    async listMembers(teamId: string): Promise<MemberInfo[]> {
      const rows = await ctx.db
        .selectFrom('members')
        .selectAll()
        .where('team_id', '=', teamId)
        .orderBy('created_at')
        .execute();
      return rows.map(memberInfo);
    },

    async listDevices(teamId: string): Promise<DeviceInfo[]> {
      const rows = await ctx.db
        .selectFrom('devices')
        .selectAll()
        .where('team_id', '=', teamId)
        .orderBy('created_at')
        .execute();
      return rows.map(deviceInfo);
    },

    async setRole(teamId: string, memberId: string, role: Role) {
      return writeTransaction(ctx, teamId, async (tx) => {
        const m = await tx
          .selectFrom('members')
          .selectAll()
          .where('team_id', '=', teamId)
          .where('id', '=', memberId)
          .executeTakeFirst();
        if (!m) return undefined;
        if (m.role === 'admin' && role !== 'admin') {
          await assertNotLastAdmin(tx, teamId, memberId);
          await revokeInvitesBy(tx, teamId, memberId, ctx.now());
        }
        await tx.updateTable('members').set({ role }).where('id', '=', memberId).execute();
        return memberInfo({ ...m, role });
      });
    },

    async removeMember(teamId: string, memberId: string) {
      return writeTransaction(ctx, teamId, async (tx) => {
        const m = await tx
          .selectFrom('members')
          .selectAll()
          .where('team_id', '=', teamId)
          .where('id', '=', memberId)
          .executeTakeFirst();
        if (!m) return false;
        if (m.status === 'active' && m.role === 'admin') await assertNotLastAdmin(tx, teamId, memberId);
        const now = ctx.now();
        await tx.updateTable('members').set({ status: 'removed' }).where('id', '=', memberId).execute();
        await tx
          .updateTable('devices')
          .set({ revoked_at: now })
          .where('member_id', '=', memberId)
          .where('revoked_at', 'is', null)
          .execute();
        await revokeInvitesBy(tx, teamId, memberId, now);
        return true;
      });
    },

    revokeDevice(teamId: string, deviceId: string) {
      return revoke(ctx, 'devices', teamId, deviceId);
    },
  };
}
