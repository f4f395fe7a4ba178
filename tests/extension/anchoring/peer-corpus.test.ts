// @vitest-environment happy-dom
// Peer corpus (tests/corpus/hypothesis-baselines, Hypothesis's own test data, BSD-2-Clause: LICENSE there): every Hypothesis annotation, with its
// legacy RangeSelector, raw TextPositionSelector and TextQuoteSelector, anchors to exactly its quote.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  anchorSelectors,
  buildTextModel,
  importSelectors,
  type TextModel,
} from '../../../extension/lib/anchoring';
import { collapseText } from '../../../shared/anchoring';
import { type Selector, selectorSchema } from '../../../shared/schemas';
import { loadHtml } from './load-html';

const DIR = path.resolve('tests/corpus/hypothesis-baselines');
const pages = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    name: f.replace(/\.json$/, ''),
    html: fs.readFileSync(path.join(DIR, f.replace(/\.json$/, '.html')), 'utf8'),
    rows: (
      JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as {
        rows: Array<{ id: string; target: Array<{ selector: unknown[] }> }>;
      }
    ).rows,
  }));

const norm = (s: string) => collapseText(s).replace(/\s/g, ' ').trim();

describe('Hypothesis baselines', () => {
  test('the corpus is there', () => {
    expect(pages.length).toBeGreaterThanOrEqual(2);
  });
  for (const page of pages)
    describe(page.name, () => {
      let model: TextModel;
      beforeAll(() => {
        loadHtml(page.html);
        model = buildTextModel(document.body);
      });
      for (const row of page.rows) {
        const selectors: Selector[] = (row.target[0]?.selector ?? []).map((s) => selectorSchema.parse(s));
        const quote = selectors.find((s) => s.type === 'TextQuoteSelector');
        const variants: Array<[string, Selector[]]> = [
          ['all selectors', selectors],
          ['quote only', selectors.filter((s) => s.type === 'TextQuoteSelector')],
          ['range + quote', selectors.filter((s) => s.type !== 'TextPositionSelector')],
        ];
        for (const [label, sel] of variants) {
          test(`${page.name} ${row.id} (${label}) anchors to exactly its quote`, () => {
            const r = anchorSelectors(model, sel);
            expect(r.status).toBe('exact');
            expect(norm(r.range?.toString() ?? '')).toBe(
              norm(quote?.type === 'TextQuoteSelector' ? quote.exact : '?'),
            );
          });
        }
        test(`${page.name} ${row.id}: legacy RangeSelector converts to a position holding the quote`, () => {
          const legacy = selectors.filter(
            (s) => s.type === 'RangeSelector' || s.type === 'TextQuoteSelector',
          );
          const pos = importSelectors(model, legacy).find((s) => s.type === 'TextPositionSelector');
          expect(pos?.type).toBe('TextPositionSelector');
          if (pos?.type !== 'TextPositionSelector' || quote?.type !== 'TextQuoteSelector') return;
          expect(norm(model.text.slice(pos.start, pos.end))).toBe(norm(quote.exact));
        });
      }
    });
});
