// Reads a framework file in our JSON format (docs/framework-format.md). Pure: the caller reads the
// file; this turns text into a validated Framework or messages that point at the bad place.
import type { Result } from '../errors';
import { formatIssues } from '../errors';
import { type Framework, frameworkSchema } from '../schemas';

/** Largest framework file accepted, in characters (a 10 000-criterion file is about 2 MB). */
export const MAX_FRAMEWORK_JSON_CHARS = 20_000_000;

export interface FrameworkJsonError {
  code: 'bad_request' | 'validation_failed';
  /** One-line summary for a toast or heading. */
  message: string;
  /** One line per problem, each naming its path (`domains.0.standards.2.criteria.5.code: …`). */
  issues: string[];
}

/** 1-based line and column of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Offset of the first JSON syntax error in `text` (a small recursive-descent scan, used only
 * after JSON.parse failed, because engines differ in whether their message carries a position).
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const expectChar = (c: string) => {
    if (text.charAt(i) !== c) fail();
    i++;
  };
  const str = () => {
    expectChar('"');
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) fail();
      if (c === 92) {
        i++;
        const e = text.charAt(i);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(e) || e === '') fail();
      }
      i++;
    }
    fail();
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    ws();
    const c = text.charAt(i);
    if (c === '{') {
      i++;
      ws();
      if (text.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        expectChar(':');
        value(depth + 1);
        ws();
        if (text.charAt(i) === ',') i++;
        else {
          expectChar('}');
          return;
        }
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text.charAt(i) === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text.charAt(i) === ',') i++;
        else {
          expectChar(']');
          return;
        }
      }
    }
    if (c === '"') {
      str();
      return;
    }
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 400),
    );
    if (!lit) fail();
    i += lit ? lit[0].length : 0;
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail();
  } catch (at) {
    return typeof at === 'number' ? at : i;
  }
  return i;
}

function describeSyntaxError(text: string, error: unknown): string {
  const raw = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const { line, column } = lineColumn(text, jsonErrorOffset(text));
  // Engines quote a snippet of the input in the message; the position says more.
  const reason = /^Unexpected (?:token|end|non-whitespace)[^,]*/.exec(raw)?.[0] ?? 'syntax error';
  return `${reason} at line ${line} column ${column}`;
}

/**
 * Parses and validates a framework JSON document.
 * Invalid JSON → `bad_request` with line and column; a schema mismatch → `validation_failed` with
 * one message per issue naming its path. A leading byte-order mark is ignored.
 */
export function parseFrameworkJson(text: string): Result<Framework, FrameworkJsonError> {
  if (text.length > MAX_FRAMEWORK_JSON_CHARS) {
    const message = `file too large (${text.length} characters; at most ${MAX_FRAMEWORK_JSON_CHARS})`;
    return { ok: false, error: { code: 'bad_request', message, issues: [message] } };
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    const message = `not valid JSON: ${describeSyntaxError(body, error)}`;
    return { ok: false, error: { code: 'bad_request', message, issues: [message] } };
  }
  const parsed = frameworkSchema.safeParse(data);
  if (!parsed.success) {
    const issues = formatIssues(parsed.error);
    const n = parsed.error.issues.length;
    return {
      ok: false,
      error: {
        code: 'validation_failed',
        message: `not a valid framework file (${n} problem${n === 1 ? '' : 's'}): ${issues[0] ?? ''}`,
        issues,
      },
    };
  }
  return { ok: true, value: parsed.data };
}

/** Serialises a framework in the documented format (stable key order, 2-space indent). */
export function stringifyFramework(framework: Framework): string {
  return `${JSON.stringify(framework, null, 2)}\n`;
}
