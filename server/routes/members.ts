// /v1/members and /v1/devices (admin only): list members and devices, change a role, remove a
// member (revokes its devices), revoke one device. Ids of another team answer 404.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { PROTOCOL_VERSION, setRoleRequestSchema } from '../../shared/protocol';
import { type AppEnv, checkBodyVersion, jsonBody, type RouteDeps, requireRole } from '../http';

/** A path id: malformed ids are as unknown as other teams' ids (404). */
export function pathId(raw: string, what: string): string {
  const parsed = z.uuid().safeParse(raw);
  if (!parsed.success) throw new AppError('not_found', `No such ${what} in this team`);
  return parsed.data;
}

export function memberRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>()
    .use(requireRole(deps.store, 'admin'))
    .get('/', async (c) => {
      const teamId = c.get('actor').teamId;
      const [members, devices] = await Promise.all([
        deps.store.listMembers(teamId),
        deps.store.listDevices(teamId),
      ]);
      return c.json({ protocolVersion: PROTOCOL_VERSION, members, devices });
    })
    .patch('/:id', jsonBody(setRoleRequestSchema), async (c) => {
      const body = c.req.valid('json');
      checkBodyVersion(body.protocolVersion);
      const actor = c.get('actor');
      const id = pathId(c.req.param('id'), 'member');
      const member = await deps.store.setRole(actor.teamId, id, body.role);
      if (!member) throw new AppError('not_found', 'No such member in this team');
      await deps.store.audit({
        action: 'member.role',
        outcome: 'ok',
        teamId: actor.teamId,
        actor: actor.memberId,
        detail: `${id} -> ${body.role}`,
      });
      return c.json({ protocolVersion: PROTOCOL_VERSION, member });
    })
    .delete('/:id', async (c) => {
      const actor = c.get('actor');
      const id = pathId(c.req.param('id'), 'member');
      if (!(await deps.store.removeMember(actor.teamId, id)))
        throw new AppError('not_found', 'No such member in this team');
      await deps.store.audit({
        action: 'member.remove',
        outcome: 'ok',
        teamId: actor.teamId,
        actor: actor.memberId,
        detail: id,
      });
      return c.body(null, 204);
    });
}

export function deviceRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().use(requireRole(deps.store, 'admin')).delete('/:id', async (c) => {
    const actor = c.get('actor');
    const id = pathId(c.req.param('id'), 'device');
    if (!(await deps.store.revokeDevice(actor.teamId, id)))
      throw new AppError('not_found', 'No such device in this team');
    await deps.store.audit({
      action: 'device.revoke',
      outcome: 'ok',
      teamId: actor.teamId,
      actor: actor.memberId,
      detail: id,
    });
    return c.body(null, 204);
  });
}
