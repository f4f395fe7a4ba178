// One error shape for the whole product: `{ error: { code, message } }` on the wire,
// `AppError` in code. Expected failures cross contexts as `Result`, never as thrown errors.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './result';

export { type ErrorCode, err, ok, type Result } from './result';

export const errorCodeSchema = z.enum(ERROR_CODES);

export const errorBodySchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A domain error with a stable code; the server maps it to an HTTP status in one place. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Human-readable list of zod issues with their paths, e.g. `domains.0.title: title is empty`. */
export function formatIssues(error: z.ZodError, max = 20): string[] {
  const lines = error.issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more`);
  return lines;
}
