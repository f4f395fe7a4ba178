// Whether the organisation's policy sets a viewer's "open automatically" setting: the viewers lock
// their checkbox then. The background writes it (apply-policy.ts) beside the settings themselves
// in storage.local; it says only *that* a value is managed, nothing else about the policy.
import browser from 'webextension-polyfill';

export const AUTO_OPEN_LOCK_KEY = 'managedAutoOpen';
export type AutoOpenKind = 'pdf' | 'word';

export async function readAutoOpenLock(kind: AutoOpenKind): Promise<boolean> {
  const value: unknown = (await browser.storage.local.get(AUTO_OPEN_LOCK_KEY))[AUTO_OPEN_LOCK_KEY];
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[kind] === true;
}
