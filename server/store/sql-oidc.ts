// Sign-in with the organisation's OpenID Connect provider, the stored part: sign-ins in progress
// (taken exactly once by the callback), the one-time join codes they end with, and redeeming such a
// code into a member (found again by the provider's subject, else created) and a device, in the
// team's write transaction like an invite redemption.
import { randomUUID } from 'node:crypto';
import type { Role } from '../../shared/protocol';
import { deviceLabelSchema, roleSchema } from '../../shared/protocol';
import { addDevice, isLastAdmin, memberInfo } from './member-rows';
import type { MembersTable } from './schema';
import { type SqlContext, writeTransaction } from './sql-context';
import type { OidcRedeemResult, OidcStore } from './store';

export function sqlOidcStore(ctx: SqlContext): OidcStore {
  return {
    async startOidcFlow(flow) {
      const now = ctx.now();
      await ctx.db.deleteFrom('oidc_flows').where('expires_at', '<=', now).execute();
      await ctx.db
        .deleteFrom('oidc_grants')
        .where('expires_at', '<=', now - 86_400_000)
        .execute();
      await ctx.db.insertInto('oidc_flows').values(flow).execute();
    },

    async takeOidcFlow(stateHash) {
      const row = await ctx.db
        .selectFrom('oidc_flows')
        .selectAll()
        .where('state_hash', '=', stateHash)
        .executeTakeFirst();
      if (!row) return undefined;
      // Only the caller whose DELETE removed the row may use it: a replayed callback finds nothing.
      const res = await ctx.db
        .deleteFrom('oidc_flows')
        .where('state_hash', '=', stateHash)
        .executeTakeFirst();
      if (Number(res.numDeletedRows) !== 1 || Number(row.expires_at) <= ctx.now()) return undefined;
      return { ...row, expires_at: Number(row.expires_at) };
    },

    async createOidcGrant(grant) {
      await ctx.db
        .insertInto('oidc_grants')
        .values({ ...grant, created_at: ctx.now(), used_at: null })
        .execute();
    },

    async redeemOidcGrant(input) {
      const label = deviceLabelSchema.parse(input.deviceLabel);
      const found = await ctx.db
        .selectFrom('oidc_grants')
        .select('team_id')
        .where('code_hash', '=', input.codeHash)
        .executeTakeFirst();
      if (!found) return { ok: false, reason: 'unknown' };
      return writeTransaction(ctx, found.team_id, async (tx): Promise<OidcRedeemResult> => {
        const now = ctx.now();
        const grant = await tx
          .selectFrom('oidc_grants')
          .selectAll()
          .where('code_hash', '=', input.codeHash)
          .executeTakeFirst();
        if (!grant || grant.used_at !== null || Number(grant.expires_at) <= now)
          return { ok: false, reason: 'unknown' };
        await tx
          .updateTable('oidc_grants')
          .set({ used_at: now })
          .where('code_hash', '=', grant.code_hash)
          .execute();
        const role = roleSchema.parse(grant.role) satisfies Role;
        const existing = await tx
          .selectFrom('members')
          .selectAll()
          .where('team_id', '=', grant.team_id)
          .where('oidc_subject', '=', grant.subject)
          .executeTakeFirst();
        let member: MembersTable;
        if (existing?.status === 'removed') return { ok: false, reason: 'removed' };
        if (existing) {
          // The provider's groups decide the role at every sign-in, except that the last admin stays one.
          const keep = existing.role === 'admin' && (await isLastAdmin(tx, grant.team_id, existing.id));
          member = {
            ...existing,
            role: keep ? existing.role : role,
            created_at: Number(existing.created_at),
          };
          if (member.role !== existing.role)
            await tx
              .updateTable('members')
              .set({ role: member.role })
              .where('id', '=', existing.id)
              .execute();
        } else {
          member = {
            id: randomUUID(),
            team_id: grant.team_id,
            display_name: grant.display_name,
            role,
            status: 'active',
            created_at: now,
            oidc_subject: grant.subject,
          };
          await tx.insertInto('members').values(member).execute();
        }
        const added = await addDevice(tx, member, {
          deviceId: input.deviceId,
          tokenHash: input.tokenHash,
          label,
          now,
        });
        return { ok: true, created: !existing, member: memberInfo(member), ...added };
      });
    },
  };
}
