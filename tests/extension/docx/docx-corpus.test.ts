// @vitest-environment happy-dom
// The anchoring corpus through Word documents: each before/after pair of the policy corpus is
// written as a .docx (one paragraph per line of its text, with the `docx` package), converted by
// mammoth and rendered by the viewer's own code; clips described from DOM Ranges on the rendered
// before-document re-anchor on the rendered after-document with no false anchor, as on web pages.
import { Document, Packer, Paragraph } from 'docx';
import mammoth from 'mammoth';
import { describe, expect, test } from 'vitest';
import { anchorSelectors, buildTextModel, describeRange } from '../../../extension/lib/anchoring';
import { renderDocx } from '../../../extension/lib/docx/render-docx';
import type { Selector } from '../../../shared/schemas';
import { newTally, record, summary } from '../../corpus/evaluate';
import { buildCorpus } from '../../corpus/policy-corpus';

const PAIRS = 20;
const canon = (s: string) => s.replace(/\s+/g, ' ').trim();

async function renderAsDocx(text: string): Promise<HTMLElement> {
  const doc = new Document({
    sections: [{ children: text.split('\n').map((line) => new Paragraph(line)) }],
  });
  const bytes = await Packer.toBuffer(doc);
  const { value } = await mammoth.convertToHtml({ buffer: bytes });
  const article = document.createElement('article');
  document.body.replaceChildren(article);
  renderDocx(value, article, document.createElement('nav'));
  return article;
}

describe('anchoring corpus (Word documents)', () => {
  test('Range → selectors → revised .docx → Range: no false anchors', async () => {
    const t = newTally();
    for (const pair of buildCorpus().slice(0, PAIRS)) {
      const before = buildTextModel(await renderAsDocx(pair.beforeText), { computedStyle: false });
      expect(canon(before.text)).toBe(canon(pair.beforeText));
      // Paragraph breaks are "\n" in both texts: the corpus offsets hold in the rendered model.
      expect(before.text.length).toBe(pair.beforeText.length);
      const described = pair.clips.map((c) => {
        const range = before.rangeFor(...c.before);
        return { clip: c, sel: range ? describeRange(before, range) : null };
      });
      const after = buildTextModel(await renderAsDocx(pair.afterText), { computedStyle: false });
      expect(after.text.length).toBe(pair.afterText.length);
      described.forEach((d) => {
        expect(d.sel).not.toBeNull();
        record(t, d.clip, anchorSelectors(after, d.sel ?? ([] as Selector[])));
      });
    }
    console.log(summary('docx', t));
    expect(t.falseAnchors).toEqual([]);
    expect(t.found / t.anchorable).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
