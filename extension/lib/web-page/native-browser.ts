// The browser's own promise-based extension API, standing in for webextension-polyfill in the web
// page's content script only (wxt.config.ts aliases it there): Firefox's `browser` and Chrome's
// MV3 `chrome` both return promises for what that script calls (runtime.sendMessage,
// storage.local.get) and take `sendResponse` + `return true` listeners, so the polyfill's 10 kB
// need not load on every page. Everything else in the extension keeps the polyfill.
import type Browser from 'webextension-polyfill';

type Api = typeof Browser;
const scope = globalThis as unknown as { browser?: Api; chrome?: Api };

const browser = (scope.browser?.runtime?.id ? scope.browser : scope.chrome) as Api;
export default browser;
