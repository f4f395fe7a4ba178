import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeFragmentTerm, textDirectiveParts, textFragmentUrl } from '../../../shared/text-fragment';

describe('textFragmentUrl', () => {
  test.each([
    [
      'short quote',
      'https://a.example/p',
      'Patients are identified',
      undefined,
      undefined,
      'https://a.example/p#:~:text=Patients%20are%20identified',
    ],
    [
      'dash, comma and ampersand are escaped',
      'https://a.example/p',
      'IR(ME)R - A, B & C',
      undefined,
      undefined,
      'https://a.example/p#:~:text=IR(ME)R%20%2D%20A%2C%20B%20%26%20C',
    ],
    [
      'context becomes prefix/suffix',
      'https://a.example/p',
      'Two',
      'One ',
      ' Three\n',
      'https://a.example/p#:~:text=One-,Two,-Three',
    ],
    [
      'existing directive replaced, fragment kept',
      'https://a.example/p#sec-2:~:text=old',
      'New',
      undefined,
      undefined,
      'https://a.example/p#sec-2:~:text=New',
    ],
  ])('%s', (_name, url, quote, prefix, suffix, expected) => {
    expect(textFragmentUrl(url, quote, prefix, suffix)).toBe(expected);
  });

  test('a long quote becomes textStart,textEnd of its first and last words', () => {
    const quote =
      'Before any exposure the operator confirms the patient’s full name, date of birth and first line of address against the request.';
    expect(textDirectiveParts(quote)).toEqual({
      textStart: 'Before any exposure the',
      textEnd: 'address against the request.',
    });
  });

  test('a quote across blocks uses the first and last block', () => {
    const parts = textDirectiveParts('Heading\nBody text that follows');
    expect(parts.textStart).toBe('Heading');
    expect(parts.textEnd).toBe('Body text that follows');
  });

  test('prefix and suffix stay within the quote’s block', () => {
    expect(
      textDirectiveParts('x', 'Other block\nsame block words here ', ' after it\nnext block'),
    ).toMatchObject({
      prefix: 'block words here',
      suffix: 'after it',
    });
  });

  test('non-http URLs and blank quotes are returned unchanged', () => {
    expect(textFragmentUrl('javascript:alert(1)', 'x')).toBe('javascript:alert(1)');
    expect(textFragmentUrl('https://a.example/', '   ')).toBe('https://a.example/');
  });

  test('every term decodes back to its text and has no syntax characters', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (s) => {
        const enc = encodeFragmentTerm(s);
        expect(enc).not.toMatch(/[-,&#\s]/);
        expect(decodeURIComponent(enc)).toBe(s);
      }),
    );
  });
});
