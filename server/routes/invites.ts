// /v1/invites (admin only): create (the code is shown once, only its hash is kept), list, revoke.
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import { createInviteRequestSchema, PROTOCOL_VERSION } from '../../shared/protocol';
import { newInviteCode } from '../auth';
import { type AppEnv, checkBodyVersion, jsonBody, type RouteDeps, requireRole } from '../http';
import { pathId } from './members';

export function inviteRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>()
    .use(requireRole(deps.store, 'admin'))
    .get('/', async (c) =>
      c.json({
        protocolVersion: PROTOCOL_VERSION,
        invites: await deps.store.listInvites(c.get('actor').teamId),
      }),
    )
    .post('/', jsonBody(createInviteRequestSchema), async (c) => {
      const body = c.req.valid('json');
      checkBodyVersion(body.protocolVersion);
      const actor = c.get('actor');
      const { code, codeHash } = newInviteCode();
      const invite = await deps.store.createInvite(actor.teamId, {
        role: body.role,
        maxUses: body.maxUses,
        expiresAt: deps.now() + body.expiresInHours * 3_600_000,
        codeHash,
        createdBy: actor.memberId,
      });
      await deps.store.audit({
        action: 'invite.create',
        outcome: 'ok',
        teamId: actor.teamId,
        actor: actor.memberId,
        detail: `${invite.id} role=${invite.role} uses=${invite.maxUses}`,
      });
      return c.json({ protocolVersion: PROTOCOL_VERSION, code, invite }, 201);
    })
    .delete('/:id', async (c) => {
      const actor = c.get('actor');
      const id = pathId(c.req.param('id'), 'invite');
      if (!(await deps.store.revokeInvite(actor.teamId, id)))
        throw new AppError('not_found', 'No such invite in this team');
      await deps.store.audit({
        action: 'invite.revoke',
        outcome: 'ok',
        teamId: actor.teamId,
        actor: actor.memberId,
        detail: id,
      });
      return c.body(null, 204);
    });
}
