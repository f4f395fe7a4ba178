// Opens a Word document for the viewer: fetches the file (see file-bytes.ts), tells a Word
// document from a PDF served at the same kind of address (a DMS link names neither), hashes it
// into the content fingerprint and has it converted in a worker (convert-docx.ts). It renders
// nothing itself.
import { err, ok, type Result } from '../../../shared/errors';
import { fetchFile, sha256OfBytes } from '../file-bytes';
import type { ConvertedDocx } from './convert-docx';

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

export interface LoadedDocx extends ConvertedDocx {
  fingerprint: string;
  /** Hashing and conversion time in ms. */
  convertMs: number;
}

/** Converts in a worker (convert-worker.ts): the page stays responsive while a long document opens. */
function convertOffThread(bytes: Uint8Array): Promise<ConvertedDocx> {
  const worker = new Worker(new URL('./convert-worker.ts', import.meta.url), { type: 'module' });
  return new Promise<ConvertedDocx>((resolve, reject) => {
    worker.onmessage = (
      e: MessageEvent<{ ok: true; converted: ConvertedDocx } | { ok: false; message: string }>,
    ) => {
      if (e.data.ok) resolve(e.data.converted);
      else reject(new Error(e.data.message));
    };
    worker.onerror = (e) => reject(new Error(e.message || 'The document could not be converted.'));
    worker.postMessage(bytes.slice());
  }).finally(() => worker.terminate());
}

/** Hashes and converts a fetched .docx. @throws when the package is not a readable Word document. */
export async function loadDocx(bytes: Uint8Array): Promise<LoadedDocx> {
  const t0 = performance.now();
  const [fingerprint, converted] = await Promise.all([sha256OfBytes(bytes), convertOffThread(bytes)]);
  return { fingerprint, ...converted, convertMs: performance.now() - t0 };
}
