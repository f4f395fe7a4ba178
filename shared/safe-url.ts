// The one rule for URLs that become links or leave the extension in an export: absolute http(s)
// only. Everything else (`javascript:` in any spelling, `data:`, `vbscript:`, relative) is text.

/** True for an absolute `http:`/`https:` URL that the URL parser accepts. */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url) && URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
}

/** The URL when it is safe as a link target (see {@link isHttpUrl}), otherwise `undefined`. */
export function safeHref(url: string): string | undefined {
  return isHttpUrl(url) ? url : undefined;
}
