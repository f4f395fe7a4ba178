// Where a clip's "Open source" goes: the source page scrolled to the passage by a text fragment,
// or the extension's PDF or Word document viewer at the passage. Shared by the library, criteria and gaps views.
import { docxClipLink } from '../../../shared/docx/docx-link';
import { pdfClipLink } from '../../../shared/pdf/viewer-link';
import { isHttpUrl } from '../../../shared/safe-url';
import type { Clip } from '../../../shared/schemas';
import { textFragmentUrl } from '../../../shared/text-fragment';

/** The text just before and after the quote, as recorded when it was clipped. */
export function quoteContext(clip: Clip): { prefix: string; suffix: string } {
  const q = clip.selectors.find((s) => s.type === 'TextQuoteSelector');
  return q?.type === 'TextQuoteSelector'
    ? { prefix: q.prefix ?? '', suffix: q.suffix ?? '' }
    : { prefix: '', suffix: '' };
}

/**
 * Link to the source page with a text fragment (a PDF or Word clip: the extension's viewer at the
 * passage), or `undefined` for a non-http(s) URL.
 */
export function sourceLink(clip: Clip): string | undefined {
  if (!isHttpUrl(clip.url)) return undefined;
  const pdf = pdfClipLink(clip, new URL('pdf-viewer.html', location.href).href);
  if (pdf) return pdf;
  const docx = docxClipLink(clip, new URL('docx-viewer.html', location.href).href);
  if (docx) return docx;
  const { prefix, suffix } = quoteContext(clip);
  return textFragmentUrl(clip.url, clip.quote, prefix, suffix);
}
