// `chrome` inside worker.evaluate() callbacks (they run in the extension's service worker).
declare const chrome: typeof import('webextension-polyfill').default;
