// Word document metadata (core.xml, custom.xml, the document-control table), identity and links.
import { describe, expect, test } from 'vitest';
import {
  docxClipLink,
  isDocxClip,
  isDocxContentType,
  looksLikeDocxUrl,
} from '../../../shared/docx/docx-link';
import {
  controlTableLines,
  decodeXmlText,
  docxDocMeta,
  parseDocxProperties,
} from '../../../shared/docx/docx-meta';
import { belongsToFile, fileFingerprintOf, fileIdentity } from '../../../shared/file-identity';
import { clipSchema, type Selector } from '../../../shared/schemas';

const CORE = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <dc:title>Contrast &amp; Sedation Policy</dc:title>
  <dc:creator>Lead Radiographer, CT</dc:creator>
  <cp:lastModifiedBy>J Bloggs</cp:lastModifiedBy>
  <cp:revision>7</cp:revision>
  <dcterms:created xsi:type="dcterms:W3CDTF">2025-01-02T09:00:00Z</dcterms:created>
  <dcterms:modified xsi:type="dcterms:W3CDTF">2026-03-03T10:15:00Z</dcterms:modified>
</cp:coreProperties>`;

const CUSTOM = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
  <property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="DocumentId"><vt:lpwstr>IMG-POL-022</vt:lpwstr></property>
  <property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Version"><vt:lpwstr>4.0</vt:lpwstr></property>
  <property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="ReviewDate"><vt:lpwstr>31 March 2028</vt:lpwstr></property>
</Properties>`;

describe('docx properties', () => {
  test('core.xml: title (entities decoded), author, last modified date', () => {
    const p = parseDocxProperties(CORE);
    expect(p.title).toBe('Contrast & Sedation Policy');
    expect(p.author).toBe('Lead Radiographer, CT');
    expect(p.lastModified).toBe('2026-03-03');
    expect(p.version).toBeUndefined();
  });
  test('custom.xml: named properties, Version taken as the version', () => {
    const p = parseDocxProperties(CORE, CUSTOM);
    expect(p.custom).toEqual({ DocumentId: 'IMG-POL-022', Version: '4.0', ReviewDate: '31 March 2028' });
    expect(p.version).toBe('4.0');
  });
  test('empty or broken parts give nothing, never a throw', () => {
    expect(parseDocxProperties('', '')).toEqual({ custom: {} });
    expect(parseDocxProperties('<dc:title>unclosed', '<property name="x">')).toEqual({ custom: {} });
  });
  test('entities: predefined and numeric; markup inside a value is dropped', () => {
    expect(decodeXmlText('a &lt;b&gt; &#x2019; &#8211; &amp;amp;')).toBe('a <b> ’ – &amp;');
    expect(parseDocxProperties('<dc:title>A <b>bold</b> title</dc:title>').title).toBe('A bold title');
  });
});

describe('document-control table', () => {
  test('rows become tab-separated lines', () => {
    expect(
      controlTableLines([
        ['Version', ' 4.0 '],
        ['Owner', 'A\nB'],
      ]),
    ).toBe('Version\t4.0\nOwner\tA B');
  });
  test.each([
    [
      'label/value rows',
      [
        ['Document ID', 'IMG-POL-022'],
        ['Version', '4.1'],
        ['Document owner', 'Lead Radiographer, CT'],
        ['Approved', '20 November 2026'],
        ['Next review date', '30 November 2028'],
      ],
      {
        documentId: 'IMG-POL-022',
        version: '4.1',
        owner: 'Lead Radiographer, CT',
        approvedOn: '2026-11-20',
        reviewDue: '2028-11-30',
      },
    ],
    [
      'a header row over a value row',
      [
        ['Document ID', 'Version', 'Review date'],
        ['IMG-SOP-021', '3.4', '05/11/2027'],
      ],
      { documentId: 'IMG-SOP-021', version: '3.4', reviewDue: '2027-11-05' },
    ],
  ])('%s', (_name, rows, expected) => {
    expect(docxDocMeta({ coreXml: '', firstTable: rows }).docMeta).toEqual(expected);
  });
  test('the table wins over the properties; properties fill the rest; title from core.xml', () => {
    const meta = docxDocMeta({
      coreXml: CORE,
      customXml: CUSTOM,
      firstTable: [['Version', '4.1']],
      firstLine: 'Ignored heading',
    });
    expect(meta.title).toBe('Contrast & Sedation Policy');
    expect(meta.docMeta).toMatchObject({
      documentId: 'IMG-POL-022',
      version: '4.1',
      reviewDue: '2028-03-31',
    });
    expect(meta.docMeta.owner).toBe('Lead Radiographer, CT');
    expect(meta.author).toBe('Lead Radiographer, CT');
    expect(meta.lastModified).toBe('2026-03-03');
  });
  test('no title property: the first heading', () => {
    expect(docxDocMeta({ coreXml: '', firstLine: '  MRI Safety Policy ' }).title).toBe('MRI Safety Policy');
  });
});

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const docxSel = (fingerprint: string): Selector[] => [
  { type: 'TextQuoteSelector', exact: 'Reduce by a third when eGFR is below 45' },
  { type: 'TextPositionSelector', start: 10, end: 49 },
  { type: 'FileSelector', format: 'docx', fingerprint },
];

describe('file identity: fingerprint plus normalised URL, for Word documents too', () => {
  const doc = fileIdentity('https://dms.example.nhs.uk/docs/contrast.docx?utm_source=mail', A);
  test.each([
    ['same URL, same file', 'https://dms.example.nhs.uk/docs/contrast.docx', docxSel(A), true],
    ['same URL, new version', 'https://dms.example.nhs.uk/docs/contrast.docx', docxSel(B), true],
    ['a DMS download link to the same file', 'https://dms.example.nhs.uk/download?doc=22', docxSel(A), true],
    ['another link, another file', 'https://dms.example.nhs.uk/download?doc=23', docxSel(B), false],
  ])('%s', (_name, url, selectors, expected) => {
    expect(belongsToFile({ docKey: fileIdentity(url, B).docKey, selectors }, doc)).toBe(expected);
  });
  test('the fingerprint of a PDF clip and of a Word clip; none for a web clip', () => {
    expect(fileFingerprintOf(docxSel(A))).toBe(A);
    expect(fileFingerprintOf([{ type: 'PageSelector', index: 0, fingerprint: B }])).toBe(B);
    expect(fileFingerprintOf(docxSel(A).slice(0, 2))).toBeUndefined();
  });
  test('a clip with a FileSelector passes the clip schema; a bad fingerprint does not', () => {
    const base = {
      id: '5d1e8e8e-7c1a-4b7e-9a57-1d2f0c4b9a11',
      url: 'https://dms.example.nhs.uk/docs/contrast.docx',
      docKey: 'https://dms.example.nhs.uk/docs/contrast.docx',
      title: 'Policy',
      quote: 'Reduce by a third when eGFR is below 45',
      criteria: [],
      note: '',
      docMeta: {},
      createdBy: { id: 'u1', name: 'A' },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      deleted: false,
    };
    expect(clipSchema.safeParse({ ...base, selectors: docxSel(A) }).success).toBe(true);
    expect(clipSchema.safeParse({ ...base, selectors: docxSel('nope') }).success).toBe(false);
  });
});

describe('Word document links', () => {
  test.each([
    ['https://intranet.example.nhs.uk/docs/Contrast-policy-v4.docx', true],
    ['https://intranet.example.nhs.uk/docs/POLICY.DOCX?download=1', true],
    ['https://intranet.example.nhs.uk/dms/download?doc=22', false],
    ['https://intranet.example.nhs.uk/docs/policy.doc', false],
    ['file:///C:/policy.docx', false],
    ['not a url', false],
  ])('%s looks like a .docx: %s', (url, expected) => {
    expect(looksLikeDocxUrl(url)).toBe(expected);
  });
  test('Content-Type', () => {
    expect(
      isDocxContentType(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document; charset=binary',
      ),
    ).toBe(true);
    expect(isDocxContentType('application/msword')).toBe(false);
    expect(isDocxContentType(null)).toBe(false);
  });
  const clip = { id: 'c1', url: 'https://dms.example.nhs.uk/download?doc=22#x', selectors: docxSel(A) };
  test('a Word clip links to the viewer at the clip, or to the file itself', () => {
    expect(isDocxClip(clip)).toBe(true);
    expect(docxClipLink(clip, 'chrome-extension://id/docx-viewer.html')).toBe(
      'chrome-extension://id/docx-viewer.html?file=https%3A%2F%2Fdms.example.nhs.uk%2Fdownload%3Fdoc%3D22#clip=c1',
    );
    expect(docxClipLink(clip)).toBe('https://dms.example.nhs.uk/download?doc=22');
  });
  test('no link for web clips or non-http(s) addresses', () => {
    expect(docxClipLink({ ...clip, selectors: docxSel(A).slice(0, 2) }, 'x')).toBeUndefined();
    expect(docxClipLink({ ...clip, url: 'javascript:alert(1)' }, 'x')).toBeUndefined();
  });
});
