// What an organisation may set by policy (storage.managed), validated field by field: a bad value
// is reported and left out, the good ones still apply. Pure (no browser API), so it tests in Node.
// The schema Chrome and Edge check policies against is extension/public/managed-schema.json.
import { z } from 'zod';
import { inviteCodeSchema } from '../../../shared/protocol';
import { slugSchema } from '../../../shared/schemas';
import { normaliseServerUrl } from '../sync/api';

/** The policy after validation. `inviteCode` never leaves the background (see managedViewOf). */
export interface ManagedPolicy {
  serverUrl?: string;
  inviteCode?: string;
  /** The framework's address as set, and the id it names on the team server. */
  defaultFramework?: { url: string; id: string };
  /** Host-permission patterns, `https://intranet.example.nhs.uk/*`. */
  evidenceSites?: string[];
  autoOpenPdf?: boolean;
  autoOpenWord?: boolean;
}

export const POLICY_KEYS = [
  'serverUrl',
  'inviteCode',
  'defaultFramework',
  'evidenceSites',
  'autoOpenPdf',
  'autoOpenWord',
] as const;

/** What extension pages are shown: the policy without the invite code, and the problems found. */
export const managedViewSchema = z.strictObject({
  serverUrl: z.string().optional(),
  hasInvite: z.boolean(),
  defaultFramework: z.strictObject({ url: z.string(), id: z.string() }).optional(),
  evidenceSites: z.array(z.string()).optional(),
  autoOpenPdf: z.boolean().optional(),
  autoOpenWord: z.boolean().optional(),
  /** One line per policy value that was refused, saying which and why (never the value itself). */
  problems: z.array(z.string()),
});
export type ManagedView = z.infer<typeof managedViewSchema>;

export const NO_POLICY: ManagedView = { hasInvite: false, problems: [] };

/** A site's host-permission pattern: http(s) origin only, no path, query, port or wildcard. */
export function sitePattern(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.search || url.hash || url.port) return undefined;
  if (url.pathname !== '/' || url.hostname.includes('*')) return undefined;
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * A framework address on the team server: `<serverUrl>/v1/frameworks/<id>`. @returns the id, or
 * undefined when the address is not on that server or names no framework.
 */
export function frameworkIdFromUrl(raw: string, serverUrl: string): string | undefined {
  const prefix = `${serverUrl}/v1/frameworks/`;
  if (!raw.startsWith(prefix)) return undefined;
  const rest = raw.slice(prefix.length);
  let id: string;
  try {
    id = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  return slugSchema.safeParse(id).success ? id : undefined;
}

const listSchema = z.array(z.string().max(300)).max(200);

/**
 * Validates a managed-storage object (what `storage.managed.get()` returned). Unknown keys are
 * reported too: a misspelt policy name would otherwise do nothing, silently.
 */
export function parseManagedPolicy(raw: unknown): { policy: ManagedPolicy; problems: string[] } {
  const policy: ManagedPolicy = {};
  const problems: string[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { policy, problems: raw === undefined || raw === null ? [] : ['The policy is not an object.'] };
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!(POLICY_KEYS as readonly string[]).includes(key)) problems.push(`Unknown policy "${key}": ignored.`);

  if (o.serverUrl !== undefined) {
    const url = typeof o.serverUrl === 'string' ? normaliseServerUrl(o.serverUrl) : undefined;
    if (url) policy.serverUrl = url;
    else problems.push('serverUrl is not an https:// address (http only for localhost): ignored.');
  }
  if (o.inviteCode !== undefined) {
    const code = typeof o.inviteCode === 'string' ? o.inviteCode.trim() : undefined;
    if (!code || !inviteCodeSchema.safeParse(code).success)
      problems.push('inviteCode is not an invite code (qsi-inv-…): ignored.');
    else if (!policy.serverUrl) problems.push('inviteCode needs a valid serverUrl beside it: ignored.');
    else policy.inviteCode = code;
  }
  if (o.defaultFramework !== undefined) {
    const id =
      typeof o.defaultFramework === 'string' && policy.serverUrl
        ? frameworkIdFromUrl(o.defaultFramework.trim(), policy.serverUrl)
        : undefined;
    if (id && typeof o.defaultFramework === 'string')
      policy.defaultFramework = { url: o.defaultFramework.trim(), id };
    else
      problems.push(
        'defaultFramework must be a framework address on serverUrl (…/v1/frameworks/<id>): ignored.',
      );
  }
  if (o.evidenceSites !== undefined) {
    const list = listSchema.safeParse(o.evidenceSites);
    if (!list.success) problems.push('evidenceSites must be a list of site addresses: ignored.');
    else {
      const sites: string[] = [];
      for (const [i, site] of list.data.entries()) {
        const pattern = sitePattern(site);
        if (!pattern) problems.push(`evidenceSites[${i}] is not a site address (https://host): ignored.`);
        else if (!sites.includes(pattern)) sites.push(pattern);
      }
      policy.evidenceSites = sites;
    }
  }
  for (const key of ['autoOpenPdf', 'autoOpenWord'] as const) {
    if (o[key] === undefined) continue;
    if (typeof o[key] === 'boolean') policy[key] = o[key];
    else problems.push(`${key} must be true or false: ignored.`);
  }
  return { policy, problems };
}

/** The page-safe view of a validated policy. */
export function managedViewOf(policy: ManagedPolicy, problems: string[]): ManagedView {
  const { inviteCode, ...rest } = policy;
  return { ...rest, hasInvite: inviteCode !== undefined, problems };
}
