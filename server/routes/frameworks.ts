// /v1/frameworks: members list and fetch the team's frameworks; admins publish (PUT) and
// withdraw (DELETE). Publishing bumps the team seq, so pulls deliver frameworks like clips.
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import { MAX_FRAMEWORK_BYTES, PROTOCOL_VERSION, publishFrameworkRequestSchema } from '../../shared/protocol';
import { slugSchema } from '../../shared/schemas';
import { limitBody } from '../body-limit';
import { type AppEnv, checkBodyVersion, jsonBody, type RouteDeps, requireRole } from '../http';

const frameworkId = (raw: string) => {
  const parsed = slugSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('not_found', 'No such framework in this team');
  return parsed.data;
};

export function frameworkRoutes(deps: RouteDeps) {
  const admin = requireRole(deps.store, 'admin');
  return new Hono<AppEnv>()
    .get('/', async (c) =>
      c.json({
        protocolVersion: PROTOCOL_VERSION,
        frameworks: await deps.store.listFrameworks(c.get('actor').teamId),
      }),
    )
    .get('/:id', async (c) => {
      const fw = await deps.store.getFramework(c.get('actor').teamId, frameworkId(c.req.param('id')));
      if (!fw) throw new AppError('not_found', 'No such framework in this team');
      return c.json({ protocolVersion: PROTOCOL_VERSION, framework: fw });
    })
    .put(
      '/:id',
      limitBody(MAX_FRAMEWORK_BYTES, `A framework may not exceed ${MAX_FRAMEWORK_BYTES} bytes`),
      admin,
      jsonBody(publishFrameworkRequestSchema),
      async (c) => {
        const body = c.req.valid('json');
        checkBodyVersion(body.protocolVersion);
        if (body.framework.id !== c.req.param('id'))
          throw new AppError('validation_failed', 'framework.id must match the id in the path');
        const actor = c.get('actor');
        const result = await deps.store.changeFramework(actor, { publish: body.framework });
        await deps.store.audit({
          action: 'framework.publish',
          outcome: 'ok',
          teamId: actor.teamId,
          actor: actor.memberId,
          detail: body.framework.id,
        });
        return c.json({ protocolVersion: PROTOCOL_VERSION, result });
      },
    )
    .delete('/:id', admin, async (c) => {
      const actor = c.get('actor');
      const id = frameworkId(c.req.param('id'));
      if (!(await deps.store.getFramework(actor.teamId, id)))
        throw new AppError('not_found', 'No such framework in this team');
      const result = await deps.store.changeFramework(actor, { withdraw: id });
      await deps.store.audit({
        action: 'framework.withdraw',
        outcome: 'ok',
        teamId: actor.teamId,
        actor: actor.memberId,
        detail: id,
      });
      return c.json({ protocolVersion: PROTOCOL_VERSION, result });
    });
}
