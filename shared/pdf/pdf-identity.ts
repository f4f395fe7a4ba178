// Which clips belong to an open PDF. A PDF is one document by its normalised URL *or*
// its content fingerprint: the same file reached by two DMS links shares the fingerprint; a new
// version of the file at the same URL keeps the URL, and its clips re-anchor like a web page's.
// The rule is the same for every file format: shared/file-identity.ts.
import { belongsToFile, type FileIdentity, fileIdentity } from '../file-identity';
import type { Clip, PageSelector, Selector } from '../schemas';

/** The PDF the viewer has open. */
export type PdfIdentity = FileIdentity;

export const pdfIdentity = fileIdentity;

/** The PageSelector of a selector list (a PDF clip has one), if any. */
export function pageSelectorOf(selectors: readonly Selector[]): PageSelector | undefined {
  return selectors.find((s): s is PageSelector => s.type === 'PageSelector');
}

/** True for clips made in the PDF viewer. */
export function isPdfClip(clip: Pick<Clip, 'selectors'>): boolean {
  return pageSelectorOf(clip.selectors) !== undefined;
}

/**
 * True when the clip belongs to the open PDF: same normalised URL, or (for a PDF clip) the same
 * file fingerprint reached from another address.
 */
export function belongsToPdf(clip: Pick<Clip, 'docKey' | 'selectors'>, doc: PdfIdentity): boolean {
  return belongsToFile(clip, doc);
}
