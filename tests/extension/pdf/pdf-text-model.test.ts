// @vitest-environment happy-dom
// The PDF text-layer adapter: document offsets ↔ DOM ranges over whichever pages'
// text layers are rendered, selections across a page break, and ranges clamped to rendered pages.
import { beforeEach, describe, expect, test } from 'vitest';
import { createPdfTextModel } from '../../../extension/lib/anchoring/pdf-text-model';
import { buildPdfText, type PdfTextItem } from '../../../shared/pdf/pdf-text';

const item = (str: string, y: number, x = 40): PdfTextItem => ({
  str,
  hasEOL: true,
  x,
  y,
  width: str.length * 5,
  height: 10,
});
const PAGES = [
  {
    height: 800,
    items: [
      item('Header of the trust', 780),
      item('The supervisor reviews each report within two', 700),
      item('Page 1 of 2', 20),
    ],
  },
  {
    height: 800,
    items: [
      item('Header of the trust', 780),
      item('working days and esti-', 700),
      item('mates the dose.', 686),
      item('Page 2 of 2', 20),
    ],
  },
];

/** Renders a page's text layer like pdf.js: one span per item (br after EOL). */
function renderPage(root: HTMLElement, p: number): HTMLElement[] {
  const layer = document.createElement('div');
  layer.className = 'textLayer';
  layer.dataset.page = String(p);
  const spans = (PAGES[p]?.items ?? []).map((it) => {
    const span = document.createElement('span');
    span.textContent = it.str;
    layer.append(span, document.createElement('br'));
    return span;
  });
  root.append(layer);
  return spans;
}

let root: HTMLElement;
beforeEach(() => {
  document.body.innerHTML = '<main id="pages"></main>';
  root = document.getElementById('pages') as HTMLElement;
});

describe('createPdfTextModel', () => {
  const doc = buildPdfText(PAGES);

  test('the whole text reads across the page break, headers and footers left out', () => {
    expect(doc.text).toBe(
      'The supervisor reviews each report within two working days and estimates the dose.',
    );
  });

  test('a selection across the page break maps to document offsets, and back', () => {
    const model = createPdfTextModel(doc, root);
    const s0 = renderPage(root, 0);
    const s1 = renderPage(root, 1);
    model.attachPage(0, s0);
    model.attachPage(1, s1);
    const range = document.createRange();
    range.setStart(s0[1]?.firstChild as Text, 'The supervisor '.length);
    range.setEnd(s1[2]?.firstChild as Text, 'mates'.length);
    const at = model.offsetsOf(range);
    expect(at && doc.text.slice(at.start, at.end)).toBe(
      'reviews each report within two working days and estimates',
    );
    const back = at ? model.rangeFor(at.start, at.end) : null;
    expect(back?.startContainer).toBe(s0[1]?.firstChild);
    expect(back?.startOffset).toBe('The supervisor '.length);
    expect(back?.endContainer).toBe(s1[2]?.firstChild);
    expect(back?.endOffset).toBe('mates'.length);
  });

  test('a selection starting in a running header starts at the text after it', () => {
    const model = createPdfTextModel(doc, root);
    const s1 = renderPage(root, 1);
    model.attachPage(1, s1);
    const range = document.createRange();
    range.setStart(s1[0]?.firstChild as Text, 3);
    range.setEnd(s1[1]?.firstChild as Text, 'working days'.length);
    const at = model.offsetsOf(range);
    expect(at && doc.text.slice(at.start, at.end)).toBe('working days');
  });

  test('element boundary points (as a drag across the layer gives) resolve to the nearest text', () => {
    const model = createPdfTextModel(doc, root);
    const s0 = renderPage(root, 0);
    model.attachPage(0, s0);
    const layer = root.querySelector('.textLayer') as HTMLElement;
    const range = document.createRange();
    range.setStart(layer, 2); // before the second span
    range.setEnd(layer, 4); // after the second span and its <br>
    const at = model.offsetsOf(range);
    expect(at && doc.text.slice(at.start, at.end)).toBe('The supervisor reviews each report within two');
  });

  test('ranges are clamped to rendered pages, and follow pages as they attach and detach', () => {
    const model = createPdfTextModel(doc, root);
    const start = doc.text.indexOf('within two');
    const end = doc.text.indexOf(' the dose');
    expect(model.rangeFor(start, end)).toBeNull();
    const s1 = renderPage(root, 1);
    model.attachPage(1, s1);
    expect(model.rangeFor(start, end)?.toString()).toBe('working days and esti-mates');
    model.detachPage(1);
    expect(model.rangeFor(start, end)).toBeNull();
    expect(model.pageOf(start)).toBe(0);
    expect(model.pageOf(end)).toBe(1);
  });
});
