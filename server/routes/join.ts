// POST /v1/join: redeem an invite code, or the one-time code shown after signing in with the
// organisation's identity provider (routes/oidc.ts), for a device token (the only unauthenticated write).
// Rate-limited per socket address; every failure is audited without the code itself.
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import {
  inviteCodeSchema,
  type JoinResponse,
  joinRequestSchema,
  PROTOCOL_VERSION,
  signInCodeSchema,
} from '../../shared/protocol';
import { newDeviceToken, sha256Hex } from '../auth';
import { rateKey } from '../client-address';
import {
  type AppEnv,
  checkBodyVersion,
  jsonBody,
  peerAddress,
  RateLimitedError,
  type RouteDeps,
} from '../http';

export function joinRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().post('/', jsonBody(joinRequestSchema), async (c) => {
    const ip = peerAddress(c);
    const wait = Math.max(
      deps.joinLimiter.take(`join:${rateKey(ip)}`),
      deps.joinGlobalLimiter.take('join:*'),
    );
    if (wait > 0) {
      await deps.store.audit({ action: 'invite.redeem', outcome: 'denied', detail: 'rate limited', ip });
      throw new RateLimitedError(wait);
    }
    const body = c.req.valid('json');
    checkBodyVersion(body.protocolVersion);
    const invalid = async (detail: string) => {
      await deps.store.audit({ action: 'invite.redeem', outcome: 'failed', detail, ip });
      return new AppError('unauthorized', 'This invite code is invalid, expired, revoked or used up');
    };
    const { token, deviceId, tokenHash } = newDeviceToken();
    if (signInCodeSchema.safeParse(body.code).success) {
      const redeemed = await deps.store.redeemOidcGrant({
        codeHash: sha256Hex(body.code),
        deviceLabel: body.deviceLabel,
        deviceId,
        tokenHash,
      });
      if (!redeemed.ok) {
        await deps.store.audit({
          action: 'oidc.redeem',
          outcome: 'failed',
          detail: `${redeemed.reason} code`,
          ip,
        });
        throw redeemed.reason === 'removed'
          ? new AppError('forbidden', 'An admin removed you from this team; ask them to invite you again')
          : new AppError(
              'unauthorized',
              'This sign-in code is invalid, expired or already used; sign in again',
            );
      }
      const { team, member, device, created } = redeemed;
      await deps.store.audit({
        action: 'oidc.redeem',
        outcome: 'ok',
        teamId: team.id,
        actor: member.id,
        detail: `device ${deviceId}${created ? ' new member' : ''}`,
        ip,
      });
      const res: JoinResponse = { protocolVersion: PROTOCOL_VERSION, token, team, member, device };
      return c.json(res, 201);
    }
    if (!inviteCodeSchema.safeParse(body.code).success) throw await invalid('malformed code');
    const joined = await deps.store.redeemInvite({
      codeHash: sha256Hex(body.code),
      displayName: body.displayName,
      deviceLabel: body.deviceLabel,
      deviceId,
      tokenHash,
    });
    if (!joined) throw await invalid('unknown, expired or used-up code');
    await deps.store.audit({
      action: 'invite.redeem',
      outcome: 'ok',
      teamId: joined.team.id,
      actor: joined.member.id,
      detail: `device ${deviceId}`,
      ip,
    });
    const res: JoinResponse = { protocolVersion: PROTOCOL_VERSION, token, ...joined };
    return c.json(res, 201);
  });
}
