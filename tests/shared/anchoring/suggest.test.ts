// Lost clips offer the best places below the thresholds ("Is it this passage?"), never accepted;
// the diff of the quote against a suggestion shows what changed.
import { describe, expect, test } from 'vitest';
import { describeText, diffQuote, locateText, normalizeText } from '../../../shared/anchoring';

const DOC = normalizeText(`
  1. Purpose. This policy sets out how the imaging department justifies and optimises exposures.
  2. Scope. It applies to CT, MRI and plain film at the Royal Infirmary and all satellite sites.
  3. Responsibilities. The Radiology Services Manager must review all diagnostic reference levels annually.
  The Medical Physics Expert advises on optimisation and audits patient doses every two years.
  4. Records. Records of justification decisions are kept for 12 months in accordance with the Local Rules.
  5. Training. All operators complete the radiation protection module before their first list.
`);
const Q = 'Records of justification decisions are kept for 12 months in accordance with the Local Rules.';
const sel = () => {
  const at = DOC.indexOf(Q);
  return describeText(DOC, at, at + Q.length);
};

describe('suggestions for lost clips', () => {
  test('a changed number: lost, the changed passage suggested, the diff flags the number', () => {
    const after = DOC.replace('12 months', '24 months');
    const r = locateText(after, sel());
    expect(r.status).toBe('lost');
    expect(r.start).toBeUndefined();
    const s = r.suggestions?.[0];
    expect(s).toBeDefined();
    if (!s) return;
    expect(after.slice(s.start, s.end)).toBe(Q.replace('12 months', '24 months'));
    expect(s.quoteSimilarity).toBeLessThan(1);
    const d = diffQuote(Q, after.slice(s.start, s.end));
    expect(d.flags).toEqual([{ flag: 'number', removed: '12', added: '24' }]);
  });

  test('a heavily rewritten passage below the thresholds is suggested at its place', () => {
    const rewritten =
      'Records of every justification decision are now kept centrally for 12 months under the revised Local Rules.';
    const after = DOC.replace(Q, rewritten);
    const r = locateText(after, sel());
    expect(r.status).toBe('lost');
    const s = r.suggestions?.[0];
    expect(s && after.slice(s.start, s.end)).toContain('justification decision are now kept centrally');
  });

  test('nothing like the passage left: no suggestion', () => {
    const after = DOC.replace(Q, 'The retention schedule is published separately.');
    const r = locateText(after, sel());
    expect(r.status).toBe('lost');
    expect(r.suggestions).toBeUndefined();
  });

  test('suggestions: 0 turns them off; found clips carry none', () => {
    const after = DOC.replace('12 months', '24 months');
    expect(locateText(after, sel(), { suggestions: 0 }).suggestions).toBeUndefined();
    const found = locateText(DOC, sel());
    expect(found.status).toBe('exact');
    expect(found.suggestions).toBeUndefined();
  });

  test('the verbatim copies of a boilerplate sentence none of which is clearly it are suggested, not taken', () => {
    const boiler = 'This document is uncontrolled when printed.';
    const a = `A. Storage. Paper copies are kept in the locked cabinet in the department office. ${boiler} Keep it safe at all times.`;
    const b = `B. Contacts. Questions about this policy go to the quality manager by email or phone. ${boiler} Ask the lead if unsure.`;
    const c = `C. Review. The policy is reviewed by the governance group every year. ${boiler} Read on for details.`;
    const page = `${DOC}\n${a}\n${b}`;
    const at = page.indexOf(boiler);
    const s = describeText(page, at, at + boiler.length);
    // The clip's own section is rewritten: two copies remain, neither in its context.
    const after = page
      .replace(a, 'A. Storage. Records are now kept electronically in the document system.')
      .concat(`\n${c}`);
    const r = locateText(after, s);
    expect(r.status).toBe('lost');
    const starts = (r.suggestions ?? []).map((x) => x.start).sort((x, y) => x - y);
    const copies = [...after.matchAll(/This document is uncontrolled when printed\./g)].map((m) => m.index);
    expect(starts).toEqual(copies);
  });
});
