// Opens a Word document for the viewer: fetches the file (see file-bytes.ts), tells a Word
// document from a PDF served at the same kind of address (a DMS link names neither), hashes it
// into the content fingerprint, converts it with mammoth into semantic HTML (headings, lists,
// tables, footnotes) and reads its property parts for the metadata. It renders nothing itself.
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { err, ok, type Result } from '../../../shared/errors';
import { fetchFile, sha256OfBytes } from '../file-bytes';

export type FetchedDocument = { kind: 'docx'; bytes: Uint8Array } | { kind: 'pdf' };

/**
 * Fetches the document at `url`: a Word document (a ZIP package), or a PDF (the caller hands it
 * to the PDF viewer). Fails with `forbidden` when the origin was not granted.
 */
export async function fetchDocx(url: string, signal?: AbortSignal): Promise<Result<FetchedDocument>> {
  const fetched = await fetchFile(url, 'Word document', signal);
  if (!fetched.ok) return fetched;
  const { bytes, contentType } = fetched.value;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (contentType === 'application/pdf' || head.includes('%PDF-')) return ok({ kind: 'pdf' });
  // Every .docx is a ZIP package: "PK\x03\x04" first.
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04)
    return err('bad_request', 'This address does not return a Word (.docx) document.');
  return ok({ kind: 'docx', bytes });
}

export interface LoadedDocx {
  fingerprint: string;
  /** mammoth's HTML: untrusted, for sanitize-html.ts only. */
  html: string;
  coreXml: string;
  customXml: string;
  /** mammoth's warnings (unknown styles and the like), for the console. */
  warnings: string[];
  /** Conversion time in ms. */
  convertMs: number;
}

// Word's Title and Subtitle styles are the document's heading; the rest is mammoth's default map.
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

/** Converts a fetched .docx. @throws when the package is not a readable Word document. */
export async function loadDocx(bytes: Uint8Array): Promise<LoadedDocx> {
  const t0 = performance.now();
  const [fingerprint, zip] = await Promise.all([sha256OfBytes(bytes), JSZip.loadAsync(bytes)]);
  const part = (name: string) => zip.file(name)?.async('string') ?? Promise.resolve('');
  const [coreXml, customXml, result] = await Promise.all([
    part('docProps/core.xml'),
    part('docProps/custom.xml'),
    // mammoth never reads files outside the package (externalFileAccess is off by default).
    mammoth.convertToHtml({ arrayBuffer: bytes.slice().buffer }, { styleMap: STYLE_MAP }),
  ]);
  return {
    fingerprint,
    html: result.value,
    coreXml,
    customXml,
    warnings: result.messages.map((m) => m.message),
    convertMs: performance.now() - t0,
  };
}
