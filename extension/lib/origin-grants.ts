// Why a site's host permission was granted. Joining a team grants the sync server's host so the
// background can reach it; that grant alone must never register the content script on the
// server's whole host. Only "Always show evidence on this site" (popup) does (docs/threat-model.md).
// Kept in storage.local: the background reacts to its changes; it holds origin patterns only.
import browser from 'webextension-polyfill';
import { z } from 'zod';
import { normaliseServerUrl } from './sync/api';

export const ORIGIN_GRANTS_KEY = 'originGrants';

const patterns = z.array(z.string().max(300)).max(1000);
const originGrantsSchema = z.object({ sync: patterns, evidence: patterns, managed: patterns.optional() });
/**
 * `sync`: granted for a team server; `evidence`: chosen for automatic highlighting; `managed`: the
 * organisation's policy chose these (the popup locks its toggle there once granted).
 */
export type OriginGrants = z.infer<typeof originGrantsSchema>;

export async function readOriginGrants(): Promise<OriginGrants> {
  const stored = (await browser.storage.local.get(ORIGIN_GRANTS_KEY))[ORIGIN_GRANTS_KEY];
  const parsed = originGrantsSchema.safeParse(stored);
  return parsed.success ? parsed.data : { sync: [], evidence: [] };
}

async function update(change: (g: OriginGrants) => OriginGrants): Promise<void> {
  const next = change(await readOriginGrants());
  await browser.storage.local.set({ [ORIGIN_GRANTS_KEY]: next });
}

const without = (list: string[], p: string) => list.filter((x) => x !== p);

/**
 * Records that `pattern` is (to be) granted so the extension can sync with a team server.
 * `grantedBefore`: the host was already granted, not for sync, when the user joined (the server
 * shares a host with intranet pages the user chose): that choice stands as an evidence grant.
 */
export const markSyncOrigin = (pattern: string, grantedBefore = false): Promise<void> =>
  update((g) => {
    if (g.sync.includes(pattern)) return g;
    const evidence = grantedBefore ? [...without(g.evidence, pattern), pattern] : g.evidence;
    return { sync: [...g.sync, pattern], evidence };
  });

/** Records the sites the organisation's policy names (lib/managed/apply-policy.ts). */
export const setManagedOrigins = (list: string[]): Promise<void> => update((g) => ({ ...g, managed: list }));

/** Records the user's "Always show evidence on this site" choice for `pattern`. */
export const setEvidenceOrigin = (pattern: string, on: boolean): Promise<void> =>
  update((g) => ({
    ...g,
    evidence: on ? [...without(g.evidence, pattern), pattern] : without(g.evidence, pattern),
  }));

/**
 * True when a granted `pattern` means "always show evidence": granted for a reason other than
 * sync, or chosen by the user as well. (Grants from before this record existed count as chosen.)
 */
export const showsEvidence = (pattern: string, grants: OriginGrants): boolean =>
  !grants.sync.includes(pattern) || grants.evidence.includes(pattern);

/** The host-permission pattern for a server address (no port: Firefox patterns have none). */
export function serverPermissionPattern(serverUrl: string): string | undefined {
  const url = normaliseServerUrl(serverUrl);
  if (!url) return undefined;
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

/** Also marks the joined team's server (a join made before this record existed). */
export async function markTeamServerOrigin(serverUrl: string | undefined): Promise<void> {
  const pattern = serverUrl ? serverPermissionPattern(serverUrl) : undefined;
  if (pattern && !(await readOriginGrants()).sync.includes(pattern)) await markSyncOrigin(pattern);
}
