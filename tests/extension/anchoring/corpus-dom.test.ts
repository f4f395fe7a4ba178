// @vitest-environment happy-dom
// Our corpus through the DOM: each page's HTML (hidden chrome, scripts, NBSP, <br>, inline
// markup, messy whitespace) gives exactly the normalised text the corpus expects, and clips
// described from DOM Ranges on the before-page re-anchor on the after-page with no false anchor.
import { describe, expect, test } from 'vitest';
import {
  anchorSelectors,
  buildTextModel,
  createRangeVerifier,
  describeRange,
} from '../../../extension/lib/anchoring';
import type { Selector } from '../../../shared/schemas';
import { newTally, record, summary } from '../../corpus/evaluate';
import { buildCorpus } from '../../corpus/policy-corpus';
import { loadHtml } from './load-html';

const corpus = buildCorpus();
const canon = (s: string) => s.replace(/\s/g, ' ');
/** Pairs run through the whole DOM pipeline (the rest only have their text checked). */
const DOM_PAIRS = 20;

describe('anchoring corpus (DOM level)', () => {
  test('unchanged pages: every clip passes the fast path, at the text model’s own place', () => {
    for (const pair of corpus.slice(0, 5)) {
      loadHtml(pair.beforeHtml);
      const model = buildTextModel(document.body);
      const verifier = createRangeVerifier(document.body);
      for (const c of pair.clips) {
        const range = model.rangeFor(...c.before);
        const sel = range && describeRange(model, range);
        expect(sel).not.toBeNull();
        const found = verifier.verify(sel ?? []);
        expect(found).not.toBeNull();
        const at = found && model.offsetsOf(found);
        const slow = anchorSelectors(model, sel ?? []);
        expect(at).toEqual({ start: slow.start, end: slow.end });
      }
    }
  }, 60_000);

  test('the other edited pages’ text models are the corpus text', () => {
    for (const pair of corpus.slice(DOM_PAIRS)) {
      loadHtml(pair.afterHtml);
      expect(canon(buildTextModel(document.body).text)).toBe(canon(pair.afterText));
    }
  }, 60_000);

  test('Range → selectors → edited page → Range: no false anchors (fast path first)', () => {
    const t = newTally();
    let fast = 0;
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
      // As the content script does it: the stored DOM place first, the text model for the rest.
      const verifier = createRangeVerifier(document.body);
      const results = described.map((d) => {
        const sel = d.sel ?? ([] as Selector[]);
        const range = verifier.verify(sel);
        const at = range && after.offsetsOf(range);
        if (!range || !at) return anchorSelectors(after, sel);
        fast++;
        return { status: 'exact' as const, range, score: 1, ...at };
      });
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
    console.log(summary('dom', t), `fast-path=${fast}`);
    expect(t.falseAnchors).toEqual([]);
    expect(fast).toBeGreaterThan(0);
    expect(t.found / t.anchorable).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});
