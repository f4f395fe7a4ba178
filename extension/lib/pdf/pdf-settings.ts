// The viewer's one setting: open PDFs from granted sites in Evidence Clipper
// automatically. Off by default; applies only to origins the user granted (host permission).
import browser from 'webextension-polyfill';

export const PDF_AUTO_OPEN_KEY = 'pdfAutoOpen';
const AUTO_OPEN_KEY = PDF_AUTO_OPEN_KEY;

export async function getPdfAutoOpen(): Promise<boolean> {
  return (await browser.storage.local.get(AUTO_OPEN_KEY))[AUTO_OPEN_KEY] === true;
}

export async function setPdfAutoOpen(on: boolean): Promise<void> {
  await browser.storage.local.set({ [AUTO_OPEN_KEY]: on });
}
