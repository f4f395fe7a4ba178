// docKey: the normalised URL that says "same document". Two visits to one policy page
// must get one key however they were reached (campaign links, fragments), two documents never one.
// Deliberately conservative: only changes that cannot make two different documents collide.

/**
 * Query parameters that only say how someone arrived (analytics, ad clicks, mail campaigns,
 * sessions). Compared case-insensitively. Anything else is kept, because intranet and DMS viewers
 * carry the document's identity in the query (`id`, `docid`, `DocumentId`, `page`, `sourcedoc`,
 * `ref`, `version`, …). `ref` stays on purpose: document-management systems use it for the
 * document reference.
 */
export const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  '__hstc',
  '__hssc',
  '__hsfp',
  'hsctatracking',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'ref_src',
  'ref_url',
  'jsessionid',
  'phpsessid',
  'aspsessionid',
]);

/** True for `utm_*` and the names in {@link TRACKING_PARAMS}. */
export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('utm_') || TRACKING_PARAMS.has(n);
}

/**
 * Normalises a page URL into a document key.
 *
 * 1. Scheme and host lower-cased, default port dropped, user name/password dropped (URL parser).
 * 2. Fragment dropped (`#section-2` and text fragments `#:~:text=` are positions, not documents).
 * 3. Path kept as is (servers may be case-sensitive) except: `;jsessionid=…` path parameters
 *    removed, percent-escapes upper-cased, and a final `index.html`/`index.htm` reduced to its
 *    folder (`/policies/index.html` ≡ `/policies/`). No trailing-slash or `www.` folding.
 * 4. Tracking parameters removed ({@link isTrackingParam}); the rest sorted by name (values of a
 *    repeated name keep their order) and re-encoded; an empty query leaves no `?`.
 * Text that is not an absolute URL is returned trimmed, without its fragment.
 */
export function docKey(url: string): string {
  const trimmed = url.trim();
  if (!URL.canParse(trimmed)) return trimmed.replace(/#.*$/s, '');
  const u = new URL(trimmed);
  u.hash = '';
  u.username = '';
  u.password = '';
  u.pathname = u.pathname
    .replace(/;jsessionid=[^/?]*/gi, '')
    .replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase())
    .replace(/\/index\.html?$/i, '/');
  const params = new URLSearchParams(u.search);
  for (const name of [...params.keys()]) if (isTrackingParam(name)) params.delete(name);
  params.sort();
  const query = params.toString();
  u.search = query ? `?${query}` : '';
  return u.href;
}
