// Stands in for the `setimmediate` polyfill that jszip (mammoth's unzipper) requires: jszip only
// needs a "run soon" between the chunks of its work. The polyfill's fallbacks for old browsers (a
// string callback turned into a Function, timing through <script> elements) would put eval and
// script creation in the store package (tests/e2e/release.test.ts). A message to ourselves is
// what the polyfill uses in today's browsers: unlike setTimeout(0), it is not clamped to 4 ms
// when tasks nest, which matters over the hundreds of chunks of a long document.
if (typeof globalThis.setImmediate !== 'function') {
  const queue = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const task = queue.shift();
    if (task) task();
  };
  globalThis.setImmediate = (fn, ...args) => {
    queue.push(() => fn(...args));
    channel.port2.postMessage(0);
  };
}
