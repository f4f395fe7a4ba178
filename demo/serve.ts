// Serves the demo intranet (demo/site/) on loopback. Static files only (pages may hold dates
// relative to today, filled in as served: demo-dates.ts), no directory listing.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { DOCX_CONTENT_TYPE } from '../shared/docx/docx-link';
import { fillDemoDates } from './demo-dates';
import { contrastPolicyDocx, hostileDocx, longManualDocx } from './docx-documents';
import { longManualPdf, radiationIncidentPolicy } from './pdf-documents';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.docx': DOCX_CONTENT_TYPE,
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export const SITE_DIR = path.resolve(import.meta.dirname, 'site');

/**
 * Documents made at run time, by path: PDFs and Word documents. The revisions are served at the
 * same addresses while edits are on; `/dms/view?doc=IMG-POL-031` and
 * `/dms/download?doc=IMG-POL-022` are DMS links (no file extension) to the same files as
 * `/documents/…`, with only the Content-Type to say what they are.
 */
const FILES: Record<string, { type: string; same?: string; make: (edited: boolean) => Promise<Uint8Array> }> =
  {
    '/documents/radiation-incident-policy.pdf': { type: 'application/pdf', make: radiationIncidentPolicy },
    '/dms/view': {
      type: 'application/pdf',
      same: '/documents/radiation-incident-policy.pdf',
      make: radiationIncidentPolicy,
    },
    '/documents/imaging-protocol-manual.pdf': { type: 'application/pdf', make: () => longManualPdf(40) },
    '/documents/contrast-administration-policy.docx': { type: DOCX_CONTENT_TYPE, make: contrastPolicyDocx },
    '/dms/download': {
      type: DOCX_CONTENT_TYPE,
      same: '/documents/contrast-administration-policy.docx',
      make: contrastPolicyDocx,
    },
    '/documents/imaging-protocol-manual.docx': { type: DOCX_CONTENT_TYPE, make: () => longManualDocx(200) },
    '/documents/hostile-content-test.docx': { type: DOCX_CONTENT_TYPE, make: () => hostileDocx() },
  };
const fileCache = new Map<string, Promise<Uint8Array>>();
function fileFor(
  pathname: string,
  edited: boolean,
): { type: string; bytes: Promise<Uint8Array> } | undefined {
  const spec = FILES[pathname];
  if (!spec) return undefined;
  // One build per file and version: two links to one file serve the very same bytes.
  const key = `${spec.same ?? pathname}:${edited}`;
  const cached = fileCache.get(key) ?? spec.make(edited);
  fileCache.set(key, cached);
  return { type: spec.type, bytes: cached };
}

/**
 * Starts the demo intranet; resolves with the server once it listens.
 * `POST /__demo/edits?on=1|0` simulates authors editing documents: while on, a page that has an
 * edited variant under `edited/` is served in its place at the original address (same URL, new
 * text), which is what re-anchoring has to cope with.
 */
export function serveDemo(port = 8788, host = '127.0.0.1', root = SITE_DIR): Promise<http.Server> {
  let edited = false;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/__demo/edits') {
      if (req.method === 'POST') edited = url.searchParams.get('on') === '1';
      // A form on the home page posts here: send the browser back to it.
      if ((req.headers.accept ?? '').includes('text/html')) res.writeHead(303, { location: '/' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ edited }));
      return;
    }
    const made = fileFor(url.pathname, edited);
    if (made) {
      void made.bytes.then(
        (bytes) =>
          res
            .writeHead(200, { 'content-type': made.type, 'cache-control': 'no-store' })
            .end(Buffer.from(bytes)),
        () => res.writeHead(500).end(),
      );
      return;
    }
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    let file = path.resolve(root, `.${rel}`);
    const variant = path.resolve(root, `./edited${rel}`);
    if (edited && !rel.startsWith('/edited/') && fs.existsSync(variant)) file = variant;
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    // Pages may hold dates relative to today (demo-dates.ts): filled in as they are served.
    if (path.extname(file) === '.html') res.end(fillDemoDates(fs.readFileSync(file, 'utf8')));
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
