// Opens a PDF for the viewer: fetches the file from the extension page (host
// permission of a granted origin, cookies included, as the DMS needs), hashes it into the
// content fingerprint, and reads every page's text with pdf.js into the whole-document text.
// pdf.js runs with its worker and fonts served from the extension, and without eval (MV3 CSP).
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist';
import type { TextContent } from 'pdfjs-dist/types/src/display/api';
import browser from 'webextension-polyfill';
import { err, ok, type Result } from '../../../shared/errors';
import { pdfDocMeta } from '../../../shared/pdf/pdf-meta';
import { buildPdfText, type PdfDocumentText, pageTextFromPdfJs } from '../../../shared/pdf/pdf-text';
import type { DocMeta } from '../../../shared/schemas';
import { fetchFile, sha256OfBytes } from '../file-bytes';

export interface LoadedPdf {
  pdf: PDFDocumentProxy;
  pages: PDFPageProxy[];
  /** pdf.js text content per page: the model's items and the text layers' spans come from these. */
  contents: TextContent[];
  text: PdfDocumentText;
  fingerprint: string;
  title: string;
  docMeta: DocMeta;
  /** Text extraction (all pages) and whole-document text building, in ms. */
  extractMs: number;
}

const PDFJS_DIR = '/pdfjs/';

/** Fetches the PDF at `url`. Fails with `forbidden` when the origin was not granted. */
export async function fetchPdf(url: string, signal?: AbortSignal): Promise<Result<Uint8Array>> {
  const fetched = await fetchFile(url, 'PDF', signal);
  if (!fetched.ok) return fetched;
  const { bytes } = fetched.value;
  // "%PDF-" within the first KiB (some servers prepend a BOM or whitespace).
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (!head.includes('%PDF-')) return err('bad_request', 'This address does not return a PDF file.');
  return ok(bytes);
}

/** Parses the PDF and builds its text; `onProgress(pagesRead, pageCount)` while reading. */
export async function loadPdf(
  bytes: Uint8Array,
  onProgress?: (done: number, total: number) => void,
): Promise<LoadedPdf> {
  GlobalWorkerOptions.workerSrc = browser.runtime.getURL(`${PDFJS_DIR}pdf.worker.min.mjs` as '/');
  const fingerprint = await sha256OfBytes(bytes);
  const t0 = performance.now();
  const pdf = await getDocument({
    // pdf.js transfers the buffer to its worker: give it a copy, keep ours for nothing else.
    data: bytes.slice(),
    isEvalSupported: false,
    standardFontDataUrl: browser.runtime.getURL(`${PDFJS_DIR}standard_fonts/` as '/'),
    wasmUrl: browser.runtime.getURL(`${PDFJS_DIR}wasm/` as '/'),
  }).promise;
  // All pages' text at once: the worker answers them in turn without a round trip between.
  const numbers = Array.from({ length: pdf.numPages }, (_, i) => i + 1);
  const pages: PDFPageProxy[] = await Promise.all(numbers.map((n) => pdf.getPage(n)));
  let read = 0;
  const contents: TextContent[] = await Promise.all(
    pages.map(async (page) => {
      const content = await page.getTextContent();
      onProgress?.(++read, pdf.numPages);
      return content;
    }),
  );
  const text = buildPdfText(contents.map((c, i) => pageTextFromPdfJs(c.items, pages[i]?.view[3] ?? 0)));
  const extractMs = performance.now() - t0;
  const meta = await pdf.getMetadata().catch(() => ({ info: {} }));
  // The first page with its line breaks, as the document-control parser reads a page.
  const firstPage = (contents[0]?.items ?? [])
    .map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : ''))
    .join('');
  const { title, docMeta } = pdfDocMeta((meta.info ?? {}) as Record<string, unknown>, firstPage);
  return { pdf, pages, contents, text, fingerprint, title, docMeta, extractMs };
}
