// GET /openapi.json: an OpenAPI 3.1 description generated from the shared zod schemas, so the
// document cannot drift from what the server validates.
import { z } from 'zod';
import {
  clipHistoryResponseSchema,
  createInviteRequestSchema,
  createInviteResponseSchema,
  createSubmissionRequestSchema,
  frameworkListResponseSchema,
  joinRequestSchema,
  joinResponseSchema,
  logHeadResponseSchema,
  meResponseSchema,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  publishFrameworkRequestSchema,
  pullRequestSchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  setRoleRequestSchema,
  waitRequestSchema,
  waitResponseSchema,
} from '../shared/protocol';

function schema(s: z.ZodType, io: 'input' | 'output' = 'output'): unknown {
  try {
    return z.toJSONSchema(s, { io, unrepresentable: 'any' });
  } catch {
    return { type: 'object' };
  }
}

const errorRef = { $ref: '#/components/schemas/Error' };
const json = (s: unknown) => ({ content: { 'application/json': { schema: s } } });

function op(
  summary: string,
  opts: { body?: z.ZodType; ok?: z.ZodType; status?: string; auth?: boolean } = {},
) {
  const responses: Record<string, unknown> = {
    [opts.status ?? '200']: opts.ok ? { description: 'OK', ...json(schema(opts.ok)) } : { description: 'OK' },
    '400': { description: 'Validation failed or incompatible protocol', ...json(errorRef) },
    '429': { description: 'Rate limited (see Retry-After)', ...json(errorRef) },
  };
  if (opts.auth !== false) {
    responses['401'] = { description: 'Missing, invalid or revoked token', ...json(errorRef) };
    responses['403'] = { description: 'Role not allowed', ...json(errorRef) };
    responses['404'] = { description: 'Not found in this team', ...json(errorRef) };
  }
  return {
    summary,
    parameters: [
      { name: PROTOCOL_HEADER, in: 'header', required: true, schema: { const: String(PROTOCOL_VERSION) } },
    ],
    ...(opts.auth === false ? { security: [] } : {}),
    ...(opts.body ? { requestBody: { required: true, ...json(schema(opts.body, 'input')) } } : {}),
    responses,
  };
}

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'QSI Evidence Clipper sync server',
      version: `protocol ${PROTOCOL_VERSION}`,
      description: 'Teams, invites, device tokens and gap-free sync of clips, assessments and frameworks.',
    },
    components: {
      securitySchemes: { device: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
    security: [{ device: [] }],
    paths: {
      '/healthz': {
        get: {
          summary: 'Liveness and database check',
          security: [],
          responses: { '200': { description: 'OK' } },
        },
      },
      '/oidc/start': {
        get: {
          summary:
            "Browser page: start signing in with the organisation's identity provider (302 to it; 404 when not configured)",
          security: [],
          responses: { '302': { description: 'To the identity provider' } },
        },
      },
      '/oidc/callback': {
        get: {
          summary:
            'Browser page: the identity provider comes back here; shows a one-time qsi-sso- join code for POST /v1/join',
          security: [],
          responses: { '200': { description: 'A page with the one-time join code' } },
        },
      },
      '/v1/join': {
        post: op('Redeem an invite code (or a qsi-sso- sign-in code) for a device token', {
          body: joinRequestSchema,
          ok: joinResponseSchema,
          status: '201',
          auth: false,
        }),
      },
      '/v1/me': {
        get: op('The caller: team, member, device', { ok: meResponseSchema }),
        delete: op('Sign this device out (revoke its token)', { status: '204' }),
      },
      '/v1/push': {
        post: op('Push a batch of mutations', { body: pushRequestSchema, ok: pushResponseSchema }),
      },
      '/v1/pull': {
        post: op('Pull changes after a cursor', { body: pullRequestSchema, ok: pullResponseSchema }),
      },
      '/v1/wait': {
        post: op('Long-poll until the team has changes after a cursor (or the timeout)', {
          body: waitRequestSchema,
          ok: waitResponseSchema,
        }),
      },
      '/v1/frameworks': { get: op('List the team frameworks', { ok: frameworkListResponseSchema }) },
      '/v1/frameworks/{id}': {
        get: op('Fetch one framework'),
        put: op('Publish a framework (admin)', { body: publishFrameworkRequestSchema }),
        delete: op('Withdraw a framework (admin)'),
      },
      '/v1/submissions': {
        post: op('Freeze a submission (admin; immutable once stored)', {
          body: createSubmissionRequestSchema,
          status: '201',
        }),
      },
      '/v1/submissions/{id}': { delete: op('Delete a submission (admin; audited, leaves a tombstone)') },
      '/v1/members': { get: op('List members and devices (admin)') },
      '/v1/members/{id}': {
        patch: op('Change a role (admin)', { body: setRoleRequestSchema }),
        delete: op('Remove a member and revoke its devices (admin)', { status: '204' }),
      },
      '/v1/devices/{id}': { delete: op('Revoke a device token (admin)', { status: '204' }) },
      '/v1/invites': {
        get: op('List invites (admin)'),
        post: op('Create an invite (admin)', {
          body: createInviteRequestSchema,
          ok: createInviteResponseSchema,
          status: '201',
        }),
      },
      '/v1/invites/{id}': { delete: op('Revoke an invite (admin)', { status: '204' }) },
      '/v1/clips/{id}/history': {
        get: op("A clip's change history from the team's change log (any member)", {
          ok: clipHistoryResponseSchema,
        }),
      },
      '/v1/log/head': {
        get: op("The team's change-log head (for an evidence pack's seal)", { ok: logHeadResponseSchema }),
      },
    },
  };
}
