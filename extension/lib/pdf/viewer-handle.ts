// What the popup reads from an open PDF viewer tab (same extension origin, read through
// `extension.getViews`): kept apart from the viewer so the popup does not load pdf.js.
import type { PageStatus } from '../messaging';

export interface PdfViewerHandle {
  file: string;
  status(): PageStatus | null;
}

/** Property of the viewer's `window` that holds its {@link PdfViewerHandle}. */
export const VIEWER_HANDLE = 'qsiPdfViewer';
