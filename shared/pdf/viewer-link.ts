// Links into the extension's PDF viewer: `<viewer>?file=<pdf url>#page=<n>&clip=<id>`.
// `page` is one-based as in PDF open parameters (RFC 8118 §3), so the same fragment also opens
// the right page in a browser's own PDF viewer. Pure: the caller passes the viewer's address.
import { z } from 'zod';
import type { Selector } from '../schemas';

export interface ViewerTarget {
  /** The PDF's address (http or https). */
  file: string;
  /** One-based page to open at. */
  page?: number;
  /** Clip to show (scrolls to its passage when it anchors). */
  clip?: string;
}

function fragment(t: Omit<ViewerTarget, 'file'>): string {
  const parts: string[] = [];
  if (t.page !== undefined) parts.push(`page=${t.page}`);
  if (t.clip) parts.push(`clip=${encodeURIComponent(t.clip)}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

/** The viewer address for a PDF, e.g. `chrome-extension://…/pdf-viewer.html?file=…#page=3`. */
export function viewerHref(viewerBase: string, target: ViewerTarget): string {
  return `${viewerBase}?file=${encodeURIComponent(target.file)}${fragment(target)}`;
}

/** The PDF's own address opened at a page (`#page=n`), for readers without the extension. */
export function pdfPageHref(file: string, page: number | undefined): string {
  const base = file.replace(/#.*$/s, '');
  return page === undefined ? base : `${base}#page=${page}`;
}

// Made on use: pages that only build links (the web page's content script) need no zod.
const pageSchema = () => z.coerce.number().int().min(1).max(1_000_000);

/** Reads a viewer address (or just its `search` + `hash`); null when it names no http(s) PDF. */
export function parseViewerHref(search: string, hash: string): ViewerTarget | null {
  const file = new URLSearchParams(search).get('file');
  if (!file || !/^https?:\/\//i.test(file) || !URL.canParse(file)) return null;
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const page = pageSchema().safeParse(params.get('page') ?? undefined);
  const clip = params.get('clip') ?? undefined;
  return {
    file,
    ...(page.success ? { page: page.data } : {}),
    ...(clip ? { clip: clip.slice(0, 200) } : {}),
  };
}

/** True for addresses whose path names a PDF file (`…/policy.pdf`, any case, query allowed). */
export function looksLikePdfUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return /^https?:$/.test(u.protocol) && /\.pdf$/i.test(u.pathname);
}

interface LinkableClip {
  id: string;
  url: string;
  selectors: readonly Selector[];
}

/** One-based page of a PDF clip's passage, or undefined for a web-page clip. */
export function pdfClipPage(clip: LinkableClip): number | undefined {
  const page = clip.selectors.find((s) => s.type === 'PageSelector');
  return page?.type === 'PageSelector' ? page.index + 1 : undefined;
}

/**
 * For a PDF clip: the viewer opened at the clip's passage (`viewerBase` given) or the PDF at
 * its page (`#page=n`, which browsers' own viewers follow). Undefined for web-page clips and
 * non-http(s) addresses.
 */
export function pdfClipLink(clip: LinkableClip, viewerBase?: string): string | undefined {
  const page = pdfClipPage(clip);
  if (page === undefined || !/^https?:\/\//i.test(clip.url)) return undefined;
  return viewerBase
    ? viewerHref(viewerBase, { file: clip.url, page, clip: clip.id })
    : pdfPageHref(clip.url, page);
}
