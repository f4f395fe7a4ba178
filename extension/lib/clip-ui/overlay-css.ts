// Styles of the clip UI's view (button, dialog, card, panel list, toast), injected into our own
// shadow root when the view loads (kept as a string so the page needs no web-accessible CSS file,
// which would let sites detect the extension). The host's own rules are in host-css.ts.
import { QUOTE_DIFF_CSS } from '../../components/quote-diff';
import { ANCHOR_DETAILS_CSS } from './anchor-details';

export const OVERLAY_CSS = `${QUOTE_DIFF_CSS}${ANCHOR_DETAILS_CSS}
.primary, .clip-button { background: #005eb8; color: #fff; border: 2px solid #005eb8; border-radius: 4px; padding: 5px 12px; font-weight: 600; }
.primary:hover, .clip-button:hover { background: #003087; border-color: #003087; }
.primary[disabled] { opacity: 0.6; cursor: progress; }
.secondary { background: #fff; color: #005eb8; border: 2px solid #005eb8; border-radius: 4px; padding: 5px 12px; font-weight: 600; }
.secondary[disabled] { color: #768692; border-color: #aeb7bd; cursor: not-allowed; }
.danger { color: #d5281b; border-color: #d5281b; }
.small { padding: 2px 8px; font-size: 13px; }
.muted { color: #4c6272; }
.clip-button { position: fixed; z-index: 2147483647; box-shadow: 0 2px 6px rgba(0,0,0,.3); font-size: 13px; }
.backdrop { position: fixed; inset: 0; background: rgba(33,43,50,.45); z-index: 2147483647; display: flex; align-items: flex-start; justify-content: center; padding: 5vh 12px; overflow: auto; }
.dialog { background: #fff; width: min(640px, 100%); border-radius: 8px; padding: 18px 20px; box-shadow: 0 8px 30px rgba(0,0,0,.35); border-top: 6px solid #005eb8; }
.dialog h2 { margin: 0 0 10px; font-size: 20px; color: #003087; }
.quote { margin: 0 0 12px; padding: 8px 12px; background: #f0f4f5; border-left: 4px solid #005eb8; max-height: 120px; overflow: auto; white-space: pre-wrap; }
fieldset { border: 1px solid #d8dde0; border-radius: 6px; margin: 0 0 12px; padding: 8px 12px 10px; }
legend { font-weight: 700; padding: 0 4px; }
.field { display: flex; flex-direction: column; gap: 3px; margin: 6px 0; font-weight: 600; }
.field input, .field textarea { font: inherit; font-weight: 400; border: 2px solid #4c6272; border-radius: 4px; padding: 5px 8px; width: 100%; }
.meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); column-gap: 12px; }
.meta legend { grid-column: 1 / -1; }
legend.visually-hidden, .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.results { margin: 6px 0 0; padding: 0; max-height: 210px; overflow: auto; border: 1px solid #d8dde0; border-radius: 4px; margin-top: 6px; }
.result { display: grid; grid-template-columns: auto 8em 1fr auto; gap: 8px; align-items: center; padding: 4px 8px; border-bottom: 1px solid #f0f4f5; cursor: pointer; }
.result:hover { background: #e8f1fa; }
.code { font-family: ui-monospace, monospace; font-size: 12px; color: #4c6272; }
.uses { font-size: 12px; color: #007f3b; }
.chips { list-style: none; padding: 0; margin: 0 0 6px; display: flex; flex-wrap: wrap; gap: 6px; }
.chips li { background: #e8f1fa; border: 1px solid #005eb8; border-radius: 12px; padding: 1px 4px 1px 10px; display: flex; align-items: center; gap: 2px; font-size: 13px; }
.chip-remove { background: transparent; border: 0; font-size: 16px; line-height: 1; padding: 2px 6px; color: #4c6272; }
.error { color: #d5281b; font-weight: 700; border-left: 4px solid #d5281b; padding-left: 8px; }
.actions { display: flex; justify-content: flex-end; gap: 8px; align-items: center; flex-wrap: wrap; }
.card { position: fixed; z-index: 2147483646; width: 340px; background: #fff; border: 1px solid #aeb7bd; border-left: 5px solid #005eb8; border-radius: 6px; padding: 10px 12px; box-shadow: 0 4px 16px rgba(0,0,0,.25); overflow-y: auto; }
.card-head { display: flex; justify-content: space-between; gap: 8px; margin-bottom: 6px; }
.card-criteria { margin: 0 0 6px; padding-left: 18px; }
.card-note { margin: 0 0 8px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 40vh; overflow: auto; background: #f0f4f5; padding: 4px 8px; border-radius: 4px; }
.status { font-size: 12px; font-weight: 700; }
.status-exact .status, .status.status-exact { color: #007f3b; }
.status-relocated .status, .status.status-relocated { color: #8a4b00; }
.status-lost .status, .status.status-lost { color: #d5281b; }
.panel-list { list-style: none; margin: 0; padding: 6px; max-height: 50vh; overflow: auto; }
.panel-item { border-bottom: 1px solid #f0f4f5; padding: 4px 0; display: flex; flex-direction: column; gap: 4px; align-items: flex-start; }
.panel-clip { background: none; border: 0; text-align: left; padding: 4px; display: flex; flex-direction: column; gap: 2px; width: 100%; border-radius: 4px; }
.panel-clip:hover { background: #e8f1fa; }
.panel-quote { color: #212b32; }
.panel-codes { font-family: ui-monospace, monospace; font-size: 12px; color: #4c6272; }
.toast { position: fixed; left: 50%; transform: translateX(-50%); bottom: 24px; z-index: 2147483647; background: #212b32; color: #fff; border-radius: 6px; padding: 8px 12px; display: flex; gap: 10px; align-items: center; box-shadow: 0 4px 16px rgba(0,0,0,.3); }
.toast .chip-remove { color: #fff; }
`;
