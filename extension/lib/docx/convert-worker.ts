// The Word viewer's conversion off the page's main thread: unzip, read the property parts and
// convert with mammoth in a worker, so a long document does not freeze the viewer while it opens.
// It gets the file's bytes and answers with strings only (mammoth's HTML stays untrusted: the
// page sanitises it, see sanitize-html.ts).
import { convertDocx } from './convert-docx';

self.onmessage = (e: MessageEvent<Uint8Array>) => {
  convertDocx(e.data).then(
    (converted) => self.postMessage({ ok: true, converted }),
    (error: unknown) =>
      self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
};
