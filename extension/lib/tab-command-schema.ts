// The schema of the messages the background sends to a tab's content script (tab-commands.ts has
// the plain check the content script runs, tested to accept exactly what this accepts).
import * as z from 'zod/mini';
import { TAB_COMMAND_TYPES as T, type TabCommand } from './tab-commands';

export const tabCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal(T[0]) }),
  z.strictObject({ type: z.literal(T[1]) }),
  z.strictObject({ type: z.literal(T[2]) }),
]);

// The plain type and the schema's must stay the same.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<z.infer<typeof tabCommandSchema>, TabCommand> = true;
void same;
