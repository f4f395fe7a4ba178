// The `Result` that carries expected failures across contexts, and the error codes, without zod:
// the web page's content script sends and receives these and must stay small (errors.ts has the
// schemas and re-exports all of this).

export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'incompatible_protocol',
  'resync_required',
  'internal',
  'unavailable',
  'quota_exceeded',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Result<T, E = { code: ErrorCode; message: string }> =
  | { ok: true; value: T }
  | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});
