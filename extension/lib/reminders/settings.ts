// The reminder settings (window of days, toolbar badge, weekly notification), kept in
// storage.local like the other small settings: the background hears every change through
// storage.onChanged, even from a page, and pages read them without opening the database.
import browser from 'webextension-polyfill';
import { type ReminderSettings, reminderSettingsFrom } from '../../../shared/reminders';

/** storage.local key of the settings object (parsed with reminderSettingsSchema on every read). */
export const REMINDER_SETTINGS_KEY = 'reminders';
/** The optional permission the weekly notification needs; asked for only when the user turns it on. */
export const NOTIFICATIONS_PERMISSION = {
  permissions: ['notifications'],
} satisfies browser.Permissions.Permissions;

export async function getReminderSettings(): Promise<ReminderSettings> {
  return reminderSettingsFrom(
    (await browser.storage.local.get(REMINDER_SETTINGS_KEY))[REMINDER_SETTINGS_KEY],
  );
}

/** Merges `patch` into the stored settings. */
export async function setReminderSettings(patch: Partial<ReminderSettings>): Promise<ReminderSettings> {
  const next = reminderSettingsFrom({ ...(await getReminderSettings()), ...patch });
  await browser.storage.local.set({ [REMINDER_SETTINGS_KEY]: next });
  return next;
}

/** Calls `onChange` with the settings whenever they change in any context. @returns unsubscribe. */
export function watchReminderSettings(onChange: (settings: ReminderSettings) => void): () => void {
  const listener = (changes: Record<string, browser.Storage.StorageChange>, area: string) => {
    const change = changes[REMINDER_SETTINGS_KEY];
    if (area === 'local' && change) onChange(reminderSettingsFrom(change.newValue));
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
