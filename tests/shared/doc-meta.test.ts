// parseDocMeta / parseUkDate: the document-control blocks UK intranets print, as innerText gives them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { fillDemoDates } from '../../demo/demo-dates';
import { parseDocMeta, parseUkDate } from '../../shared/doc-meta';
import { docMetaSchema } from '../../shared/schemas';

describe('parseUkDate', () => {
  test.each([
    ['12/03/2025', '2025-03-12'],
    ['12-03-2025', '2025-03-12'],
    ['12.03.2025', '2025-03-12'],
    ['1/3/2025', '2025-03-01'],
    ['12/03/25', '2025-03-12'],
    ['12 March 2025', '2025-03-12'],
    ['12th Mar 2025', '2025-03-12'],
    ['1st of May, 2026', '2026-05-01'],
    ['3rd Sept 2025', '2025-09-03'],
    ['22nd December 2025', '2025-12-22'],
    ['March 12, 2025', '2025-03-12'],
    ['2025-03-12', '2025-03-12'],
    ['2025/3/9', '2025-03-09'],
    ['March 2025', '2025-03-01'],
    ['Feb 2028', '2028-02-01'],
    ['03/2025', '2025-03-01'],
    ['approved at committee on 14/07/2025 (minute 12)', '2025-07-14'],
    ['31/02/2025', undefined],
    ['13/13/2025', undefined],
    ['TBC', undefined],
    ['', undefined],
  ])('%j → %s', (text, expected) => {
    expect(parseUkDate(text)).toBe(expected);
  });

  test.each([
    ['March 2025', '2025-03-31'],
    ['February 2028', '2028-02-29'],
    ['Feb 2027', '2027-02-28'],
    ['11/2026', '2026-11-30'],
    ['12 March 2025', '2025-03-12'],
  ])('month-only, last day: %j → %s', (text, expected) => {
    expect(parseUkDate(text, 'last')).toBe(expected);
  });
});

const tab = (...cells: string[]): string => cells.join('\t');

describe('parseDocMeta', () => {
  test.each<[string, string, Record<string, string>]>([
    [
      'two-column table (label TAB value)',
      [
        tab('Document ID', 'IMG-POL-004'),
        tab('Version', '3.2'),
        tab('Owner', 'Dr A. Okafor, Consultant Radiologist'),
        tab('Approval date', '12/03/2025'),
        tab('Next review date', '12/03/2027'),
      ].join('\n'),
      {
        documentId: 'IMG-POL-004',
        version: '3.2',
        owner: 'Dr A. Okafor, Consultant Radiologist',
        approvedOn: '2025-03-12',
        reviewDue: '2027-03-12',
      },
    ],
    [
      'colon lines with other wording',
      [
        'Patient identification policy',
        'Document reference: RAD/SOP/017',
        'Issue: 5',
        'Document owner: Radiology Services Manager',
        'Date approved: 12th Mar 2025',
        'Date of next review: March 2027',
      ].join('\n'),
      {
        documentId: 'RAD/SOP/017',
        version: '5',
        owner: 'Radiology Services Manager',
        approvedOn: '2025-03-12',
        reviewDue: '2027-03-31',
      },
    ],
    [
      'header row with values beneath',
      [
        tab('Ref', 'Version', 'Author', 'Ratified', 'Review due'),
        tab('QP-118', 'v2.0', 'J. Patel', '02.06.2024', '02.06.2026'),
      ].join('\n'),
      {
        documentId: 'QP-118',
        version: '2.0',
        owner: 'J. Patel',
        approvedOn: '2024-06-02',
        reviewDue: '2026-06-02',
      },
    ],
    [
      'label alone with the value on the next line',
      [
        'Document number',
        '',
        'NHT-IMG-022',
        'Version',
        'V4',
        'Lead',
        'Head of MRI',
        'Review date',
        '2026-01-31',
      ].join('\n'),
      { documentId: 'NHT-IMG-022', version: '4', owner: 'Head of MRI', reviewDue: '2026-01-31' },
    ],
    [
      'inline header with separators',
      'Ref: IRMER-EP-03 | Version 7.1 | Owner: Radiation Protection Lead | Approved 4 November 2025 | Next review: Nov 2027',
      {
        documentId: 'IRMER-EP-03',
        version: '7.1',
        owner: 'Radiation Protection Lead',
        approvedOn: '2025-11-04',
        reviewDue: '2027-11-30',
      },
    ],
    [
      'document owner beats author whatever the order',
      ['Author: Sam Lee', 'Document owner: Clinical Director', 'Lead: someone else'].join('\n'),
      { owner: 'Clinical Director' },
    ],
    [
      'last review is not next review',
      ['Last review date: 01/01/2024', 'Next review: 01/01/2026'].join('\n'),
      { reviewDue: '2026-01-01' },
    ],
    [
      'prose is not a control block',
      [
        'Lead aprons must be checked annually.',
        'Reference should be made to the local rules.',
        'Version history is held by the governance team.',
        'The owner of each room is the modality lead.',
      ].join('\n'),
      {},
    ],
    [
      'approved by someone, then a date',
      tab('Approved by', 'Radiation Protection Committee, 14/07/2025'),
      { approvedOn: '2025-07-14' },
    ],
    [
      'issue date stands in for approval only when there is none',
      ['Issue date: 01/02/2026', 'Issue: 2', 'Date approved: 15/01/2026'].join('\n'),
      { approvedOn: '2026-01-15', version: '2' },
    ],
    ['effective date alone', tab('Effective from', '1 April 2026'), { approvedOn: '2026-04-01' }],
    ['issue date alone', 'Issue date: 01/02/2026', { approvedOn: '2026-02-01' }],
    [
      'status row is not a date',
      [tab('Status', 'Approved'), tab('Version', '1.2')].join('\n'),
      { version: '1.2' },
    ],
    ['invalid dates are left out', ['Review date: 31/02/2026', 'Version: 1'].join('\n'), { version: '1' }],
    ['empty text', '', {}],
  ])('%s', (_name, text, expected) => {
    const meta = parseDocMeta(text);
    expect(meta).toEqual(expected);
    expect(docMetaSchema.safeParse(meta).success).toBe(true);
  });

  test('the first block on the page wins over later mentions', () => {
    const text = [tab('Version', '3.2'), 'Appendix A', tab('Version', '1.0')].join('\n');
    expect(parseDocMeta(text).version).toBe('3.2');
  });
});

// The demo intranet's document-control blocks, read roughly as a browser's innerText would give them.
describe('demo intranet pages', () => {
  const site = path.resolve('demo/site');
  const innerTextOfControl = (html: string): string => {
    const table = /<table[^>]*id="document-control"[^>]*>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    return table
      .replace(/<caption[\s\S]*?<\/caption>/g, '')
      .replace(/<\/t[hd]>\s*<t[hd][^>]*>/g, '\t')
      .replace(/<\/tr>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .split('\n')
      .map((l) => l.trim())
      .join('\n');
  };
  // As the demo server serves them: dates relative to today filled in (for the day these checks assume).
  const read = (file: string) => fillDemoDates(fs.readFileSync(path.join(site, file), 'utf8'), '2026-11-29');
  const pages = fs
    .readdirSync(site)
    .filter((f) => f.endsWith('.html'))
    .concat(fs.readdirSync(path.join(site, 'edited')).map((f) => `edited/${f}`))
    .filter((f) => read(f).includes('id="document-control"'));

  test('at least 6 policy pages and both edited variants have a control block', () => {
    expect(pages.filter((p) => !p.startsWith('edited/')).length).toBeGreaterThanOrEqual(6);
    expect(pages).toEqual(
      expect.arrayContaining(['edited/patient-identification.html', 'edited/mri-safety.html']),
    );
  });

  test.each(pages)('%s: every control field is detected', (file) => {
    const meta = parseDocMeta(innerTextOfControl(read(file)));
    expect(Object.keys(meta).sort()).toEqual(['approvedOn', 'documentId', 'owner', 'reviewDue', 'version']);
  });

  test('exactly one live policy is past its review date on 2026-11-29 (the chaperone policy)', () => {
    const overdue = pages
      .filter((p) => !p.startsWith('edited/'))
      .filter((p) => {
        const due = parseDocMeta(innerTextOfControl(read(p))).reviewDue;
        return due !== undefined && due < '2026-11-29';
      });
    expect(overdue).toEqual(['chaperone-policy.html']);
  });

  test.each([
    ['patient-identification.html', '4.1', '5.0'],
    ['mri-safety.html', '5.0', '5.1'],
  ])(
    'edited/%s: new version, and the sentence named in its header comment is gone',
    (file, before, after) => {
      const original = fs.readFileSync(path.join(site, file), 'utf8');
      const edited = fs.readFileSync(path.join(site, 'edited', file), 'utf8');
      expect(parseDocMeta(innerTextOfControl(original)).version).toBe(before);
      expect(parseDocMeta(innerTextOfControl(edited)).version).toBe(after);
      const removed = /Removed sentence \(must anchor as lost\): "([^"]+)"/.exec(edited)?.[1] ?? '';
      expect(removed.length).toBeGreaterThan(80);
      expect(original).toContain(removed);
      expect(edited.split(removed)).toHaveLength(2); // only in the comment
    },
  );

  test('the big page holds over 1 MB of text and stays under 2 MB', () => {
    const html = fs.readFileSync(path.join(site, 'big-protocol-manual.html'), 'utf8');
    const text = html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(Buffer.byteLength(html)).toBeLessThan(2_000_000);
  });
});

describe('demo dates relative to today', () => {
  test.each([
    ['2026-11-29', '29/12/2026'],
    ['2026-12-06', '05/01/2027'], // across the year end
    ['2028-02-01', '02/03/2028'], // leap February
  ])('{{today+30}} on %s reads %s, parsed back as that date', (today, shown) => {
    const html = fillDemoDates('<p>Next review date: {{today+30}}</p>', today);
    expect(html).toBe(`<p>Next review date: ${shown}</p>`);
    expect(parseDocMeta(html.replace(/<[^>]+>/g, '')).reviewDue).toBe(
      `${shown.slice(6)}-${shown.slice(3, 5)}-${shown.slice(0, 2)}`,
    );
  });
});
