// The whole-document text of a PDF: quirks handled by the text model, table-driven.
import { describe, expect, test } from 'vitest';
import { locateText, prepareText } from '../../../shared/anchoring';
import { findAll } from '../../../shared/pdf/find-text';
import { buildPdfText, type PdfPageText, type PdfTextItem, pageOfOffset } from '../../../shared/pdf/pdf-text';

/** One line of items starting at (x, y); each item's width is 5 units per character. */
function line(y: number, parts: string[], opts: { gap?: number; eol?: boolean } = {}): PdfTextItem[] {
  let x = 40;
  return parts.map((str, i) => {
    const item = {
      str,
      hasEOL: opts.eol !== false && i === parts.length - 1,
      x,
      y,
      width: str.length * 5,
      height: 10,
    };
    x += str.length * 5 + (opts.gap ?? 0);
    return item;
  });
}
const page = (...lines: PdfTextItem[][]): PdfPageText => ({ height: 800, items: lines.flat() });

describe('buildPdfText', () => {
  test.each([
    [
      'line ends become spaces',
      [page(line(700, ['The policy applies']), line(686, ['to all staff.']))],
      'The policy applies to all staff.',
    ],
    [
      'a paragraph gap is a block boundary',
      [page(line(700, ['Scope.']), line(660, ['Purpose.']))],
      'Scope.\nPurpose.',
    ],
    [
      'a hyphen at a line end before a lower-case letter joins the word',
      [page(line(700, ['radiation protec-']), line(686, ['tion supervisor']))],
      'radiation protection supervisor',
    ],
    [
      'a hyphen before a capital is kept (compound or list)',
      [page(line(700, ['X-ray and CT-']), line(686, ['Guided biopsy']))],
      'X-ray and CT- Guided biopsy',
    ],
    ['a soft hyphen always joins', [page(line(700, ['dosi\u00ad']), line(686, ['Metry']))], 'dosiMetry'],
    [
      'ligatures and compatibility characters read as letters (NFKC)',
      [page(line(700, ['ﬁnal ﬂuoroscopy ﬀ']))],
      'final fluoroscopy ff',
    ],
    [
      'items apart on the line are separate words (missing space)',
      [page(line(700, ['Review', 'date'], { gap: 4 }))],
      'Review date',
    ],
    [
      'items touching on the line are one word (no space)',
      [page(line(700, ['Radio', 'graphy'], { gap: 0 }))],
      'Radiography',
    ],
    [
      'whitespace-only items are decided by geometry (extra space)',
      [
        page(
          line(700, ['Radio', ' ', 'graphy'], { gap: 0 })
            .map((it) => (it.str === ' ' ? { ...it, width: 0 } : it))
            .map((it, i) => (i === 2 ? { ...it, x: 65 } : it)),
        ),
      ],
      'Radiography',
    ],
    ['runs of spaces collapse', [page(line(700, ['dose   area\u00a0 product']))], 'dose area product'],
  ])('%s', (_name, pages, expected) => {
    expect(buildPdfText(pages).text).toBe(expected);
  });

  test('running headers and footers are left out, so a sentence reads across the page break', () => {
    const header = (n: number) => line(770, [`Trust Imaging · Page ${n} of 3`]);
    const pages = [
      page(
        header(1),
        line(700, ['First page text that ends with a sentence that']),
        line(30, ['Page 1 of 3']),
      ),
      page(header(2), line(700, ['continues on the second page.']), line(30, ['Page 2 of 3'])),
      page(header(3), line(700, ['Third page.']), line(30, ['Page 3 of 3'])),
    ];
    const doc = buildPdfText(pages);
    expect(doc.text).toBe(
      'First page text that ends with a sentence that continues on the second page.\nThird page.',
    );
    expect(doc.excluded.size).toBe(6);
    expect(doc.pageStarts).toEqual([0, doc.text.indexOf('continues'), doc.text.indexOf('Third')]);
    expect(pageOfOffset(doc, doc.text.indexOf('second'))).toBe(1);
    expect(pageOfOffset(doc, 0)).toBe(0);
  });

  test('a word hyphenated across a page break joins too', () => {
    const foot = (n: number) => line(30, [`Page ${n} of 2`]);
    const doc = buildPdfText([
      page(line(700, ['the medical physics ex-']), foot(1)),
      page(line(700, ['pert is consulted']), foot(2)),
    ]);
    expect(doc.text).toBe('the medical physics expert is consulted');
  });

  test('every character maps back to its item and raw offset', () => {
    const pages = [page(line(700, ['ﬁrst protec-']), line(686, ['tion', 'plan'], { gap: 6 }))];
    const doc = buildPdfText(pages);
    expect(doc.text).toBe('first protection plan');
    const at = (i: number) => [doc.map.chunk[i], doc.map.rawStart[i], doc.map.rawEnd[i]];
    expect(at(0)).toEqual([0, 0, 1]); // "f" of the ligature
    expect(at(1)).toEqual([0, 0, 1]); // "i" of the ligature
    expect(at(doc.text.indexOf('tion'))).toEqual([1, 0, 1]);
    expect(at(doc.text.indexOf('plan'))).toEqual([2, 0, 1]);
  });

  test('a passage across a page break is found again after the break moved', () => {
    const body = [
      'The reporter also tells the radiographer in charge, who makes',
      'sure the equipment is taken out of use when a fault is suspected.',
    ];
    const v1 = buildPdfText([page(line(700, [body[0] ?? ''])), page(line(700, [body[1] ?? '']))]);
    const quote = 'radiographer in charge, who makes sure the equipment';
    const start = v1.text.indexOf(quote);
    expect(pageOfOffset(v1, start)).toBe(0);
    // Revision: a new paragraph before, and the break now falls elsewhere.
    const v2 = buildPdfText([
      page(
        line(700, ['A new definitions paragraph.']),
        line(640, ['The reporter also tells the radiographer']),
        line(626, ['in charge, who makes sure the equipment is']),
      ),
      page(line(700, ['taken out of use when a fault is suspected.'])),
    ]);
    const r = locateText(prepareText(v2.text), [
      {
        type: 'TextQuoteSelector',
        exact: quote,
        prefix: 'The reporter also tells the ',
        suffix: ' is taken out',
      },
      { type: 'TextPositionSelector', start, end: start + quote.length },
    ]);
    expect(r.status).toBe('exact');
    expect(v2.text.slice(r.start, r.end)).toBe(quote);
  });
});

describe('findAll', () => {
  test.each([
    [
      'case and line breaks ignored',
      'The Radiation\nprotection supervisor. radiation Protection',
      'radiation protection',
      [
        [4, 24],
        [37, 57],
      ],
    ],
    ['ligature in the query', 'final report', 'ﬁnal', [[0, 5]]],
    ['blank query', 'anything', '  ', []],
  ])('%s', (_name, text, query, expected) => {
    expect(findAll(text, query)).toEqual(expected);
  });
});
