// Typed client of the sync server (shared/protocol.ts). Every request states the protocol version;
// every response is parsed with zod; every failure is one ApiError (url, status, code, message).
import { z } from 'zod';
import { errorBodySchema } from '../../../shared/errors';
import {
  CLIENT_FEATURES,
  clipHistoryResponseSchema,
  FEATURES_HEADER,
  frameworkListResponseSchema,
  type JoinRequest,
  joinResponseSchema,
  logHeadResponseSchema,
  meResponseSchema,
  mutationResultSchema,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PullRequest,
  type PushRequest,
  pullResponseSchema,
  pushResponseSchema,
  waitResponseSchema,
} from '../../../shared/protocol';
import type { Framework } from '../../../shared/schemas';
import type { SubmissionContent } from '../../../shared/submissions';

/** PUT/DELETE /v1/frameworks/:id and POST/DELETE /v1/submissions answer with the write's mutation result. */
const publishFrameworkResponseSchema = z.strictObject({
  protocolVersion: z.number().int(),
  result: mutationResultSchema,
});

/** The fetch the client uses (the global one, or app.request in tests). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A failed request. `status` 0 means the server was not reached (offline, DNS, refused);
 * `code` is the server's error code, or `network` / `bad_response` / `http_<status>`.
 */
export class ApiError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds, from a Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Normalises a server address typed by the user: https, or http on the local machine only.
 * @returns the origin-plus-path without a trailing slash, or undefined when unacceptable.
 */
export function normaliseServerUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return undefined;
  if (url.username || url.password || url.search || url.hash) return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export interface ApiOptions {
  serverUrl: string;
  fetch: FetchLike;
  /** Device bearer token (absent only for join). */
  token?: string;
}

export function createApi(opts: ApiOptions) {
  const doFetch = opts.fetch;

  /** @throws ApiError */
  async function request<T extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    schema: T | undefined,
    signal?: AbortSignal,
  ): Promise<z.infer<T>> {
    const url = `${opts.serverUrl}${path}`;
    // The features header names the pull fields added since 0.1.0 that this client parses.
    const headers: Record<string, string> = {
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      [FEATURES_HEADER]: CLIENT_FEATURES.join(','),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        credentials: 'omit',
        cache: 'no-store',
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw new ApiError(url, 0, 'network', `The server could not be reached (${describe(error)})`);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      const retry = Number(res.headers.get('retry-after'));
      const parsed = errorBodySchema.safeParse(safeJson(text));
      const code = parsed.success ? parsed.data.error.code : `http_${res.status}`;
      const message = parsed.success
        ? parsed.data.error.message
        : `The server answered ${res.status} ${res.statusText}`.trim();
      throw new ApiError(
        url,
        res.status,
        code,
        message,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
      );
    }
    if (schema === undefined) return undefined as z.infer<T>;
    const parsed = schema.safeParse(safeJson(text));
    if (!parsed.success) {
      const version = (safeJson(text) as { protocolVersion?: unknown } | null)?.protocolVersion;
      if (typeof version === 'number' && version !== PROTOCOL_VERSION)
        throw new ApiError(
          url,
          res.status,
          'incompatible_protocol',
          `The server speaks protocol version ${version}; this extension speaks ${PROTOCOL_VERSION}.`,
        );
      throw new ApiError(
        url,
        res.status,
        'bad_response',
        'The server sent a response this extension cannot read',
      );
    }
    return parsed.data;
  }

  const v = { protocolVersion: PROTOCOL_VERSION };
  return {
    /** Redeem an invite code for a device token. @throws ApiError */
    join: (req: Omit<JoinRequest, 'protocolVersion'>) =>
      request('POST', '/v1/join', { ...v, ...req }, joinResponseSchema),
    /** Who this token is. @throws ApiError */
    me: () => request('GET', '/v1/me', undefined, meResponseSchema),
    /** Sign this device out (revokes the token). @throws ApiError */
    signOut: () => request('DELETE', '/v1/me', undefined, undefined),
    /** @throws ApiError */
    push: (req: Omit<PushRequest, 'protocolVersion'>) =>
      request('POST', '/v1/push', { ...v, ...req }, pushResponseSchema),
    /** @throws ApiError */
    pull: (req: Omit<PullRequest, 'protocolVersion'>) =>
      request('POST', '/v1/pull', { ...v, ...req }, pullResponseSchema),
    /**
     * Long-poll: resolves `changed:true` as soon as the team has changes after `cursor`, or
     * `changed:false` after `timeoutMs`. Aborting `signal` ends it (as an ApiError `network`).
     * @throws ApiError
     */
    wait: (cursor: string | null, timeoutMs: number, signal?: AbortSignal) =>
      request('POST', '/v1/wait', { ...v, cursor, timeoutMs }, waitResponseSchema, signal),
    /** @throws ApiError */
    frameworks: () => request('GET', '/v1/frameworks', undefined, frameworkListResponseSchema),
    /** Admin: publish (or replace) a framework for the whole team. @throws ApiError */
    publishFramework: (framework: Framework) =>
      request(
        'PUT',
        `/v1/frameworks/${encodeURIComponent(framework.id)}`,
        { ...v, framework },
        publishFrameworkResponseSchema,
      ),
    /** Who changed a clip and how, oldest first (any member; another team's clip is a 404). @throws ApiError */
    clipHistory: (clipId: string) =>
      request('GET', `/v1/clips/${encodeURIComponent(clipId)}/history`, undefined, clipHistoryResponseSchema),
    /** The team's change-log head, for an evidence pack's seal. @throws ApiError */
    logHead: () => request('GET', '/v1/log/head', undefined, logHeadResponseSchema),
    /** Admin: freeze a submission for the whole team (immutable once stored). @throws ApiError */
    createSubmission: (submission: SubmissionContent) =>
      request('POST', '/v1/submissions', { ...v, submission }, publishFrameworkResponseSchema),
    /** Admin: delete a submission (the server audits it and keeps a tombstone). @throws ApiError */
    deleteSubmission: (id: string) =>
      request(
        'DELETE',
        `/v1/submissions/${encodeURIComponent(id)}`,
        undefined,
        publishFrameworkResponseSchema,
      ),
    /** Admin: withdraw a framework from the team. @throws ApiError */
    withdrawFramework: (frameworkId: string) =>
      request(
        'DELETE',
        `/v1/frameworks/${encodeURIComponent(frameworkId)}`,
        undefined,
        publishFrameworkResponseSchema,
      ),
  };
}
export type Api = ReturnType<typeof createApi>;

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
