// Stands in for the `setimmediate` polyfill that jszip (mammoth's unzipper) requires: jszip only
// needs a "run soon" for its chunked work. The polyfill's fallbacks for old browsers (a string
// callback turned into a Function, timing through <script> elements) would put eval and script
// creation in the store package (tests/e2e/release.test.ts); a plain task does the same here.
if (typeof globalThis.setImmediate !== 'function') {
  globalThis.setImmediate = (fn, ...args) => setTimeout(fn, 0, ...args);
}
