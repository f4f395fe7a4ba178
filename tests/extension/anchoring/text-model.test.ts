// @vitest-environment happy-dom
// DOM adapter: the text model (normalisation, what is skipped, block separators), the
// offset ↔ Range round trip, describe/anchor through the DOM, and legacy selector import.
import fc from 'fast-check';
import { beforeEach, describe, expect, test } from 'vitest';
import {
  anchorSelectors,
  buildTextModel,
  describeRange,
  importSelectors,
  resolveSimpleXPath,
} from '../../../extension/lib/anchoring';

beforeEach(() => {
  document.body.innerHTML = '';
});

function page(html: string): HTMLElement {
  document.body.innerHTML = `<main id="root">${html}</main>`;
  const root = document.getElementById('root');
  if (!root) throw new Error('no root');
  return root;
}

describe('buildTextModel: text', () => {
  test.each([
    [
      'whitespace runs collapse, NBSP is a space',
      '<p>  One&nbsp;&nbsp;two \n\t three  </p>',
      'One two three',
    ],
    [
      'blocks are separated by a line break',
      '<h2>Scope</h2><p>Applies to CT.</p><ul><li>a</li><li>b</li></ul>',
      'Scope\nApplies to CT.\na\nb',
    ],
    ['<br> is a line break', '<p>Line one<br>line two</p>', 'Line one\nline two'],
    [
      'inline elements join without a gap',
      '<p>Radi<b>ology</b> <a href="#">services</a>.</p>',
      'Radiology services.',
    ],
    ['NFC', '<p>Cafe\u0301 cre\u0300me</p>', 'Café crème'],
    [
      'script, style, noscript, template and hidden text are skipped',
      '<p>A</p><script>var x=1</script><style>p{}</style><noscript>js off</noscript><template><p>T</p></template><p hidden>H</p><div style="display:none">N</div><p>B</p>',
      'A\nB',
    ],
    [
      'our own UI is skipped',
      '<p>Keep</p><div data-qsi-evidence-ui><p>Clip as evidence</p></div><p>this</p>',
      'Keep\nthis',
    ],
    [
      'visibility:hidden text is skipped, visible children kept',
      '<p style="visibility:hidden">gone <span style="visibility:visible">seen</span></p>',
      'seen',
    ],
  ])('%s', (_label, html, text) => {
    expect(buildTextModel(page(html)).text).toBe(text);
  });

  test('exclude option and aria-hidden opt-in', () => {
    const root = page('<p>One</p><aside class="ad">Buy</aside><p aria-hidden="true">Icon</p><p>Two</p>');
    expect(buildTextModel(root).text).toBe('One\nBuy\nIcon\nTwo');
    expect(
      buildTextModel(root, { exclude: (el) => el.classList.contains('ad'), skipAriaHidden: true }).text,
    ).toBe('One\nTwo');
  });
});

describe('buildTextModel: offsets ↔ Range', () => {
  const html =
    '<h2>1. Purpose</h2><p>All <b>CT</b> referrals&nbsp;must be   justified.<br>See <i>the Local Rules</i>.</p>' +
    '<div hidden>secret</div><ul><li>  Records are kept  for 8 years. </li><li>Audit <span>annually</span>.</li></ul>' +
    '<p>Caf\u0065\u0301 policy \u{1F600} emoji.</p>';

  test('rangeFor(s, e).toString() is the model text, and offsetsOf round-trips', () => {
    const model = buildTextModel(page(html));
    const { text } = model;
    const isWs = (c: string | undefined) => c === undefined || /\s/.test(c);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), fc.integer({ min: 1, max: 40 }), (s, len) => {
        const e = Math.min(text.length, s + len);
        const range = model.rangeFor(s, e);
        const slice = text.slice(s, e);
        if (slice.trim() === '') return;
        expect(range).not.toBeNull();
        if (!range) return;
        // DOM text has no block separators, and a Range spanning hidden nodes includes their
        // (unpainted) text: compare without whitespace and without the hidden word.
        const got = range.toString().normalize('NFC').replace(/\s+/g, '').replace('secret', '');
        expect(got).toBe(slice.replace(/\s+/g, ''));
        if (!isWs(text[s]) && !isWs(text[e - 1])) {
          expect(model.offsetsOf(range)).toEqual({ start: s, end: e });
        }
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  test('ranges with element boundaries and hidden text map to the visible text', () => {
    const root = page(html);
    const model = buildTextModel(root);
    const r = document.createRange();
    r.selectNodeContents(root.querySelector('ul') as Element);
    const at = model.offsetsOf(r);
    expect(at && model.text.slice(at.start, at.end).trim()).toBe(
      'Records are kept for 8 years.\nAudit annually.',
    );
    const hidden = document.createRange();
    hidden.selectNodeContents(root.querySelector('[hidden]') as Element);
    expect(model.offsetsOf(hidden)).toBeNull();
    const outside = document.createRange();
    outside.selectNodeContents(document.head);
    expect(model.offsetsOf(outside)).toBeNull();
  });

  test('out-of-range or whitespace-only offsets give null', () => {
    const model = buildTextModel(page('<p>One</p><p>Two</p>'));
    expect(model.rangeFor(3, 4)).toBeNull();
    expect(model.rangeFor(5, 2)).toBeNull();
    expect(model.rangeFor(-5, 100)?.toString()).toContain('One');
  });
});

describe('describeRange / anchorSelectors', () => {
  const body =
    '<h2>3. Referral</h2><p>All MRI referrals must be justified by the IR(ME)R practitioner before the examination is performed. ' +
    'Referrers must follow the referral guidelines.</p><p>This document is uncontrolled when printed.</p>';

  test('describe a selection, anchor it again: exact, same text', () => {
    const root = page(body);
    const model = buildTextModel(root);
    const p = root.querySelector('p') as Element;
    const range = document.createRange();
    range.setStart(p.firstChild as Text, 4);
    range.setEnd(p.firstChild as Text, 45);
    const selectors = describeRange(model, range);
    expect(selectors?.[0]).toMatchObject({
      type: 'TextQuoteSelector',
      exact: 'MRI referrals must be justified by the IR',
    });
    const again = anchorSelectors(model, selectors ?? []);
    expect(again.status).toBe('exact');
    expect(again.range?.toString()).toBe('MRI referrals must be justified by the IR');
  });

  test('a whitespace-only selection describes to null', () => {
    const root = page('<p>One</p>\n   <p>Two</p>');
    const range = document.createRange();
    range.setStartAfter(root.querySelector('p') as Element);
    range.setEndBefore(root.querySelectorAll('p')[1] as Element);
    expect(describeRange(buildTextModel(root), range)).toBeNull();
  });

  test('after the page changes: moved text is found, deleted text is lost', () => {
    const root = page(body);
    const model = buildTextModel(root);
    const range = document.createRange();
    range.selectNodeContents(root.querySelector('p') as Element);
    const selectors = describeRange(model, range) ?? [];
    root.insertAdjacentHTML(
      'afterbegin',
      '<p>New introduction paragraph inserted above everything else on the page.</p>',
    );
    const moved = anchorSelectors(buildTextModel(root), selectors);
    expect(moved.status).toBe('exact');
    expect(moved.range?.toString()).toContain('All MRI referrals must be justified');
    root.querySelectorAll('p')[1]?.remove();
    expect(anchorSelectors(buildTextModel(root), selectors).status).toBe('lost');
  });

  test('reworded inside the quote: relocated, on the new wording', () => {
    const root = page(body);
    const range = document.createRange();
    range.selectNodeContents(root.querySelector('p') as Element);
    const selectors = describeRange(buildTextModel(root), range) ?? [];
    const p = root.querySelector('p') as Element;
    p.textContent = (p.textContent ?? '').replace('must be justified', 'should be justified');
    const r = anchorSelectors(buildTextModel(root), selectors);
    expect(r.status).toBe('relocated');
    expect(r.range?.toString()).toContain('should be justified');
  });
});

describe('import of legacy selectors', () => {
  test('resolveSimpleXPath follows /tag[n] steps from the root', () => {
    document.body.innerHTML = '<div>a</div><div><p>x</p><p>y</p></div>';
    expect(resolveSimpleXPath(document.body, '/div[2]/p[2]')?.textContent).toBe('y');
    expect(resolveSimpleXPath(document.body, '/div[3]')).toBeNull();
    expect(resolveSimpleXPath(document.body, '/div[1]/bad step')).toBeNull();
  });

  test('Hypothesis RangeSelector + raw position become a position in our text', () => {
    document.body.innerHTML =
      '<div>\n\t<p>Intro   text</p>\n\t<p>Records are <b>kept</b> for 8 years.</p>\n</div>';
    const model = buildTextModel(document.body);
    const out = importSelectors(model, [
      {
        type: 'RangeSelector',
        startContainer: '/div[1]/p[2]',
        startOffset: 0,
        endContainer: '/div[1]/p[2]',
        endOffset: 16,
      },
      { type: 'TextQuoteSelector', exact: 'Records are kept', prefix: 'Intro   text\n\t', suffix: ' for 8' },
    ]);
    const pos = out.find((s) => s.type === 'TextPositionSelector');
    expect(pos && pos.type === 'TextPositionSelector' && model.text.slice(pos.start, pos.end)).toBe(
      'Records are kept',
    );
    expect(out.find((s) => s.type === 'TextQuoteSelector')).toMatchObject({ prefix: 'Intro text ' });
    const r = anchorSelectors(model, out);
    expect(r.status).toBe('exact');
    expect(r.range?.toString()).toBe('Records are kept');
  });

  test('a legacy position that does not hold the quote is dropped, the quote still anchors', () => {
    document.body.innerHTML = '<p>Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda</p>';
    const model = buildTextModel(document.body);
    const sel = [
      {
        type: 'RangeSelector' as const,
        startContainer: '/p[1]',
        startOffset: 0,
        endContainer: '/p[1]',
        endOffset: 5,
      },
      { type: 'TextQuoteSelector' as const, exact: 'gamma delta epsilon zeta eta' },
    ];
    expect(importSelectors(model, sel).some((s) => s.type === 'TextPositionSelector')).toBe(false);
    expect(anchorSelectors(model, sel).range?.toString()).toBe('gamma delta epsilon zeta eta');
  });
});
