// Messages the background sends to a tab's content script. The zod schema (tab-command-schema.ts)
// is the definition the background and messaging use; the web page's content script, which every
// granted page loads, checks them with `parseTabCommand`, a plain check that accepts exactly what
// the schema accepts (tests/extension/tab-commands.test.ts), so that page load carries no zod.

/** The commands, in the schema's order. */
export const TAB_COMMAND_TYPES = ['clipSelection', 'refreshHighlights', 'getPageStatus'] as const;

/** One command (the schema's type; spelled out here so this module imports nothing). */
export interface TabCommand {
  type: (typeof TAB_COMMAND_TYPES)[number];
}

/** The command, or null when `message` is not exactly one (as `tabCommandSchema` decides). */
export function parseTabCommand(message: unknown): TabCommand | null {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  // As the strict schema: no own key but `type`, and `type` read as a property.
  if (Object.keys(message).some((key) => key !== 'type')) return null;
  const type: unknown = (message as { type?: unknown }).type;
  return TAB_COMMAND_TYPES.find((t) => t === type) ? { type: type as TabCommand['type'] } : null;
}
