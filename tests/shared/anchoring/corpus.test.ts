// Our before/after corpus (tests/corpus): every clip re-located on the edited page by the pure
// core. Fails on any false anchor; prints recall, false-anchor rate, lost-precision and time.
import { describe, expect, test } from 'vitest';
import { describeText, locateText, prepareText } from '../../../shared/anchoring';
import { newTally, record, summary } from '../../corpus/evaluate';
import { buildCorpus } from '../../corpus/policy-corpus';

describe('anchoring corpus (text level)', () => {
  const corpus = buildCorpus();

  test('is big enough to mean something', () => {
    const clips = corpus.flatMap((p) => [...p.clips, ...p.foreign.map((f) => f.clip)]);
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    expect(clips.length).toBeGreaterThanOrEqual(1000);
    const absent = clips.filter((c) => c.expect === 'absent');
    expect(absent.length).toBeGreaterThanOrEqual(300);
    for (const p of corpus) {
      const canon = p.afterText.replace(/\s/g, ' ');
      for (const f of p.foreign) {
        const q = f.text.slice(...f.clip.before).replace(/\s/g, ' ');
        expect(canon.includes(q)).toBe(false);
      }
    }
  });

  test('no false anchors, high recall', () => {
    const t = newTally();
    for (const pair of corpus) {
      const t0 = performance.now();
      const text = prepareText(pair.afterText);
      const jobs = [
        ...pair.clips.map((c) => ({ clip: c, sel: describeText(pair.beforeText, ...c.before) })),
        ...pair.foreign.map((f) => ({ clip: f.clip, sel: describeText(f.text, ...f.clip.before) })),
      ];
      const results = jobs.map((j) => locateText(text, j.sel));
      t.ms += performance.now() - t0;
      jobs.forEach((j, i) => {
        const r = results[i];
        if (r) record(t, j.clip, r);
      });
    }
    console.log(summary('text', t));
    if (t.falseAnchors.length) console.log(JSON.stringify(t.falseAnchors.slice(0, 10), null, 1));
    expect(t.falseAnchors).toEqual([]);
    expect(t.found / t.anchorable).toBeGreaterThanOrEqual(0.97);
  });
});
