import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// Extension build. Least-privilege manifest: no host permission at install; automatic
// re-highlighting only on origins the user grants (optional_host_permissions).
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: '.output',
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'QSI Evidence Clipper',
    description:
      'Clip passages of intranet policies as evidence for the Quality Standard for Imaging, and see them highlighted again.',
    permissions: ['storage'],
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
