// The pure anchoring core: normaliser, describeText, and locateText's stages and thresholds
// (table-driven), plus fast-check properties.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  createTextAccumulator,
  describeText,
  locateText,
  normalizeText,
  normalizeWithMap,
  prepareText,
} from '../../../shared/anchoring';
import type { Selector, TextQuoteSelector } from '../../../shared/schemas';

const quoteOf = (s: Selector[]) => s.find((x): x is TextQuoteSelector => x.type === 'TextQuoteSelector');

describe('normalizeText', () => {
  test.each([
    ['  a \n\t b  ', 'a b'],
    ['a\u00a0\u00a0b', 'a b'],
    ['Cafe\u0301', 'Café'],
    ['x\u2003y\u3000z', 'x y z'],
    ['', ''],
  ])('%j → %j', (raw, out) => {
    expect(normalizeText(raw)).toBe(out);
  });

  test('the accumulator agrees with normalizeText on one chunk, keeps raw offsets', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\u00a0', 'e\u0301', 'Z', '\t') }),
        (raw) => {
          const acc = createTextAccumulator();
          acc.append(raw, 0);
          const n = acc.finish();
          expect(n.text).toBe(normalizeText(raw));
          for (let i = 0; i < n.text.length; i++) {
            const ch = n.text[i] ?? '';
            const src = raw.slice(n.rawStart[i], n.rawEnd[i]);
            if (ch === ' ') expect(src.trim()).toBe('');
            else expect(src.normalize('NFC')).toContain(ch);
          }
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  test('boundaries become one line break; separators never lead or trail', () => {
    const acc = createTextAccumulator();
    acc.boundary();
    acc.append('  Scope ', 0);
    acc.boundary();
    acc.append('  ', 1);
    acc.boundary();
    acc.append('Applies', 2);
    acc.append(' ', 3);
    acc.boundary();
    expect(acc.finish().text).toBe('Scope\nApplies');
  });

  test('normalizeWithMap maps back to raw offsets', () => {
    const raw = '  Records\n\n   are   kept.';
    const m = normalizeWithMap(raw);
    expect(m.text).toBe('Records are kept.');
    expect(raw.slice(m.toRaw(8), m.toRaw(11))).toBe('are');
    expect(m.toRaw(m.text.length)).toBe(raw.length);
  });
});

const DOC = normalizeText(`
  1. Purpose. This policy sets out how the imaging department justifies and optimises exposures.
  2. Scope. It applies to CT, MRI and plain film at the Royal Infirmary and all satellite sites.
  3. Responsibilities. The Radiology Services Manager must review all diagnostic reference levels annually.
  The Medical Physics Expert advises on optimisation and audits patient doses every two years.
  This document is uncontrolled when printed.
  4. Records. Records of justification decisions are kept for 8 years in accordance with the Local Rules.
  This document is uncontrolled when printed.
  5. Training. Staff working in CT must complete the training set out in the Employer's Procedures.`);

function describeQuote(text: string, quote: string, nth = 0): Selector[] {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(quote, at + 1);
  if (at < 0) throw new Error(`no ${quote}`);
  return describeText(text, at, at + quote.length);
}

describe('describeText', () => {
  test('quote, context of ≥ 64 chars extended to a sentence start, and position', () => {
    const q = 'must review all diagnostic reference levels annually';
    const [quote, pos] = describeQuote(DOC, q);
    expect(quote).toMatchObject({ type: 'TextQuoteSelector', exact: q });
    const qs = quote as TextQuoteSelector;
    expect(qs.prefix?.length).toBeGreaterThanOrEqual(64);
    expect(qs.prefix?.length).toBeLessThanOrEqual(256);
    const prefixAt = DOC.indexOf(q) - (qs.prefix?.length ?? 0);
    expect(DOC.slice(prefixAt - 2, prefixAt)).toBe('. '); // the context starts a sentence
    expect(qs.suffix?.length).toBeGreaterThanOrEqual(64);
    expect(qs.suffix?.endsWith('every two years.')).toBe(true);
    expect(pos).toEqual({
      type: 'TextPositionSelector',
      start: DOC.indexOf(q),
      end: DOC.indexOf(q) + q.length,
    });
  });

  test('context stops at the document edges; whitespace at the ends of the passage is trimmed', () => {
    const [quote, pos] = describeText('Short page text.', 0, 16);
    expect(quote).toEqual({
      type: 'TextQuoteSelector',
      exact: 'Short page text.',
      prefix: '',
      suffix: '',
      unique: true,
    });
    expect(describeText('One two three', 3, 8)[1]).toEqual({
      type: 'TextPositionSelector',
      start: 4,
      end: 7,
    });
    expect(pos).toEqual({ type: 'TextPositionSelector', start: 0, end: 16 });
  });

  test('context never exceeds the maximum, even without sentence ends', () => {
    const text = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const q = quoteOf(describeText(text, 1000, 1010));
    expect(q?.prefix?.length).toBeLessThanOrEqual(256);
    expect(q?.suffix?.length).toBeLessThanOrEqual(256);
    expect(q?.prefix?.length).toBeGreaterThanOrEqual(64);
  });

  test.each([
    [5, 5],
    [-1, 3],
    [0, 10_000],
  ])('throws on bad range %i..%i', (s, e) => {
    expect(() => describeText(DOC, s, e)).toThrow(RangeError);
  });
  test('throws on whitespace only', () => {
    expect(() => describeText('a   b', 1, 4)).toThrow(RangeError);
  });
});

describe('locateText', () => {
  const q1 = 'The Medical Physics Expert advises on optimisation and audits patient doses every two years.';

  test('unchanged: exact at the same offsets, decided by position', () => {
    const r = locateText(DOC, describeQuote(DOC, q1));
    expect(r).toMatchObject({
      status: 'exact',
      start: DOC.indexOf(q1),
      end: DOC.indexOf(q1) + q1.length,
      stage: 'position',
    });
    expect(r.score).toBe(1);
  });

  test('text inserted above: exact, at the new offsets', () => {
    const after = `New paragraph about something else entirely, added by an editor. ${DOC}`;
    const r = locateText(after, describeQuote(DOC, q1));
    expect(r.status).toBe('exact');
    expect(after.slice(r.start, r.end)).toBe(q1);
  });

  test('repeated boilerplate: the copy whose context matches', () => {
    const q = 'This document is uncontrolled when printed.';
    const sel = describeQuote(DOC, q, 1);
    const after = DOC.replace('1. Purpose.', '0. Foreword. Added. 1. Purpose.');
    const r = locateText(after, sel);
    expect(r.status).toBe('exact');
    expect(r.start).toBe(after.indexOf(q, after.indexOf(q) + 1));
  });

  test('repeated boilerplate whose context is gone: lost, not a guess', () => {
    const q = 'This document is uncontrolled when printed.';
    const sel = describeQuote(DOC, q, 1);
    const after = DOC.replace(/4\. Records\. .*? Local Rules\. /, '').replace(
      '5. Training.',
      'Section five was rewritten.',
    );
    expect(after.split(q).length - 1).toBe(2);
    expect(locateText(after, sel).status).toBe('lost');
  });

  test('deleted passage with a look-alike elsewhere sharing one side of context: lost', () => {
    // Templated policies repeat sentences; when the clipped one is cut out, its twin with the
    // same following text must not stand in for it.
    const twin = 'Any deviation must be reported on Datix and discussed with the PACS manager.';
    const before =
      normalizeText(`${DOC} 6. Consent. Consent is recorded for every CT examination. ${twin} Staff working in CT must complete the training.
      7. Pregnancy. The operator asks every patient of child-bearing age. ${twin} Staff working in CT must complete the training.`);
    const sel = describeQuote(before, twin, 0);
    const after = before.replace(`examination. ${twin} Staff`, 'examination. Staff');
    expect(after.split(twin).length - 1).toBe(1);
    expect(locateText(after, sel).status).toBe('lost');
    // …while the twin itself still anchors where it is.
    expect(locateText(after, describeQuote(before, twin, 1)).status).not.toBe('lost');
  });

  test('reworded inside the quote: relocated onto the new wording', () => {
    const after = DOC.replace(
      'advises on optimisation and audits',
      'advises on optimisation and also audits',
    );
    const r = locateText(after, describeQuote(DOC, q1));
    expect(r.status).toBe('relocated');
    expect(after.slice(r.start, r.end)).toContain('also audits patient doses');
    expect(r.score).toBeGreaterThan(0.8);
  });

  describe('edited in place while its old words survive verbatim elsewhere', () => {
    // Templated documents repeat sentences word for word. A unique exact copy far away with new
    // context must not win over the clipped passage itself, edited in place with its context
    // intact (docs/anchoring.md, "Templated pages").
    const q =
      'The reporting radiologist confirms the justification of the request with a second trained member of staff before any exposure is made to the patient concerned.';
    const filler = Array.from(
      { length: 200 },
      (_, i) => `Filler sentence number ${i} about waiting lists.`,
    ).join(' ');
    const section = `6. Justification. Requests are vetted within one working day by the duty radiologist. ${q} Vetting decisions are recorded on the RIS by the vetting radiologist.`;
    const appendix = `9. Appendix B. Sites adopting this policy may reuse the following model wording. ${q} End of the model wording for sites.`;
    const before = normalizeText(`${DOC} ${section} ${filler} ${appendix}`);
    const sel = describeQuote(before, q, 0);

    test('the nearby edited passage is chosen (relocated), not the distant copy', () => {
      expect(q.length).toBeGreaterThanOrEqual(150); // stands on its own, unless contradicted
      const after = before.replace('justification of the request', 'justification also of the request');
      expect(after.split(q).length - 1).toBe(1); // only the appendix copy is still word for word
      const r = locateText(after, sel);
      expect(r).toMatchObject({ status: 'relocated', stage: 'fuzzy-context' });
      expect(after.slice(r.start, r.end)).toContain('justification also of the request');
      expect(r.start).toBeLessThan(after.indexOf('9. Appendix B.'));
    });

    test('both plausible and neither clearly better: lost, not a guess', () => {
      // The copy keeps the clip's preceding sentence and part of the next (context partly intact)
      // while the edited passage changed more: their scores are within the margin.
      const twin = `6. Justification. Requests are vetted within one working day by the duty radiologist. ${q} Vetting decisions are kept on paper in the department office.`;
      const b2 = normalizeText(`${DOC} ${section} ${filler} ${twin}`);
      const s2 = describeQuote(b2, q, 0);
      const after = b2.replace(
        'confirms the justification of the request with a second',
        'confirms in writing the justification of each request with another',
      );
      expect(after.split(q).length - 1).toBe(1);
      expect(locateText(after, s2).status).toBe('lost');
    });

    test('original spot gone, only the distant copy with poor context: relocated there (to confirm)', () => {
      // Nothing contradicts the copy: the clip's words verbatim, unique, and no place keeps the
      // clip's context. It is offered as relocated, never exact.
      const after = before.replace(section, 'Section six was withdrawn.');
      const r = locateText(after, sel);
      expect(r.status).toBe('relocated');
      expect(r.start).toBe(after.indexOf(q));
      // …but when only the sentence was cut and its neighbours now meet, it is lost.
      const cut = before.replace(` ${q} Vetting`, ' Vetting');
      expect(locateText(cut, sel).status).toBe('lost');
    });
  });

  test('a changed number is not a small edit: lost', () => {
    const q = 'Records of justification decisions are kept for 8 years in accordance with the Local Rules.';
    const after = DOC.replace('kept for 8 years', 'kept for 3 years');
    expect(locateText(after, describeQuote(DOC, q)).status).toBe('lost');
  });

  test('deleted passage: lost (even though similar sentences remain)', () => {
    const after = DOC.replace(q1, '');
    const r = locateText(after, describeQuote(DOC, q1));
    expect(r.status).toBe('lost');
    expect(r.start).toBeUndefined();
  });

  test('short quotes need an exact quote and matching context', () => {
    const sel = describeQuote(DOC, 'annually');
    expect(locateText(DOC.replace('a. Scope', 'a. Scope'), sel).status).toBe('exact');
    // Context rewritten on both sides: a lone "annually" elsewhere must not be taken.
    const after = DOC.replace(
      /3\. Responsibilities\..*?two years\./,
      'Audits happen annually in the new scheme of things.',
    );
    expect(locateText(after, sel).status).toBe('lost');
    // A slightly misspelt short quote is never fuzzy-matched.
    expect(
      locateText(DOC, [{ type: 'TextQuoteSelector', exact: 'anually', prefix: 'reference levels ' }]).status,
    ).toBe('lost');
  });

  test('section moved far away: found by the whole-text stage', () => {
    const filler = Array.from(
      { length: 400 },
      (_, i) => `Filler sentence number ${i} about waiting lists.`,
    ).join(' ');
    const before = `${DOC} ${filler}`;
    const sel = describeQuote(before, q1);
    const after = `${filler} ${DOC.replace('audits patient doses', 'audits the patient doses')}`;
    const r = locateText(after, sel, { window: 500 });
    expect(r.status).toBe('relocated');
    expect(r.stage).toBe('fuzzy-context'); // its unchanged context is found first
    expect(after.slice(r.start, r.end)).toContain('audits the patient doses');
    // Without context to go by, the seeded whole-text stage finds it (a window alone does not).
    const bare = sel.map((x) => (x.type === 'TextQuoteSelector' ? { type: x.type, exact: x.exact } : x));
    const t = locateText(after, bare, { window: 500 });
    expect(t).toMatchObject({ status: 'relocated', stage: 'fuzzy-text' });
    expect(after.slice(t.start, t.end)).toContain('audits the patient doses');
    expect(locateText(after, bare, { window: 500, windowOnly: true }).status).toBe('lost');
  });

  test('Hypothesis-style raw whitespace in the selectors is normalised', () => {
    const r = locateText(DOC, [
      {
        type: 'TextQuoteSelector',
        exact: 'Staff working in\n\t\tCT',
        prefix: 'printed.\n\n 5. Training.\n\t',
        suffix: '  must\u00a0complete',
      },
    ]);
    expect(r.status).toBe('exact');
    expect(DOC.slice(r.start, r.end)).toBe('Staff working in CT');
  });

  test('without a quote nothing is verified: lost', () => {
    expect(locateText(DOC, [{ type: 'TextPositionSelector', start: 0, end: 10 }]).status).toBe('lost');
  });

  test('a PreparedText gives the same answers', () => {
    const p = prepareText(DOC);
    expect(locateText(p, describeQuote(DOC, q1))).toEqual(locateText(DOC, describeQuote(DOC, q1)));
  });
});

describe('properties', () => {
  const word = fc.constantFrom(
    'CT',
    'MRI',
    'referral',
    'justified',
    'practitioner',
    'must',
    'the',
    'dose',
    'audit',
    'review',
    'records',
    'kept',
    'years',
    'annually',
    'manager',
    'radiographer',
    'procedure',
    'local',
    'rules',
    'patient',
    'identification',
    'consent',
    'pregnancy',
    'training',
    'equipment',
    'quality',
    'assurance',
    'levels',
    '8',
    '12',
  );
  const sentence = fc.array(word, { minLength: 4, maxLength: 14 }).map((ws) => `${ws.join(' ')}.`);
  const text = fc.array(sentence, { minLength: 3, maxLength: 40 }).map((ss) => ss.join(' '));

  test('describe → locate on unchanged text is exact, at the same offsets', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (t, a, b) => {
        const s = a % t.length;
        const e = Math.min(t.length, s + 1 + (b % 300));
        if (t.slice(s, e).trim() === '') return;
        const sel = describeText(t, s, e);
        const pos = sel.find((x) => x.type === 'TextPositionSelector');
        const r = locateText(t, sel);
        expect(r.status).toBe('exact');
        expect(
          pos && [
            pos.type === 'TextPositionSelector' && pos.start,
            pos.type === 'TextPositionSelector' && pos.end,
          ],
        ).toEqual([r.start, r.end]);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  test('a quote that is not in the text never anchors to different text', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (t, a, b) => {
        const s = a % t.length;
        const e = Math.min(t.length, s + 1 + (b % 200));
        if (t.slice(s, e).trim() === '') return;
        const sel = describeText(t, s, e);
        const q = quoteOf(sel)?.exact ?? '';
        const after = `${t.slice(0, s)}${t.slice(e)}`;
        if (after.includes(q)) return;
        const r = locateText(after, sel);
        if (r.status !== 'lost') {
          // Only a near-identical rewording is acceptable: the deleted text itself is gone.
          expect(r.quoteSimilarity).toBeGreaterThanOrEqual(0.8);
          expect(after.slice(r.start, r.end)).not.toBe(q);
        }
        expect(r.status).toBe('lost');
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});
