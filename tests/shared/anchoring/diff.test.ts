import { describe, expect, test } from 'vitest';
import { diffQuote } from '../../../shared/anchoring';

describe('diffQuote', () => {
  test('same words: unchanged, one part, no flags (whitespace aside)', () => {
    const d = diffQuote('Records are kept  for 8 years.', 'Records are kept for\n8 years.');
    expect(d).toEqual({
      parts: [{ op: 'same', text: 'Records are kept for 8 years.' }],
      changed: false,
      flags: [],
    });
  });

  test.each([
    ['Logs are kept for 12 months.', 'Logs are kept for 24 months.', 'number', '12', '24'],
    ['Reviewed within two working days.', 'Reviewed within three working days.', 'number', 'two', 'three'],
    ['Staff must sign the register.', 'Staff must not sign the register.', 'negation', '', 'not'],
    ['Staff must not sign the register.', 'Staff must sign the register.', 'negation', 'not', ''],
    ['You can delete it.', "You can't delete it.", 'negation', 'can', "can't"],
    [
      'Reviewed in March 2024 by the lead.',
      'Reviewed in April 2025 by the lead.',
      'date',
      'March 2024',
      'April 2025',
    ],
    ['Due on 01/02/2024 at noon.', 'Due on 01/03/2024 at noon.', 'date', '01/02/2024', '01/03/2024'],
  ])('%j → %j flags a %s change', (before, after, flag, removed, added) => {
    const d = diffQuote(before, after);
    expect(d.changed).toBe(true);
    expect(d.flags).toEqual([{ flag, removed, added }]);
  });

  test('a reworded passage: parts in order, kept words shared, no flag for plain words', () => {
    const d = diffQuote(
      'Success Criterion applies to content that use colour.',
      'success criterion applies to content who use colour.',
    );
    expect(d.parts).toEqual([
      { op: 'removed', text: 'Success Criterion' },
      { op: 'added', text: 'success criterion' },
      { op: 'same', text: 'applies to content' },
      { op: 'removed', text: 'that' },
      { op: 'added', text: 'who' },
      { op: 'same', text: 'use colour.' },
    ]);
    expect(d.flags).toEqual([]);
  });

  test('"may" the modal verb is not a date; "May" the month is', () => {
    expect(diffQuote('Staff may attend.', 'Staff may not attend.').flags.map((f) => f.flag)).toEqual([
      'negation',
    ]);
    expect(diffQuote('Audit in May.', 'Audit in June.').flags.map((f) => f.flag)).toEqual(['date']);
    expect(diffQuote('Staff may attend.', 'Staff should attend.').flags).toEqual([]);
  });

  test('joining the parts gives back both texts', () => {
    const before = 'The lead reviews 5 audits every year, not monthly.';
    const after = 'The new lead reviews 6 audits every two years, and monthly.';
    const d = diffQuote(before, after);
    const side = (op: 'removed' | 'added') =>
      d.parts
        .filter((p) => p.op === 'same' || p.op === op)
        .map((p) => p.text)
        .join(' ');
    expect(side('removed')).toBe(before);
    expect(side('added')).toBe(after);
    expect(d.flags.map((f) => f.flag)).toEqual(['number', 'negation']);
  });
});
