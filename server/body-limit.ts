// Request body caps. hono/body-limit reads `c.req.raw.body`, which on @hono/node-server turns the
// lightweight request into a full web Request with a ReadableStream and an AbortSignal, on every
// request, and the body is then read through web streams. A body with a declared Content-Length is
// judged from the header alone, exactly as hono/body-limit does (Node's parser never delivers more
// bytes than declared); chunked bodies still go through hono/body-limit, which counts as they stream.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../shared/errors';

/** Refuse bodies over `maxSize` bytes with `payload_too_large` (413) and `message`. */
export function limitBody(maxSize: number, message: string): MiddlewareHandler {
  const tooLarge = (): never => {
    throw new AppError('payload_too_large', message);
  };
  const streamed = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const method = c.req.method;
    // Bodies of these methods are never read (node-server gives them none).
    if (method === 'GET' || method === 'HEAD' || method === 'TRACE') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined)
      return Number.parseInt(length || '0', 10) > maxSize ? tooLarge() : next();
    return streamed(c, next);
  };
}
