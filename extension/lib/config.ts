// Build-time configuration of the extension (import.meta.env.WXT_*), read here only.

/**
 * The Firefox end-to-end build starts with "open Word documents automatically" on: the Firefox
 * test driver cannot open an extension page itself, so the smoke test reaches the Word viewer the
 * way a user does, by clicking a .docx link on a granted page. Never set for release builds.
 */
export const E2E_DOCX_AUTO_OPEN = import.meta.env.WXT_E2E_DOCX_AUTO_OPEN === '1';
