// Word documents in links: which addresses name one, which clips were made in one, and the link
// into the extension's document viewer at a clip (`<viewer>?file=<docx url>#clip=<id>`, the same
// form as the PDF viewer's). Pure: the caller passes the viewer's address.

import { viewerHref } from '../pdf/viewer-link';
import type { FileSelector, Selector } from '../schemas';

/** The Content-Type servers answer for a .docx file. */
export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** True for addresses whose path names a Word document (`…/policy.docx`, any case, query allowed). */
export function looksLikeDocxUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return /^https?:$/.test(u.protocol) && /\.docx$/i.test(u.pathname);
}

/** True for a Content-Type header value naming a Word (.docx) document. */
export function isDocxContentType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === DOCX_CONTENT_TYPE;
}

/** The file hint of a clip made in a Word document, if any. */
export function docxSelectorOf(selectors: readonly Selector[]): FileSelector | undefined {
  return selectors.find((s): s is FileSelector => s.type === 'FileSelector' && s.format === 'docx');
}

interface LinkableClip {
  id: string;
  url: string;
  selectors: readonly Selector[];
}

/** True for clips made in the Word document viewer. */
export function isDocxClip(clip: Pick<LinkableClip, 'selectors'>): boolean {
  return docxSelectorOf(clip.selectors) !== undefined;
}

/**
 * For a Word-document clip: the viewer opened at the clip's passage (`viewerBase` given) or the
 * file itself (readers without the extension). Undefined for other clips and non-http(s) addresses.
 */
export function docxClipLink(clip: LinkableClip, viewerBase?: string): string | undefined {
  if (!isDocxClip(clip) || !/^https?:\/\//i.test(clip.url)) return undefined;
  const file = clip.url.replace(/#.*$/s, '');
  return viewerBase ? viewerHref(viewerBase, { file, clip: clip.id }) : file;
}
