import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// Extension build. Least-privilege manifest: no host permission at install; automatic
// re-highlighting only on origins the user grants (optional_host_permissions).
// End-to-end tests only: headless Chromium cannot answer a permission prompt, so the test build
// is granted the loopback demo intranet up front. Release builds never set this.
const e2eHosts = process.env.QSI_E2E_HOST_PERMISSIONS === '1' ? ['http://127.0.0.1/*'] : [];
/**
 * The e2e build's public key: a fixed extension id (hbpejkpjemhneaemgndedofikeboohmc) so the
 * managed-policy test can name it in a Chromium policy file. Only the public half exists (no private
 * key is kept: the build is never packed or published). Release builds get their id from the store.
 */
const E2E_MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAt03f4YKA/34hHX13X1LRf9XsZA4xUOXPqT91EnkQSxRY7NMIKAFjSgsX9OrqnH7Ji2ZfVnEbFEAddW+O801nfQ0XsbU6yCwVUhKsgJb2IhSl35tMnB2GrQ2SNsMu31CGXdg0XGi/q5U6P61vwbRoHqJ2GQaK1ClOlOt/NfO1e6sTAVhjR2tARSpUylLPLAq7YhZSxAYesAdwIqbhZ3udCcmCucBVVKpP5qN8iNKOpFBGuW01pitJi9Ju9yPC/C3DcS0hnyGwvOkYvs6mqqn2xks7t1e0sePiH8g7RQPyOd0goGQVHedbPwYCIVYES9wK9nbsyc5ZHEjgfJRKDTd4kwIDAQAB';

export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: e2eHosts.length ? '.output-e2e' : '.output',
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
    // mammoth's unzipper from its sources rather than its prebuilt browser file, with tiny
    // stand-ins for its old-browser polyfills and Node streams (why: extension/lib/docx/shims/).
    resolve: {
      alias: {
        jszip: createRequire(import.meta.url).resolve('jszip/lib/index.js'),
        setimmediate: path.resolve('extension/lib/docx/shims/set-immediate.cjs'),
        immediate: path.resolve('extension/lib/docx/shims/immediate.cjs'),
        'readable-stream': path.resolve('extension/lib/docx/shims/no-node-stream.cjs'),
      },
    },
    // The e2e build may open the clip UI's shadow root for Playwright (lib/clip-ui/shadow-mode.ts).
    define: { 'import.meta.env.QSI_E2E_BUILD': JSON.stringify(e2eHosts.length > 0) },
  }),
  hooks: {
    // The web page's content script runs on every page load of every granted site: it uses the
    // browsers' own promise-based API instead of webextension-polyfill (lib/web-page/native-browser.ts
    // says why that is enough), which keeps it within its size budget (tests/e2e/content-size.test.ts).
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.some((e) => e.type === 'content-script' && e.name === 'content')) return;
      const alias = config.resolve?.alias ?? {};
      const rest = Array.isArray(alias)
        ? alias
        : Object.entries(alias).map(([find, replacement]) => ({ find, replacement }));
      config.resolve = {
        ...config.resolve,
        alias: [
          {
            find: /^webextension-polyfill$/,
            replacement: path.resolve('extension/lib/web-page/native-browser.ts'),
          },
          ...rest,
        ],
      };
    },
    // The popup is built on its own (first render < 100 ms). In the shared build of the
    // HTML pages its first paint was 9 small module files (Preact, the polyfill, components shared
    // with the dashboard), and loading that graph cost ≈ 30 ms; alone, the first paint is one file
    // and only the live parts (Dexie, zod, messaging) are a second chunk, loaded after it.
    'entrypoints:grouped': (_wxt, groups) => {
      const pages = groups.find((g) => Array.isArray(g) && g.some((e) => e.name === 'popup'));
      if (!Array.isArray(pages) || pages.length === 1) return;
      const popup = pages.filter((e) => e.name === 'popup');
      pages.splice(0, pages.length, ...pages.filter((e) => e.name !== 'popup'));
      groups.push(popup);
    },
    // The PDF viewer's pdf.js worker, standard fonts and image decoders, served from the
    // extension (no remote code): copied from pdfjs-dist as they are.
    'build:publicAssets': (_wxt, files) => {
      const pdfjs = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
      files.push({
        absoluteSrc: path.join(pdfjs, 'build/pdf.worker.min.mjs'),
        relativeDest: 'pdfjs/pdf.worker.min.mjs',
      });
      for (const dir of ['standard_fonts', 'wasm'])
        for (const name of fs.readdirSync(path.join(pdfjs, dir)))
          files.push({ absoluteSrc: path.join(pdfjs, dir, name), relativeDest: `pdfjs/${dir}/${name}` });
    },
  },
  // The sources archive (AMO review) holds only the tracked project: never a local server database
  // (data/), benchmark results, screenshots or logs (tests/e2e/release.test.ts).
  zip: { excludeSources: ['data/**', 'bench/results/**', 'tests/e2e/screenshots/**', '**/*.log'] },
  manifest: ({ browser, manifestVersion }) => ({
    name: 'QSI Evidence Clipper',
    description:
      'Clip passages of intranet policies as evidence for the Quality Standard for Imaging, and see them highlighted again.',
    // Least privilege: clipping on demand via activeTab + scripting; automatic
    // re-highlighting only on origins the user grants at run time.
    permissions: ['storage', 'activeTab', 'scripting', 'contextMenus', 'alarms'],
    // Asked for at run time only: `notifications` when the user turns on the weekly reminder
    // (lib/reminders/settings.ts). MV2 (Firefox's default build) has no optional_host_permissions:
    // hosts go in optional_permissions.
    ...(manifestVersion === 2
      ? { optional_permissions: ['notifications', 'http://*/*', 'https://*/*'] }
      : {
          optional_permissions: ['notifications'],
          optional_host_permissions: ['http://*/*', 'https://*/*'],
        }),
    ...(e2eHosts.length ? { host_permissions: e2eHosts } : {}),
    ...(e2eHosts.length && browser !== 'firefox' ? { key: E2E_MANIFEST_KEY } : {}),
    // What an organisation may set by policy (storage.managed; docs/operations.md, "Managed
    // configuration"). Chrome and Edge validate policies against it; Firefox reads its 3rdparty
    // policy without a schema, and the extension validates the values itself either way.
    ...(browser === 'firefox' ? {} : { storage: { managed_schema: 'managed-schema.json' } }),
    commands: {
      'clip-selection': {
        suggested_key: { default: 'Alt+Shift+E' },
        description: 'Clip the selected text as evidence',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'qsi-evidence-clipper@qsi-evidence-clipper.invalid',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
