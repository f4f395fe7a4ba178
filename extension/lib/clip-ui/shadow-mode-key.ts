// The storage.local key an e2e test sets (true) to run the e2e build's clip UI with the shipped,
// closed shadow root (shadow-mode.ts). Its own module, so Node tests can import it.
export const E2E_SHIPPED_MODE_KEY = 'e2eShippedShadowRoot';
