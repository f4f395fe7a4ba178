// Document metadata of a PDF: title, version, owner and review date from the info
// dictionary (standard /Title, /Author; custom keys a DMS writes such as /Version, /ReviewDate)
// and from the document-control block of the first page, which wins where both say something.
import { parseDocMeta } from '../doc-meta';
import type { DocMeta } from '../schemas';

/** pdf.js `getMetadata().info`: standard keys plus `Custom` (the non-standard ones). */
export type PdfInfo = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Info-dictionary fields as "Label: value" lines, for the one document-control parser. */
function infoLines(info: PdfInfo): string {
  const custom = (info.Custom && typeof info.Custom === 'object' ? info.Custom : {}) as Record<
    string,
    unknown
  >;
  const lines: string[] = [];
  for (const [key, value] of Object.entries(custom)) {
    const label = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
    if (text(value)) lines.push(`${label}: ${text(value)}`);
  }
  if (text(info.Author)) lines.push(`Author: ${text(info.Author)}`);
  return lines.join('\n');
}

/**
 * Title and document-control fields of a PDF: the info dictionary's /Title (else the first line
 * of the first page), and the fields of the first page's block over those of the dictionary.
 */
export function pdfDocMeta(info: PdfInfo, firstPageText: string): { title: string; docMeta: DocMeta } {
  const fromInfo = parseDocMeta(infoLines(info));
  const fromPage = parseDocMeta(firstPageText);
  const firstLine = firstPageText.split('\n').find((l) => l.trim() !== '') ?? '';
  return {
    title: (text(info.Title) || firstLine.trim()).slice(0, 1000),
    docMeta: { ...fromInfo, ...fromPage },
  };
}
