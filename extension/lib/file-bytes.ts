// Fetching a document file for one of the extension's viewers (PDF, Word) and its content
// fingerprint. The fetch runs in the extension page: the host permission of a granted origin
// lets it through, with the user's cookies, as a DMS needs. It must not parse the file.
import { err, ok, type Result } from '../../shared/errors';

export interface FetchedFile {
  bytes: Uint8Array;
  /** The server's Content-Type, lower-cased, without parameters ('' when absent). */
  contentType: string;
}

/**
 * Fetches `url` with the user's cookies. Fails with `forbidden` when the fetch itself fails
 * (typically: the origin was not granted), `unavailable` on an HTTP error. `what` names the
 * document in messages ("PDF", "Word document").
 */
export async function fetchFile(
  url: string,
  what: string,
  signal?: AbortSignal,
): Promise<Result<FetchedFile>> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'include', signal });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return err(
      'forbidden',
      `The ${what} could not be fetched (${message}). Evidence Clipper may need permission to read this site.`,
    );
  }
  if (!response.ok) return err('unavailable', `The server answered ${response.status} for this ${what}.`);
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return ok({ bytes: new Uint8Array(await response.arrayBuffer()), contentType });
}

/** Content fingerprint: lowercase hex SHA-256 of the file's bytes. */
export async function sha256OfBytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice().buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
