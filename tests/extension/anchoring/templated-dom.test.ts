// @vitest-environment happy-dom
// Templated pages through the DOM: sections repeating the same boilerplate, clips described from
// DOM Ranges on the before-page and re-anchored on the edited page; every found Range holds the
// text the engine located, and no clip lands on a copy in another section.
import { describe, expect, test } from 'vitest';
import {
  anchorSelectors,
  buildTextModel,
  createRangeVerifier,
  describeRange,
} from '../../../extension/lib/anchoring';
import type { Selector } from '../../../shared/schemas';
import { newTally, record, summary } from '../../corpus/evaluate';
import { buildTemplatedCorpus } from '../../corpus/templated-corpus';
import { loadHtml } from './load-html';

const canon = (s: string) => s.replace(/\s/g, ' ');

describe('templated pages (DOM level)', () => {
  test('Range → selectors → edited templated page → Range', () => {
    const corpus = buildTemplatedCorpus(6);
    const t = newTally();
    let fast = 0;
    for (const pair of corpus) {
      loadHtml(pair.beforeHtml);
      const before = buildTextModel(document.body);
      expect(canon(before.text)).toBe(canon(pair.beforeText));
      const described = pair.clips.map((c) => {
        const range = before.rangeFor(...c.before);
        return { clip: c, sel: range ? describeRange(before, range) : null };
      });
      loadHtml(pair.afterHtml);
      const after = buildTextModel(document.body);
      expect(canon(after.text)).toBe(canon(pair.afterText));
      // The stored DOM place first, as the content script does: a copy now at the clip's old
      // path must not pass it.
      const verifier = createRangeVerifier(document.body);
      for (const d of described) {
        expect(d.sel).not.toBeNull();
        const sel = d.sel ?? ([] as Selector[]);
        const range = verifier.verify(sel);
        const at = range && after.offsetsOf(range);
        if (range && at) fast++;
        const r =
          range && at ? { status: 'exact' as const, range, score: 1, ...at } : anchorSelectors(after, sel);
        record(t, d.clip, r);
        if (r.range) expect(canon(r.range.toString())).toBe(canon(after.text.slice(r.start, r.end)));
      }
    }
    console.log(summary('templated-dom', t), `fast-path=${fast}`);
    // Same engine as the text level (tests/shared/anchoring/templated.test.ts), on 6 of its pages:
    // no clip is ever painted on a copy in another section.
    expect(t.falseAnchors).toEqual([]);
    expect(t.found / t.anchorable).toBeGreaterThanOrEqual(0.7);
  }, 60_000);
});
