// The clip UI host's styles, present from page load: the base rules of our shadow root and the
// "Evidence on this page" toggle, which the host shows before the view (overlay-css.ts) is loaded.
export const HOST_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.root { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #212b32; }
button { font: inherit; cursor: pointer; }
:focus-visible { outline: 3px solid #ffeb3b; outline-offset: 0; box-shadow: 0 0 0 6px #212b32; }
.panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483645; max-width: 380px; background: #fff; border: 1px solid #aeb7bd; border-radius: 8px; box-shadow: 0 2px 10px rgba(0,0,0,.2); }
.panel-toggle { background: #005eb8; color: #fff; border: 0; border-radius: 8px; padding: 6px 12px; font-weight: 600; width: 100%; text-align: left; }
.panel.open .panel-toggle { border-radius: 8px 8px 0 0; }
.lost-count { color: #ffeb3b; }
`;
