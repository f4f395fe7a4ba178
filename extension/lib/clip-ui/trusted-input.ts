// Our UI answers only the user, never the page: a page's script can call `.click()` or
// `dispatchEvent` on anything it reaches, and the browser marks those events `isTrusted: false`.
// Every input the clip UI acts on passes through `isTrusted` (docs/threat-model.md).

/** True only for an event the browser made from real input. */
export const isTrusted = (event: Event): boolean => event.isTrusted === true;

/** The input events that could make the UI act (open, save, edit, delete, tick, type). */
const ACTING_EVENTS = [
  'click',
  'dblclick',
  'auxclick',
  'contextmenu',
  'mousedown',
  'mouseup',
  'pointerdown',
  'pointerup',
  'keydown',
  'keyup',
  'keypress',
  'beforeinput',
  'input',
  'change',
  'submit',
] as const;

/**
 * Stops untrusted input at `root` before it reaches any of our elements: captured at the root,
 * it never reaches a button's or a field's own handler, and its default action (ticking a
 * checkbox, submitting a form) is cancelled.
 */
export function refuseUntrustedInput(root: ShadowRoot, signal: AbortSignal): void {
  const refuse = (event: Event) => {
    if (isTrusted(event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  for (const type of ACTING_EVENTS) root.addEventListener(type, refuse, { capture: true, signal });
}
