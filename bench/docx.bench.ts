// Word document benchmark, in real headless Chromium with the built extension: a 200-page .docx
// (made with the `docx` package, served by the demo intranet) with 200 clips in the extension's
// IndexedDB, opened in the viewer. Reported from navigation start: the document rendered
// (fetch, SHA-256, mammoth, sanitise, DOM) and the first highlight painted (text model, 200
// anchorings, paint). Target: first highlight < 1.5 s. Clips are passages of 40–260 characters
// of the document's text as the viewer reads it, described as clipping describes a selection.
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { longManualDocx } from '../demo/docx-documents';
import { serveDemo } from '../demo/serve';
import { describeText } from '../shared/anchoring';
import { docKey } from '../shared/doc-key';
import type { Selector } from '../shared/schemas';
import { seededRandom } from '../shared/seeded-random';
import { launchWithExtension } from '../tests/e2e/chromium';
import { type BenchResult, median } from './result';

const PAGES = 200;
const CLIPS = 200;
const RUNS = Number(process.env.BENCH_DOCX_RUNS ?? 5);
const PATH = '/documents/imaging-protocol-manual.docx';

/** Word-aligned passages of 40–260 characters, described as the clip UI describes a selection. */
function passages(text: string): Selector[][] {
  const r = seededRandom(5);
  const out: Selector[][] = [];
  while (out.length < CLIPS) {
    let s = Math.floor(r() * (text.length - 400));
    while (s > 0 && !/\s/.test(text[s - 1] ?? ' ')) s--;
    let e = s + 40 + Math.floor(r() * 220);
    while (e < text.length && !/\s/.test(text[e] ?? ' ')) e++;
    out.push(describeText(text, s, e));
  }
  return out;
}

export default async function docxBench(emit: (r: BenchResult) => void): Promise<void> {
  const tGen = performance.now();
  const bytes = await longManualDocx(PAGES);
  emit({ name: `docx.generate.${PAGES}-pages (docx, setup)`, value: performance.now() - tGen, unit: 'ms' });
  emit({ name: 'docx.file-size', value: Math.round(bytes.length / 1024), unit: 'kB' });
  // The same build the e2e tests load (granted the loopback demo site).
  execFileSync('npx', ['wxt', 'build'], {
    stdio: 'pipe',
    env: { ...process.env, QSI_E2E_HOST_PERMISSIONS: '1' },
  });
  const server = await serveDemo(0);
  const file = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`;
  const browser = await launchWithExtension();
  try {
    const viewer = `${browser.url('docx-viewer.html')}?file=${encodeURIComponent(file)}`;
    // A first open: the file's fingerprint for the clips (the server builds the file once).
    const page = await browser.context.newPage();
    await page.goto(viewer);
    await page.waitForSelector('#article[data-ready="1"]', { timeout: 60_000 });
    const fingerprint = (await page.locator('#article').getAttribute('data-fingerprint')) ?? '';
    const text = await page.evaluate(() =>
      (window as unknown as { qsiPdfViewer: { text(): string } }).qsiPdfViewer.text(),
    );
    const at = '2026-01-01T00:00:00.000Z';
    const clips = passages(text).map((selectors, i) => ({
      id: `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      url: file,
      docKey: docKey(file),
      title: 'Imaging Protocol Manual',
      selectors: [...selectors, { type: 'FileSelector', format: 'docx', fingerprint }],
      quote: selectors.find((x) => x.type === 'TextQuoteSelector')?.exact ?? '',
      criteria: [],
      note: '',
      docMeta: {},
      createdBy: { id: 'bench', name: 'Bench' },
      createdAt: at,
      updatedAt: at,
      deleted: false,
    }));
    await page.evaluate(async (rows) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('clips', 'readwrite');
        for (const row of rows) tx.objectStore('clips').put(row);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, clips);

    const rendered: number[] = [];
    const first: number[] = [];
    let status = '';
    for (let run = 0; run < RUNS; run++) {
      await page.goto(viewer);
      await page.waitForSelector('#article[data-ready="1"]', { timeout: 60_000 });
      await page.waitForFunction(() => performance.getEntriesByName('qsi:docx-first-highlight').length > 0);
      const marks = await page.evaluate(() => ({
        rendered: performance.getEntriesByName('qsi:docx-rendered')[0]?.startTime ?? -1,
        first: performance.getEntriesByName('qsi:docx-first-highlight')[0]?.startTime ?? -1,
      }));
      rendered.push(marks.rendered);
      first.push(marks.first);
      status = (await page.locator('.status-line').textContent()) ?? '';
    }
    if (!status.includes(`${CLIPS} found`)) throw new Error(`not every clip found: ${status}`);
    emit({ name: `docx.open.${PAGES}-pages.rendered`, value: median(rendered), unit: 'ms', target: 'info' });
    emit({
      name: `docx.open-and-anchor.${PAGES}-pages.${CLIPS}-clips.first-highlight`,
      value: median(first),
      unit: 'ms',
      target: '< 1500 ms',
    });
    const words = await page.evaluate(
      () => document.getElementById('article')?.textContent?.split(/\s+/).length ?? 0,
    );
    emit({ name: 'docx.words', value: words, unit: 'words' });
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(() => resolve(undefined)));
  }
}
