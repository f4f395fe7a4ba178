// PDF document identity, viewer links and metadata.
import { describe, expect, test } from 'vitest';
import { belongsToPdf, isPdfClip, pdfIdentity } from '../../../shared/pdf/pdf-identity';
import { pdfDocMeta } from '../../../shared/pdf/pdf-meta';
import { looksLikePdfUrl, parseViewerHref, pdfPageHref, viewerHref } from '../../../shared/pdf/viewer-link';
import { clipSchema, type Selector } from '../../../shared/schemas';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const sel = (fingerprint?: string): Selector[] => [
  { type: 'TextQuoteSelector', exact: 'report it before the end of the shift' },
  { type: 'TextPositionSelector', start: 10, end: 47 },
  { type: 'PageSelector', index: 1, ...(fingerprint ? { fingerprint } : {}) },
];

describe('PDF identity: fingerprint plus normalised URL', () => {
  const doc = pdfIdentity('https://dms.example.nhs.uk/docs/policy.pdf?utm_source=mail#page=2', A);
  test.each([
    ['same URL, same file', 'https://dms.example.nhs.uk/docs/policy.pdf', sel(A), true],
    ['same URL, new version of the file', 'https://dms.example.nhs.uk/docs/policy.pdf', sel(B), true],
    ['another DMS link to the same file', 'https://dms.example.nhs.uk/view?id=31', sel(A), true],
    ['another link, another file', 'https://dms.example.nhs.uk/view?id=32', sel(B), false],
    ['a web-page clip at another URL', 'https://intranet.example.nhs.uk/policy', sel().slice(0, 2), false],
  ])('%s', (_name, url, selectors, expected) => {
    expect(belongsToPdf({ docKey: pdfIdentity(url, B).docKey, selectors }, doc)).toBe(expected);
  });
  test('a clip with a PageSelector is a PDF clip', () => {
    expect(isPdfClip({ selectors: sel(A) })).toBe(true);
    expect(isPdfClip({ selectors: sel().slice(0, 2) })).toBe(false);
  });
});

describe('Clip schema stays backward compatible', () => {
  const base = {
    id: '5d1e8e8e-7c1a-4b7e-9a57-1d2f0c4b9a11',
    url: 'https://dms.example.nhs.uk/docs/policy.pdf',
    docKey: 'https://dms.example.nhs.uk/docs/policy.pdf',
    title: 'Policy',
    quote: 'report it before the end of the shift',
    criteria: [],
    note: '',
    docMeta: {},
    createdBy: { id: 'u', name: 'Me' },
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:00.000Z',
    deleted: false,
  };
  test('old page selectors (no fingerprint) and web clips still parse; bad fingerprints do not', () => {
    expect(clipSchema.safeParse({ ...base, selectors: sel() }).success).toBe(true);
    expect(clipSchema.safeParse({ ...base, selectors: sel(A) }).success).toBe(true);
    expect(clipSchema.safeParse({ ...base, selectors: sel().slice(0, 2) }).success).toBe(true);
    expect(clipSchema.safeParse({ ...base, selectors: sel('XYZ') }).success).toBe(false);
  });
});

describe('viewer links', () => {
  const base = 'chrome-extension://abc/pdf-viewer.html';
  test('round trip', () => {
    const href = viewerHref(base, { file: 'https://dms.example/p.pdf?id=1&v=2', page: 3, clip: 'c-1' });
    const u = new URL(href);
    expect(parseViewerHref(u.search, u.hash)).toEqual({
      file: 'https://dms.example/p.pdf?id=1&v=2',
      page: 3,
      clip: 'c-1',
    });
  });
  test.each([
    ['?file=javascript%3Aalert(1)', ''],
    ['?file=file%3A%2F%2F%2Fetc%2Fpasswd', ''],
    ['', '#page=2'],
  ])('refuses %s', (search, hash) => {
    expect(parseViewerHref(search, hash)).toBeNull();
  });
  test('a bad page number is ignored', () => {
    expect(parseViewerHref('?file=https%3A%2F%2Fa.example%2Fp.pdf', '#page=-4')).toEqual({
      file: 'https://a.example/p.pdf',
    });
  });
  test('plain PDF page links and PDF-looking URLs', () => {
    expect(pdfPageHref('https://a.example/p.pdf#x', 4)).toBe('https://a.example/p.pdf#page=4');
    expect(looksLikePdfUrl('https://a.example/docs/P.PDF?download=1')).toBe(true);
    expect(looksLikePdfUrl('https://a.example/docs/pdf-guide.html')).toBe(false);
    expect(looksLikePdfUrl('file:///tmp/a.pdf')).toBe(false);
  });
});

describe('PDF metadata', () => {
  test('info dictionary and the first page’s document-control block; the page wins', () => {
    const m = pdfDocMeta(
      {
        Title: 'Radiation Incident Reporting Policy',
        Author: 'RSM',
        Custom: { Version: '2.9', ReviewDate: '31 January 2028' },
      },
      'Radiation Incident Reporting Policy\nDocument ID: IMG-POL-031\nVersion: 3.0\n',
    );
    expect(m.title).toBe('Radiation Incident Reporting Policy');
    expect(m.docMeta).toMatchObject({ documentId: 'IMG-POL-031', version: '3.0', reviewDue: '2028-01-31' });
  });
  test('no /Title: the first line of the first page', () => {
    expect(pdfDocMeta({}, '\n  Chaperone Policy\nVersion 1').title).toBe('Chaperone Policy');
  });
});
