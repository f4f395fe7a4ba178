// The clip UI's shadow root is closed, so a page's script cannot reach our buttons and fields
// (`host.shadowRoot` is null to it). Closed mode is not isolation from a determined page (the
// page still shares the DOM); untrusted input is refused as well (trusted-input.ts).
import browser from 'webextension-polyfill';
import { E2E_SHIPPED_MODE_KEY } from './shadow-mode-key';

/** The mode of the clip UI's shadow root in this build. */
export async function clipUiShadowMode(): Promise<ShadowRootMode> {
  // The end-to-end test build only (QSI_E2E_BUILD is false in every other build, and this branch
  // is compiled away): Playwright's locators enter open shadow roots only, so that build opens it
  // unless a test asks for the shipped mode (tests/e2e/hostile-page.test.ts does).
  if (import.meta.env.QSI_E2E_BUILD !== true) return 'closed';
  const { [E2E_SHIPPED_MODE_KEY]: shipped } = await browser.storage.local.get(E2E_SHIPPED_MODE_KEY);
  return shipped === true ? 'closed' : 'open';
}
