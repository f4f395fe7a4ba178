// /v1/submissions: admins freeze a submission (POST) and delete one (DELETE, audited; the record
// becomes a tombstone and its history stays in the change log). Members receive submissions with
// their pulls. A submission is never changed: a second create of its id with other content is
// refused (409), and the set hash it carries must be the hash of its set.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { createSubmissionRequestSchema, MAX_SUBMISSION_BYTES, PROTOCOL_VERSION } from '../../shared/protocol';
import { submissionSetText } from '../../shared/submissions';
import { limitBody } from '../body-limit';
import { type AppEnv, checkBodyVersion, jsonBody, type RouteDeps, requireRole } from '../http';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const submissionId = (raw: string) => {
  const parsed = z.uuid().safeParse(raw);
  if (!parsed.success) throw new AppError('not_found', 'No such submission in this team');
  return parsed.data;
};

export function submissionRoutes(deps: RouteDeps) {
  const admin = requireRole(deps.store, 'admin');
  return new Hono<AppEnv>()
    .post(
      '/',
      limitBody(MAX_SUBMISSION_BYTES, `A submission may not exceed ${MAX_SUBMISSION_BYTES} bytes`),
      admin,
      jsonBody(createSubmissionRequestSchema),
      async (c) => {
        const body = c.req.valid('json');
        checkBodyVersion(body.protocolVersion);
        const { submission } = body;
        if (sha256(submissionSetText(submission.set)) !== submission.setHash)
          throw new AppError('validation_failed', 'setHash is not the SHA-256 of the submission set');
        const actor = c.get('actor');
        const result = await deps.store.changeSubmission(actor, { create: submission });
        if (result.status === 'rejected') throw new AppError('conflict', result.message);
        if (result.status !== 'applied') throw new AppError('conflict', 'The submission was not stored');
        await deps.store.audit({
          action: 'submission.create',
          outcome: 'ok',
          teamId: actor.teamId,
          actor: actor.memberId,
          detail: submission.id,
        });
        return c.json({ protocolVersion: PROTOCOL_VERSION, result }, 201);
      },
    )
    .delete('/:id', admin, async (c) => {
      const actor = c.get('actor');
      const id = submissionId(c.req.param('id'));
      const result = await deps.store.changeSubmission(actor, { delete: id });
      // Deleting leaves a tombstone at a new seq; seq 0 means the team never had it.
      if (result.status !== 'applied' || result.seq === 0)
        throw new AppError('not_found', 'No such submission in this team');
      await deps.store.audit({
        action: 'submission.delete',
        outcome: 'ok',
        teamId: actor.teamId,
        actor: actor.memberId,
        detail: id,
      });
      return c.json({ protocolVersion: PROTOCOL_VERSION, result });
    });
}
