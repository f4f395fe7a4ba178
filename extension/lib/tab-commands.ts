// Messages the background sends to a tab's content script. The zod schema is the definition; the
// web page's content script, which every granted page loads, checks them with `parseTabCommand`,
// a plain check that accepts exactly what the schema accepts (tests/extension/tab-commands.test.ts),
// so that page load does not carry zod.
import * as z from 'zod/mini';

const TYPES = ['clipSelection', 'refreshHighlights', 'getPageStatus'] as const;

export const tabCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal(TYPES[0]) }),
  z.strictObject({ type: z.literal(TYPES[1]) }),
  z.strictObject({ type: z.literal(TYPES[2]) }),
]);
export type TabCommand = z.infer<typeof tabCommandSchema>;

/** The command, or null when `message` is not exactly one (as `tabCommandSchema` decides). */
export function parseTabCommand(message: unknown): TabCommand | null {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  // As the strict schema: no own key but `type`, and `type` read as a property.
  if (Object.keys(message).some((key) => key !== 'type')) return null;
  const type: unknown = (message as { type?: unknown }).type;
  return TYPES.find((t) => t === type) ? { type: type as TabCommand['type'] } : null;
}
