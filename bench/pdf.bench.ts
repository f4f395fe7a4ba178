// PDF anchoring benchmark: 200 clips in a 300-page PDF made with pdf-lib. Text
// extraction (pdf.js getTextContent of every page, in Node with the legacy build) is reported
// apart from building the whole-document text and from matching. Floors measured in the same
// run: joining the raw item strings and normalising them as a web page's text (for the text
// model), and one indexOf per quote in the document text (for matching).
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { longManualPdf } from '../demo/pdf-documents';
import { describeText, locateText, normalizeText, prepareText } from '../shared/anchoring';
import { buildPdfText, type PdfPageText, pageOfOffset, pageTextFromPdfJs } from '../shared/pdf/pdf-text';
import type { Selector, TextQuoteSelector } from '../shared/schemas';
import { seededRandom } from '../shared/seeded-random';
import { type BenchResult, median } from './result';

const PAGES = 300;
const CLIPS = 200;
const RUNS = 3;

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

const quoteOf = (sel: Selector[]) =>
  (sel.find((s) => s.type === 'TextQuoteSelector') as TextQuoteSelector).exact;

export default async function bench(emit: (r: BenchResult) => void): Promise<void> {
  const tGen = performance.now();
  const bytes = await longManualPdf(PAGES);
  emit({
    name: 'pdf.generate.300-pages (pdf-lib, setup)',
    value: performance.now() - tGen,
    unit: 'ms',
    target: 'info',
  });

  // 1. Extraction: pdf.js parses the file and returns every page's text items.
  const t0 = performance.now();
  const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
  const raw: { items: Parameters<typeof pageTextFromPdfJs>[0]; height: number }[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    raw.push({ items: (await page.getTextContent()).items, height: page.view[3] ?? 0 });
  }
  const extractMs = performance.now() - t0;
  if (pdf.numPages < PAGES) throw new Error(`expected ${PAGES}+ pages, got ${pdf.numPages}`);
  emit({
    name: `pdf.extract.${pdf.numPages}-pages (pdf.js getTextContent)`,
    value: extractMs,
    unit: 'ms',
    target: 'info',
  });
  await pdf.destroy();

  // 2. Whole-document text (NFKC, hyphenation, word gaps, running headers/footers).
  const pages: PdfPageText[] = raw.map((p) => pageTextFromPdfJs(p.items, p.height));
  const joinFloor = median(
    Array.from(
      { length: RUNS },
      () => time(() => normalizeText(pages.map((p) => p.items.map((it) => it.str).join(' ')).join('\n')))[1],
    ),
  );
  let doc = buildPdfText(pages);
  const modelMs = median(
    Array.from({ length: RUNS }, () => {
      const [d, ms] = time(() => buildPdfText(pages));
      doc = d;
      return ms;
    }),
  );
  emit({ name: 'pdf.text-model.300-pages', value: modelMs, unit: 'ms', floor: joinFloor, target: 'info' });
  emit({ name: 'pdf.text-model.chars', value: doc.text.length, unit: 'chars' });

  // 3. 200 clips: word-aligned passages of 40–260 characters, 20 of them across a page break.
  const r = seededRandom(9);
  const text = doc.text;
  const wordStart = (i: number) => {
    let k = i;
    while (k > 0 && text[k - 1] !== ' ' && text[k - 1] !== '\n') k--;
    return k;
  };
  const wordEnd = (i: number) => {
    let k = i;
    while (k < text.length && text[k] !== ' ' && text[k] !== '\n') k++;
    return k;
  };
  const spans: Array<[number, number]> = [];
  for (let p = 1; spans.length < 20 && p < doc.pageStarts.length; p += Math.floor(PAGES / 20)) {
    const at = doc.pageStarts[p] ?? 0;
    spans.push([wordStart(at - 80), wordEnd(at + 60)]);
  }
  while (spans.length < CLIPS) {
    const s = wordStart(Math.floor(r() * (text.length - 400)));
    spans.push([s, wordEnd(s + 40 + Math.floor(r() * 220))]);
  }
  const crossing = spans.filter(([s, e]) => pageOfOffset(doc, s) !== pageOfOffset(doc, e - 1)).length;
  const clips = spans.map(([s, e]) => describeText(text, s, e));
  const quotes = clips.map(quoteOf);

  const floor = median(
    Array.from(
      { length: RUNS },
      () =>
        time(() => {
          let n = 0;
          for (const q of quotes) if (text.indexOf(q) >= 0) n++;
          if (n !== CLIPS) throw new Error('floor: a quote was not found');
        })[1],
    ),
  );
  let exact = 0;
  const matchMs = median(
    Array.from(
      { length: RUNS },
      () =>
        time(() => {
          const prepared = prepareText(text);
          exact = 0;
          for (const c of clips) if (locateText(prepared, c).status === 'exact') exact++;
        })[1],
    ),
  );
  if (exact !== CLIPS) throw new Error(`unchanged PDF: only ${exact}/${CLIPS} exact`);
  emit({
    name: `pdf.anchor.${CLIPS}-clips.unchanged (matching)`,
    value: matchMs,
    unit: 'ms',
    floor,
    target: 'info',
  });
  emit({ name: 'pdf.anchor.clips-across-page-breaks', value: crossing, unit: 'clips' });

  // 4. A revised version (text level): a paragraph inserted every 10 pages shifts everything,
  // and 50 clips get a word changed inside their quote.
  let revised = text;
  const edits: Array<[number, string]> = [];
  for (let k = 0; k < 50; k++) {
    const [s, e] = spans[20 + k * 3] as [number, number];
    const mid = text.indexOf(' ', s + Math.floor((e - s) / 2));
    if (mid > s && mid < e - 1) edits.push([mid, ' also']);
  }
  for (let p = 5; p < doc.pageStarts.length; p += 10)
    edits.push([
      doc.pageStarts[p] ?? 0,
      'A new paragraph explains a local change agreed by the committee.\n',
    ]);
  edits.sort((a, b) => b[0] - a[0]);
  for (const [at, ins] of edits) revised = revised.slice(0, at) + ins + revised.slice(at);
  let found = 0;
  const revisedMs = median(
    Array.from(
      { length: RUNS },
      () =>
        time(() => {
          const prepared = prepareText(revised);
          found = 0;
          for (const c of clips) if (locateText(prepared, c).status !== 'lost') found++;
        })[1],
    ),
  );
  emit({
    name: `pdf.anchor.${CLIPS}-clips.revised (matching)`,
    value: revisedMs,
    unit: 'ms',
    floor,
    target: 'info',
  });
  emit({ name: 'pdf.anchor.revised.found', value: found / CLIPS, unit: `fraction of ${CLIPS} re-anchored` });

  // False anchors: a found clip whose span does not overlap where its passage went in the revision
  // (old offsets shifted by the insertions before them). Target 0 (docs/anchoring.md). The filler text
  // repeats sentences verbatim, so an edited quote can reappear word for word elsewhere; such a
  // weak-context exact copy must beat the edited passage found by its context (THRESHOLDS:
  // 4 wrong before that rule, 0 after). PDF_BENCH_DEBUG=1 prints each case.
  const inserted = [...edits].sort((a, b) => a[0] - b[0]);
  const shift = (offset: number, atEnd: boolean) => {
    let out = offset;
    for (const [at, ins] of inserted) if (at < offset || (!atEnd && at === offset)) out += ins.length;
    return out;
  };
  const prepared = prepareText(revised);
  let wrong = 0;
  spans.forEach(([s, e], i) => {
    const r = locateText(prepared, clips[i] as Selector[]);
    if (r.status === 'lost' || r.start === undefined || r.end === undefined) return;
    const [es, ee] = [shift(s, false), shift(e, true)];
    if (Math.min(r.end, ee) - Math.max(r.start, es) <= 0) {
      wrong++;
      if (process.env.PDF_BENCH_DEBUG)
        console.error(
          JSON.stringify({
            i,
            status: r.status,
            score: r.score,
            quote: quoteOf(clips[i] as Selector[]),
            expected: revised.slice(es, ee),
            found: revised.slice(r.start, r.end),
            s,
            e,
            es,
            ee,
            rs: r.start,
          }),
        );
    }
  });
  emit({
    name: 'pdf.anchor.revised.false-anchors',
    value: wrong,
    unit: 'clips on the wrong text',
    target: '0',
  });
}
