// Which clips belong to a document opened from a file (a PDF, a Word document). Such a document
// is one by its normalised URL *or* its content fingerprint: the same file reached by two DMS
// links shares the fingerprint; a new version at the same URL keeps the URL, and its clips
// re-anchor like a web page's (found, moved or changed, lost).
import { docKey } from './doc-key';
import type { Clip, Selector } from './schemas';

/** The file a viewer has open. */
export interface FileIdentity {
  /** Normalised URL ({@link docKey}) of the address it was opened from. */
  docKey: string;
  /** SHA-256 of the file's bytes (lowercase hex). */
  fingerprint: string;
}

export function fileIdentity(url: string, fingerprint: string): FileIdentity {
  return { docKey: docKey(url), fingerprint };
}

/** The fingerprint of the file a clip was made in (a PDF's page hint, a Word document's file hint). */
export function fileFingerprintOf(selectors: readonly Selector[]): string | undefined {
  for (const s of selectors)
    if ((s.type === 'PageSelector' || s.type === 'FileSelector') && s.fingerprint) return s.fingerprint;
  return undefined;
}

/**
 * True when the clip belongs to the open file: same normalised URL, or (for a clip made in a file)
 * the same fingerprint reached from another address.
 */
export function belongsToFile(clip: Pick<Clip, 'docKey' | 'selectors'>, doc: FileIdentity): boolean {
  if (clip.docKey === doc.docKey) return true;
  const fp = fileFingerprintOf(clip.selectors);
  return fp !== undefined && fp === doc.fingerprint;
}
