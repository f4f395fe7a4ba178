// The device token's store as the engine sees it: in the extension a Dexie meta row
// (browser-credentials.ts), which only the background and extension pages can open; memory in
// tests. The token is never sent in a message and never reaches a web page or content script.
import { z } from 'zod';

export const deviceCredentialsSchema = z.strictObject({ serverUrl: z.string(), token: z.string() });
export type DeviceCredentials = z.infer<typeof deviceCredentialsSchema>;

/** The engine's view of the token store (a memory one in tests and the simulator). */
export interface Credentials {
  get(): Promise<DeviceCredentials | undefined>;
  set(value: DeviceCredentials): Promise<void>;
  clear(): Promise<void>;
}

/** In-memory credentials (tests, simulator). */
export function memoryCredentials(initial?: DeviceCredentials): Credentials {
  let value = initial;
  return {
    get: async () => value,
    set: async (v) => {
      value = v;
    },
    clear: async () => {
      value = undefined;
    },
  };
}
