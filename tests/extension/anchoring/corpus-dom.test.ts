// @vitest-environment happy-dom
// Our corpus through the DOM: each page's HTML (hidden chrome, scripts, NBSP, <br>, inline
// markup, messy whitespace) gives exactly the normalised text the corpus expects, and clips
// described from DOM Ranges on the before-page re-anchor on the after-page with no false anchor.
import { describe, expect, test } from 'vitest';
import { anchorSelectors, buildTextModel, describeRange } from '../../../extension/lib/anchoring';
import type { Selector } from '../../../shared/schemas';
import { newTally, record, summary } from '../../corpus/evaluate';
import { buildCorpus } from '../../corpus/policy-corpus';
import { loadHtml } from './load-html';

const corpus = buildCorpus();
const canon = (s: string) => s.replace(/\s/g, ' ');
/** Pairs run through the whole DOM pipeline (the rest only have their text checked). */
const DOM_PAIRS = 20;

describe('anchoring corpus (DOM level)', () => {
  test('the other edited pages’ text models are the corpus text', () => {
    for (const pair of corpus.slice(DOM_PAIRS)) {
      loadHtml(pair.afterHtml);
      expect(canon(buildTextModel(document.body).text)).toBe(canon(pair.afterText));
    }
  }, 60_000);

  test('Range → selectors → edited page → Range: no false anchors', () => {
    const t = newTally();
    for (const pair of corpus.slice(0, DOM_PAIRS)) {
      loadHtml(pair.beforeHtml);
      const before = buildTextModel(document.body);
      expect(canon(before.text)).toBe(canon(pair.beforeText));
      const described = pair.clips.map((c) => {
        const range = before.rangeFor(...c.before);
        return { clip: c, sel: range ? describeRange(before, range) : null };
      });
      loadHtml(pair.afterHtml);
      const t0 = performance.now();
      const after = buildTextModel(document.body);
      expect(canon(after.text)).toBe(canon(pair.afterText));
      const results = described.map((d) => anchorSelectors(after, d.sel ?? ([] as Selector[])));
      t.ms += performance.now() - t0;
      described.forEach((d, i) => {
        expect(d.sel).not.toBeNull();
        const r = results[i];
        if (!r) return;
        record(t, d.clip, r);
        if (r.range)
          expect(canon(r.range.toString()).replace(/ /g, '')).toBe(
            canon(after.text.slice(r.start, r.end)).replace(/ /g, ''),
          );
      });
    }
    console.log(summary('dom', t));
    expect(t.falseAnchors).toEqual([]);
    expect(t.found / t.anchorable).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});
