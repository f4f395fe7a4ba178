// @vitest-environment happy-dom
// The fast path: a clip's stored DOM place (RangeSelector made at clip time) is accepted only when
// it still holds the very same quote with the very same context; anything else (a word changed,
// a paragraph inserted, a copy of the passage now at that path, hidden text, an old clip without
// the stored place, a Hypothesis import) is left to the text model.
import { beforeEach, describe, expect, test } from 'vitest';
import {
  anchorSelectors,
  buildTextModel,
  createRangeVerifier,
  describeRange,
  MADE_BY,
} from '../../../extension/lib/anchoring';
import type { Selector } from '../../../shared/schemas';

beforeEach(() => {
  document.body.innerHTML = '';
});

const SECTION = (n: number) =>
  `<section><h2>${n}. Unit procedure</h2><p>This procedure applies to all staff working in the unit named above.</p>` +
  `<p>In unit ${n} the modality lead checks the daily quality assurance log every morning. ` +
  `The service manager reviews the <b>local</b> diagnostic reference levels each week.</p>` +
  `<p>Any deviation from this procedure must be reported on Datix within one working day.</p></section>`;

function load(html: string): HTMLElement {
  document.body.innerHTML = `<main>${html}</main>`;
  return document.body;
}

/** Selectors for the first occurrence of `text` at or after `from` in the page's model. */
function clip(text: string, from = 0): Selector[] {
  const model = buildTextModel(document.body);
  const at = model.text.indexOf(text, from);
  if (at < 0) throw new Error(`not on the page: ${text}`);
  const range = model.rangeFor(at, at + text.length);
  if (!range) throw new Error('no range');
  const sel = describeRange(model, range);
  if (!sel) throw new Error('no selectors');
  return sel;
}

const verify = (sel: Selector[]) => createRangeVerifier(document.body).verify(sel);

describe('fast path (stored DOM place)', () => {
  const page = [1, 2, 3, 4].map(SECTION).join('');

  test('clips store their DOM place, marked as ours', () => {
    load(page);
    const sel = clip('the modality lead checks the daily quality');
    expect(sel.find((s) => s.type === 'RangeSelector')).toMatchObject({
      startContainer: '/main[1]/section[1]/p[2]',
      madeBy: MADE_BY,
    });
  });

  test('unchanged page: the stored place is the passage, the same as the text model finds', () => {
    load(page);
    const quotes = [
      'the modality lead checks the daily quality',
      'reviews the local diagnostic reference levels each week.',
      'every morning. The service manager reviews the local',
      'named above.\nIn unit 3 the modality lead', // across a paragraph break
      '1. Unit procedure',
    ];
    for (const q of quotes) {
      const sel = clip(q);
      const r = verify(sel);
      expect(r, q).not.toBeNull();
      const slow = anchorSelectors(buildTextModel(document.body), sel);
      expect(slow.status).toBe('exact');
      const model = buildTextModel(document.body);
      expect(model.offsetsOf(r as Range)).toEqual({ start: slow.start, end: slow.end });
    }
  });

  test('a word changed in the quote or in its context: not taken; the text model decides', () => {
    load(page);
    const sel = clip('the modality lead checks the daily quality');
    load(page.replace('In unit 1 the modality lead checks', 'In unit 1 the modality lead now checks'));
    expect(verify(sel)).toBeNull();
    expect(anchorSelectors(buildTextModel(document.body), sel).status).toBe('relocated');
    load(page.replace('every morning. The service manager', 'every evening. The service manager'));
    expect(verify(sel)).toBeNull();
    load(page.replace('1. Unit procedure', '1. Unit procedures'));
    expect(verify(clip('This procedure applies to all staff'))).not.toBeNull();
    const sel2 = clip('This procedure applies to all staff');
    load(page.replace('1. Unit procedure', '1. Unit rules'));
    expect(verify(sel2)).toBeNull();
  });

  test('templated page: a section inserted before puts a copy at the stored path; not taken', () => {
    load(page);
    // Boilerplate of section 3: the same words stand at /main/section[3]/p[1] after the insert,
    // but that is section 2's copy (its heading, right before it, differs).
    const from = buildTextModel(document.body).text.indexOf('2. Unit procedure');
    const sel = clip('This procedure applies to all staff working in the unit named above.', from);
    expect(sel.find((s) => s.type === 'RangeSelector')).toMatchObject({
      startContainer: '/main[1]/section[2]/p[1]',
    });
    load([1, 0, 2, 3, 4].map(SECTION).join(''));
    expect(verify(sel)).toBeNull();
    const slow = anchorSelectors(buildTextModel(document.body), sel);
    expect(slow.status).toBe('exact');
    expect(slow.range?.startContainer.parentElement?.previousElementSibling?.textContent).toBe(
      '2. Unit procedure',
    );
  });

  test('a paragraph inserted or removed before the clip in its section: found where it shifted', () => {
    load(page);
    const sel = clip(
      'Any deviation from this procedure must be reported',
      buildTextModel(document.body).text.indexOf('2. Unit procedure'),
    );
    const check = (html: string) => {
      load(html);
      const r = verify(sel);
      const slow = anchorSelectors(buildTextModel(document.body), sel);
      expect(slow.status).toBe('exact');
      expect(r && buildTextModel(document.body).offsetsOf(r)).toEqual({ start: slow.start, end: slow.end });
    };
    check(page.replace('<h2>2. Unit procedure</h2>', '<h2>2. Unit procedure</h2><p>New rule.</p>'));
    check(page.replace('<h2>2. Unit procedure</h2>', '<h2>2. Unit procedure</h2><p>One.</p><p>Two.</p>'));
    // Right after the heading the prefix changes: left to the text model.
    load(page.replace('<h2>1. Unit procedure</h2>', '<h2>1. Unit procedure</h2><p>New rule.</p>'));
    const first = clip('This procedure applies to all staff');
    load(page.replace('<h2>1. Unit procedure</h2>', '<h2>1. Unit procedure</h2><p>Another rule.</p>'));
    expect(verify(first)).toBeNull();
  });

  test('identical items repeated next to each other: a shifted place is not a guess', () => {
    const item = '<li>Not applicable to this unit; see the general procedure for the department.</li>';
    const list = (n: number) => `<ul>${item.repeat(n)}</ul>`;
    load(`<h2>Checks</h2>${list(9)}<p>End.</p>`);
    const model = buildTextModel(document.body);
    let at = -1;
    for (let i = 0; i < 4; i++) at = model.text.indexOf('Not applicable', at + 1);
    const range = model.rangeFor(at, at + 'Not applicable to this unit'.length);
    const sel = range ? (describeRange(model, range) ?? []) : [];
    expect(sel.find((x) => x.type === 'RangeSelector')).toMatchObject({
      startContainer: '/main[1]/ul[1]/li[4]',
    });
    expect(verify(sel)).not.toBeNull();
    // The clip's item reworded: the items two places either way hold the same words with the
    // same context, and neither can be told from the other.
    load(`<h2>Checks</h2><ul>${item.repeat(3)}<li>Applies from May.</li>${item.repeat(5)}</ul><p>End.</p>`);
    expect(verify(sel)).toBeNull();
  });

  test('the passage hidden or the stored place gone: not taken', () => {
    load(page);
    const sel = clip('the modality lead checks the daily quality');
    load(page.replace('<p>In unit 1', '<p hidden>In unit 1'));
    expect(verify(sel)).toBeNull();
    load(page.replace('<p>In unit 1', '<p style="display:none">In unit 1'));
    expect(verify(sel)).toBeNull();
    load('<p>Nothing here.</p>');
    expect(verify(sel)).toBeNull();
  });

  test('text added at the page edge next to a clip whose context reached the edge: not taken', () => {
    load('<p>Short page. Only a little text stands here.</p>');
    const sel = clip('Only a little text');
    expect(verify(sel)).not.toBeNull();
    load('<p>Now a longer page. Short page. Only a little text stands here.</p>');
    expect(verify(sel)).toBeNull();
    load('<p>Short page. Only a little text stands here. More.</p>');
    expect(verify(sel)).toBeNull();
  });

  test('a clip saved before the stored place existed (0.1.0) still anchors via the text model', () => {
    load(page);
    const sel = clip('the modality lead checks the daily quality').filter((s) => s.type !== 'RangeSelector');
    expect(sel.map((s) => s.type)).toEqual(['TextQuoteSelector', 'TextPositionSelector']);
    expect(verify(sel)).toBeNull();
    const r = anchorSelectors(buildTextModel(document.body), sel);
    expect(r.status).toBe('exact');
    expect(r.range?.toString()).toBe('the modality lead checks the daily quality');
  });

  test('a Hypothesis RangeSelector (not ours) is never a fast-path place', () => {
    load(page);
    const sel = clip('the modality lead checks the daily quality').map((s) =>
      s.type === 'RangeSelector' ? { ...s, madeBy: undefined } : s,
    );
    expect(verify(sel)).toBeNull();
  });
});
