// The Word viewer's one setting: open Word documents from granted sites in Evidence Clipper
// automatically. Off by default; applies only to origins the user granted (host permission).
import browser from 'webextension-polyfill';

const AUTO_OPEN_KEY = 'docxAutoOpen';

export async function getDocxAutoOpen(): Promise<boolean> {
  return (await browser.storage.local.get(AUTO_OPEN_KEY))[AUTO_OPEN_KEY] === true;
}

export async function setDocxAutoOpen(on: boolean): Promise<void> {
  await browser.storage.local.set({ [AUTO_OPEN_KEY]: on });
}
