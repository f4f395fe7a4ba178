// The Word viewer's one setting: open Word documents from granted sites in Evidence Clipper
// automatically. Off by default; applies only to origins the user granted (host permission).
// Read by the background and by content scripts (which answer link clicks).
import browser from 'webextension-polyfill';
import { E2E_DOCX_AUTO_OPEN } from '../config';

export const DOCX_AUTO_OPEN_KEY = 'docxAutoOpen';
const AUTO_OPEN_KEY = DOCX_AUTO_OPEN_KEY;

/** The stored setting's value: on only when stored as true (or, unset, in the Firefox test build). */
export function docxAutoOpenFrom(stored: unknown): boolean {
  return stored === undefined ? E2E_DOCX_AUTO_OPEN : stored === true;
}

export async function getDocxAutoOpen(): Promise<boolean> {
  return docxAutoOpenFrom((await browser.storage.local.get(AUTO_OPEN_KEY))[AUTO_OPEN_KEY]);
}

export async function setDocxAutoOpen(on: boolean): Promise<void> {
  await browser.storage.local.set({ [AUTO_OPEN_KEY]: on });
}
