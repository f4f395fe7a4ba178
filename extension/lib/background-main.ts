// Background wiring: owns Dexie and (in later issues) messages, sync, context menu and commands.
import browser from 'webextension-polyfill';
import { createDb } from './db';
import { seedFrameworks } from './frameworks';
import { logError } from './log-error';

export function startBackground(): void {
  const db = createDb();
  browser.runtime.onInstalled.addListener(() => {
    void seedFrameworks(db).catch(logError);
  });
  // Also on every start: a profile whose install event was missed still gets the shipped frameworks.
  void seedFrameworks(db).catch(logError);
}
