import { describe, expect, test } from 'vitest';
import { alignWords, tokenize, wordKey } from '../../../shared/anchoring/word-align';

describe('word alignment', () => {
  test('keys ignore case and punctuation at the ends of a word', () => {
    expect(['Criterion,', '“Open', 'source,”', "don't", '—'].map(wordKey)).toEqual([
      'criterion',
      'open',
      'source',
      "don't",
      '—',
    ]);
  });

  test('a region is tokenised on its own; words cut by its ends are left out', () => {
    const text = 'alpha beta gamma delta';
    const t = tokenize(text, 3, 18);
    expect(t.key).toEqual(['beta', 'gamma']);
    expect([...t.start]).toEqual([6, 11]);
    expect([...t.end]).toEqual([10, 16]);
    expect(tokenize(text).count).toBe(4);
  });

  test('an inserted clause costs its share, not a miss; the span covers the edited passage', () => {
    const before = 'Someone from talent should post in the admins channel when this happens.';
    const text = `Intro text here. Someone from talent should post in the admins channel using the bot when this happens. Next.`;
    const t = tokenize(text);
    const [best] = alignWords(before, t, 0, t.count);
    expect(best && text.slice(best.start, best.end)).toBe(
      'Someone from talent should post in the admins channel using the bot when this happens.',
    );
    expect(best?.sim).toBeGreaterThan(0.8);
    expect(best?.sim).toBeLessThan(1);
  });

  test('case and punctuation changes keep similarity 1; a changed first word is still covered', () => {
    const text = 'The success criterion applies to all content. Other text follows here.';
    const t = tokenize(text);
    const [a] = alignWords('the Success Criterion applies to all content.', t, 0, t.count);
    expect(a?.sim).toBe(1);
    const [b] = alignWords('A success criterion applies to all content.', t, 0, t.count);
    expect(b && text.slice(b.start, b.end)).toBe('The success criterion applies to all content.');
  });

  test('look-alike windows come back separately, best first; unrelated text gives none', () => {
    const text = 'Staff must sign the register daily. Visitors must sign the visitor book daily.';
    const t = tokenize(text);
    const w = alignWords('Staff must sign the register daily.', t, 0, t.count);
    expect(w.map((x) => text.slice(x.start, x.end))).toEqual([
      'Staff must sign the register daily.',
      'Visitors must sign the visitor book daily.',
    ]);
    expect(alignWords('completely different words entirely here', t, 0, t.count)).toEqual([]);
  });
});
