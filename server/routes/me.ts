// GET /v1/me: who this token is (team, member, device). DELETE /v1/me: sign this device out.
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import { type MeResponse, PROTOCOL_VERSION } from '../../shared/protocol';
import type { AppEnv, RouteDeps } from '../http';

export function meRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const actor = c.get('actor');
      const found = await deps.store.findDevice(actor.deviceId);
      if (!found) throw new AppError('unauthorized', 'Missing, invalid or revoked device token');
      const { tokenHash: _hash, ...device } = found.device;
      const res: MeResponse = {
        protocolVersion: PROTOCOL_VERSION,
        team: found.team,
        member: found.member,
        device,
      };
      return c.json(res);
    })
    .delete('/', async (c) => {
      const actor = c.get('actor');
      await deps.store.revokeDevice(actor.teamId, actor.deviceId);
      await deps.store.audit({
        action: 'device.signout',
        outcome: 'ok',
        teamId: actor.teamId,
        actor: actor.memberId,
        detail: `device ${actor.deviceId}`,
      });
      return c.body(null, 204);
    });
}
