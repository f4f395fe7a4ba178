// Names are text: member names, device labels, team names and framework titles are shown to
// colleagues and printed by the CLI, so they may not carry control characters (a terminal escape,
// a line break forging a second log line) or bidi controls (text that reads differently from how
// it is stored). docs/threat-model.md, "Names".
import { z } from 'zod';

/**
 * C0 controls (U+0000–U+001F), DEL and C1 controls (U+007F–U+009F), the bidi embeddings and
 * overrides (U+202A–U+202E) and the bidi isolates (U+2066–U+2069).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** True when `s` holds a character {@link CONTROL_CHARS} forbids in names. */
export function hasControlChars(s: string): boolean {
  return CONTROL_CHARS.test(s);
}

export const PLAIN_TEXT_MESSAGE = 'must not contain control or bidirectional-override characters';

/** A name or label: a string of at most `max` characters with no control or bidi character. */
export function plainTextSchema(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !hasControlChars(s), PLAIN_TEXT_MESSAGE);
}

/**
 * Text from the database made safe for a terminal: every control or bidi character becomes a
 * visible `\u{…}` escape (rows written before names were checked may still hold them).
 */
export function escapeForTerminal(s: string): string {
  return s.replace(
    new RegExp(CONTROL_CHARS.source, 'gu'),
    (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`,
  );
}
