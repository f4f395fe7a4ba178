// Build-time constants set in wxt.config.ts (vite `define`).
interface ImportMetaEnv {
  /** True only in the end-to-end test build (QSI_E2E_HOST_PERMISSIONS=1); never in a release. */
  readonly QSI_E2E_BUILD?: boolean;
}
