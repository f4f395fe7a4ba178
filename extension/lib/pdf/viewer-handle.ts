// What the popup reads from an open PDF or Word viewer tab (same extension origin, read through
// `extension.getViews`): kept apart from the viewer so the popup does not load pdf.js.
import type { PageStatus } from '../messaging';

export interface PdfViewerHandle {
  file: string;
  status(): PageStatus | null;
  /** The document's text as anchoring reads it (the Word viewer's; the bench builds clips from it). */
  text?(): string;
}

/** Property of the viewer's `window` that holds its {@link PdfViewerHandle}. */
export const VIEWER_HANDLE = 'qsiPdfViewer';
