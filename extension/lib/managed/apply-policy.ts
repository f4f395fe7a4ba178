// Applies the organisation's policy (storage.managed) in the background, at start and whenever it
// changes: auto-open settings, sites to show evidence on, the default framework, the team server.
// Only the background reads storage.managed; pages get the invite-free view (managed-view.ts).
import browser from 'webextension-polyfill';
import type { ClipperDb } from '../db';
import { DOCX_AUTO_OPEN_KEY } from '../docx/docx-settings';
import { setActiveFramework } from '../frameworks';
import { logError } from '../log-error';
import {
  markSyncOrigin,
  readOriginGrants,
  serverPermissionPattern,
  setEvidenceOrigin,
  setManagedOrigins,
} from '../origin-grants';
import { PDF_AUTO_OPEN_KEY } from '../pdf/pdf-settings';
import { META_KEYS } from '../store/rows';
import { readTeam } from '../sync/state';
import { AUTO_OPEN_LOCK_KEY } from './auto-open-lock';
import { type ManagedPolicy, type ManagedView, managedViewOf, parseManagedPolicy } from './policy';

/** What applying needs from sync: joining the managed team again after the policy moved it. */
export interface ManagedSync {
  join(
    serverUrl: string,
    inviteCode: string,
    displayName: string,
  ): Promise<{ ok: boolean; error?: { message: string } }>;
}

/**
 * Reads and validates the policy. Firefox without a policy for this extension rejects the read
 * ("Managed storage manifest not found"): that means "no policy", not an error to report.
 */
export async function readManagedPolicy(): Promise<{ policy: ManagedPolicy; problems: string[] }> {
  let raw: unknown = {};
  try {
    raw = await browser.storage.managed.get();
  } catch {
    raw = {};
  }
  return parseManagedPolicy(raw);
}

async function applyAutoOpen(policy: ManagedPolicy): Promise<void> {
  const wanted: Record<string, unknown> = {
    [AUTO_OPEN_LOCK_KEY]: { pdf: policy.autoOpenPdf !== undefined, word: policy.autoOpenWord !== undefined },
  };
  if (policy.autoOpenPdf !== undefined) wanted[PDF_AUTO_OPEN_KEY] = policy.autoOpenPdf;
  if (policy.autoOpenWord !== undefined) wanted[DOCX_AUTO_OPEN_KEY] = policy.autoOpenWord;
  const keys = Object.keys(wanted);
  const stored = await browser.storage.local.get(keys);
  if (keys.some((k) => JSON.stringify(stored[k]) !== JSON.stringify(wanted[k])))
    await browser.storage.local.set(wanted);
}

/**
 * Sites the organisation chose: shown as "always show evidence" once the browser has granted the
 * extension the host. Browsers have no policy that grants an optional host permission, so a site
 * not yet granted waits for the user's Allow (the Team page offers it).
 */
async function applyEvidenceSites(policy: ManagedPolicy): Promise<void> {
  const grants = await readOriginGrants();
  const sites = policy.evidenceSites ?? [];
  if ((grants.managed ?? []).join(' ') !== sites.join(' ')) await setManagedOrigins(sites);
  for (const pattern of sites) {
    if (grants.evidence.includes(pattern)) continue;
    if (await browser.permissions.contains({ origins: [pattern] })) await setEvidenceOrigin(pattern, true);
  }
}

async function applyFramework(db: ClipperDb, policy: ManagedPolicy): Promise<void> {
  const id = policy.defaultFramework?.id;
  if (!id || !(await db.frameworks.get(id))) return; // arrives with the first pull from the team
  if ((await db.meta.get(META_KEYS.activeFramework))?.value !== id) await setActiveFramework(db, id);
}

/**
 * The policy names another server than the one joined: join the managed team as the same member
 * name, when the host is granted and nothing waits to be sent (membership refuses otherwise, and
 * the Team page says why). Not joined at all: the user joins from the Team page (their name).
 */
async function applyTeam(db: ClipperDb, policy: ManagedPolicy, sync: ManagedSync | undefined): Promise<void> {
  const { serverUrl, inviteCode } = policy;
  if (!sync || !serverUrl || !inviteCode) return;
  const team = await readTeam(db);
  if (!team || team.serverUrl === serverUrl) return;
  if ((await db.outbox.count()) > 0) return;
  const pattern = serverPermissionPattern(serverUrl);
  if (!pattern || !(await browser.permissions.contains({ origins: [pattern] }))) return;
  // Granted before, not for sync: as in the join form, that choice stands as an evidence grant.
  if (!(await readOriginGrants()).sync.includes(pattern)) await markSyncOrigin(pattern, true);
  const joined = await sync.join(serverUrl, inviteCode, team.memberName);
  if (!joined.ok) console.warn(`[managed] joining ${serverUrl} failed: ${joined.error?.message ?? ''}`);
}

/** Applies the current policy once; @returns the page-safe view it stored. */
export async function applyManagedPolicy(db: ClipperDb, sync?: ManagedSync): Promise<ManagedView> {
  const { policy, problems } = await readManagedPolicy();
  for (const p of problems) console.warn(`[managed] ${p}`);
  const view = managedViewOf(policy, problems);
  // Written only when it changed: open dashboards re-read on every write of this row.
  const stored = (await db.meta.get(META_KEYS.managed))?.value;
  if (JSON.stringify(stored) !== JSON.stringify(view))
    await db.meta.put({ key: META_KEYS.managed, value: view });
  await applyAutoOpen(policy);
  await applyEvidenceSites(policy);
  await applyFramework(db, policy);
  await applyTeam(db, policy, sync);
  return view;
}

/**
 * Applies the policy now, when it changes, when a host is granted (a managed site the user just
 * allowed) and when asked (after a sync, which may bring the default framework). @returns reapply.
 */
export function watchManagedPolicy(db: ClipperDb, sync?: ManagedSync): () => void {
  let running = Promise.resolve();
  const reapply = () => {
    running = running.then(() => applyManagedPolicy(db, sync).then(() => undefined)).catch(logError);
  };
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') reapply();
  });
  browser.permissions.onAdded.addListener(reapply);
  reapply();
  return reapply;
}
