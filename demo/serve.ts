// Serves the demo intranet (demo/site/) on loopback. Static files only, no directory listing.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { longManualPdf, radiationIncidentPolicy } from './pdf-documents';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export const SITE_DIR = path.resolve(import.meta.dirname, 'site');

/**
 * PDFs made at run time, by path. The policy's revision is served at the same address
 * while edits are on; `/dms/view?doc=IMG-POL-031` is a second DMS link to the same file.
 */
const PDFS: Record<string, (edited: boolean) => Promise<Uint8Array>> = {
  '/documents/radiation-incident-policy.pdf': (edited) => radiationIncidentPolicy(edited),
  '/dms/view': (edited) => radiationIncidentPolicy(edited),
  '/documents/imaging-protocol-manual.pdf': () => longManualPdf(40),
};
const pdfCache = new Map<string, Promise<Uint8Array>>();
function pdfFor(pathname: string, edited: boolean): Promise<Uint8Array> | undefined {
  const make = PDFS[pathname];
  if (!make) return undefined;
  const key = `${pathname === '/dms/view' ? '/documents/radiation-incident-policy.pdf' : pathname}:${edited}`;
  const cached = pdfCache.get(key) ?? make(edited);
  pdfCache.set(key, cached);
  return cached;
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
    const pdf = pdfFor(url.pathname, edited);
    if (pdf) {
      void pdf.then(
        (bytes) =>
          res
            .writeHead(200, { 'content-type': 'application/pdf', 'cache-control': 'no-store' })
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
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
