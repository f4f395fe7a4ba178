// Controlled documents as Word (.docx) files for the demo intranet, the tests and the bench,
// made with the `docx` package at run time (nothing binary is committed): a title, a
// document-control table on the first page, numbered headings, bulleted lists, a table, a
// footnote and the same fields in the package's properties (core.xml and custom.xml). The
// contrast policy has a revision served at the same address once "Publish the revised versions"
// is on; a hostile document carries script-like text, unsafe links, an external image and a
// huge table, for the sanitiser's end-to-end check.
import {
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { seededRandom } from '../shared/seeded-random';

type Block =
  | { kind: 'heading'; text: string; level?: 1 | 2 }
  | { kind: 'para'; text: string; footnote?: string }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; rows: string[][] }
  | { kind: 'link'; text: string; href: string };

export interface DocxSpec {
  title: string;
  control: { documentId: string; version: string; owner: string; approved: string; reviewDue: string };
  blocks: Block[];
  /** Extra custom properties (name → value). */
  custom?: Record<string, string>;
}

const cell = (text: string) =>
  new TableCell({ width: { size: 0, type: WidthType.AUTO }, children: [new Paragraph(text)] });
const table = (rows: string[][]) =>
  new Table({ rows: rows.map((r) => new TableRow({ children: r.map(cell) })) });

/** Builds `spec` as a .docx and returns its bytes. */
export async function makePolicyDocx(spec: DocxSpec): Promise<Uint8Array> {
  const footnotes: Record<string, { children: Paragraph[] }> = {};
  const children: Array<Paragraph | Table> = [
    new Paragraph({ text: spec.title, heading: HeadingLevel.TITLE }),
    table([
      ['Document ID', spec.control.documentId],
      ['Version', spec.control.version],
      ['Document owner', spec.control.owner],
      ['Approved', spec.control.approved],
      ['Next review date', spec.control.reviewDue],
    ]),
  ];
  for (const b of spec.blocks) {
    if (b.kind === 'heading')
      children.push(
        new Paragraph({
          text: b.text,
          heading: b.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_1,
        }),
      );
    else if (b.kind === 'para') {
      const runs: Array<TextRun | FootnoteReferenceRun> = [new TextRun(b.text)];
      if (b.footnote) {
        const id = Object.keys(footnotes).length + 1;
        footnotes[id] = { children: [new Paragraph(b.footnote)] };
        runs.push(new FootnoteReferenceRun(id));
      }
      children.push(new Paragraph({ children: runs }));
    } else if (b.kind === 'bullets')
      for (const item of b.items) children.push(new Paragraph({ text: item, bullet: { level: 0 } }));
    else if (b.kind === 'table') children.push(table(b.rows));
    else
      children.push(
        new Paragraph({
          children: [
            new ExternalHyperlink({
              link: b.href,
              children: [new TextRun({ text: b.text, style: 'Hyperlink' })],
            }),
          ],
        }),
      );
  }
  const doc = new Document({
    title: spec.title,
    creator: spec.control.owner,
    lastModifiedBy: spec.control.owner,
    customProperties: [
      { name: 'DocumentId', value: spec.control.documentId },
      { name: 'Version', value: spec.control.version },
      { name: 'ReviewDate', value: spec.control.reviewDue },
      ...Object.entries(spec.custom ?? {}).map(([name, value]) => ({ name, value })),
    ],
    footnotes,
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

const CONTROL = {
  documentId: 'IMG-POL-022',
  version: '4.0',
  owner: 'Lead Radiographer, CT',
  approved: '3 March 2026',
  reviewDue: '31 March 2028',
};

/** Passages the tests clip; the revision keeps, rewords or drops them. */
export const CONTRAST_TEXT = {
  intro:
    'This policy describes how iodinated and gadolinium-based contrast media are prescribed, checked and given in the imaging department, and how reactions are recognised and treated.',
  checks: [
    'Confirm the patient’s identity and the examination requested.',
    'Ask about previous reactions to contrast media and record the answer.',
    'Check the most recent kidney function result where the protocol requires it.',
    'Confirm that the contrast agent, dose and route match the protocol.',
  ],
  reactions:
    'Staff who give contrast media complete anaphylaxis training every year. The emergency trolley is checked at the start of every session and its check is recorded in the trolley log.',
  extravasation:
    'Suspected extravasation is assessed by the radiologist, the limb is elevated and the patient is given written advice. Every extravasation is reported on the incident management system.',
  audit:
    'The contrast administration record is audited every six months against this policy, and the findings are presented at the departmental governance meeting.',
};

/** Dose limits table: the tests clip inside one of its cells. */
const DOSE_TABLE = [
  ['Agent', 'Adult maximum dose', 'Notes'],
  ['Iohexol 300', '1.5 mL per kg', 'Reduce by a third when eGFR is below 45'],
  ['Gadoterate', '0.2 mL per kg', 'Single dose only within 24 hours'],
];

/** The contrast administration policy, original (v4.0) or revised (v4.1). */
export function contrastPolicyDocx(revised = false): Promise<Uint8Array> {
  const C = CONTRAST_TEXT;
  const blocks: Block[] = [
    { kind: 'heading', text: '1. Purpose' },
    {
      kind: 'para',
      text: C.intro,
      footnote: 'Contrast media are listed in the trust formulary, section 18.',
    },
    { kind: 'heading', text: '2. Checks before giving contrast' },
    { kind: 'para', text: 'Before any contrast agent is given, the radiographer must:' },
    {
      kind: 'bullets',
      // Revised: a new first check; the others are kept as they were.
      items: revised ? ['Confirm that consent has been recorded.', ...C.checks] : C.checks,
    },
    { kind: 'heading', text: '3. Dose limits' },
    { kind: 'table', rows: DOSE_TABLE },
    { kind: 'heading', text: '4. Reactions' },
    {
      kind: 'para',
      // Revised: reworded (training every two years), so clips over it relocate.
      text: revised
        ? C.reactions.replace(
            'complete anaphylaxis training every year',
            'complete anaphylaxis training every two years',
          )
        : C.reactions,
    },
    { kind: 'heading', text: '5. Extravasation' },
    {
      kind: 'para',
      // Revised: replaced by a reference to the trust-wide guideline, so clips over it are lost.
      text: revised
        ? 'Extravasation is managed under the trust-wide guideline for infusion injuries, which the imaging department follows without local variation.'
        : C.extravasation,
    },
    { kind: 'heading', text: '6. Audit' },
    { kind: 'para', text: C.audit },
    {
      kind: 'link',
      text: 'Royal College of Radiologists guidance on contrast media',
      href: 'https://www.rcr.ac.uk/',
    },
  ];
  return makePolicyDocx({
    title: 'Contrast Administration Policy',
    control: revised
      ? { ...CONTROL, version: '4.1', approved: '20 November 2026', reviewDue: '30 November 2028' }
      : CONTROL,
    blocks,
  });
}

/**
 * Hostile content that must render as text: markup and script in text, `javascript:` and `data:`
 * links, an image that points outside the file, and a huge table.
 */
export async function hostileDocx(): Promise<Uint8Array> {
  const huge: string[][] = [];
  for (let r = 0; r < 400; r++) huge.push(Array.from({ length: 12 }, (_, c) => `R${r + 1}C${c + 1}`));
  const bytes = await makePolicyDocx({
    title: 'Hostile <script>alert(1)</script> document',
    control: { ...CONTROL, documentId: 'TEST-XSS-1' },
    blocks: [
      { kind: 'heading', text: 'Script-like text' },
      { kind: 'para', text: '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">' },
      {
        kind: 'para',
        text: '"><svg onload=window.__pwned=3> javascript:alert(1) {{constructor.constructor("x")()}}',
      },
      { kind: 'heading', text: 'Unsafe links' },
      { kind: 'link', text: 'A javascript link', href: 'javascript:window.__pwned=4' },
      { kind: 'link', text: 'A data link', href: 'data:text/html,<script>window.__pwned=5</script>' },
      { kind: 'link', text: 'A safe link', href: 'https://example.org/policy' },
      { kind: 'heading', text: 'Huge table' },
      { kind: 'table', rows: huge },
    ],
  });
  return withExternalImage(bytes);
}

/**
 * Adds an image that Word would fetch from outside the file (`TargetMode="External"`), which the
 * viewer must never load. Done by editing the package: the `docx` package embeds images only.
 */
async function withExternalImage(bytes: Uint8Array): Promise<Uint8Array> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(bytes);
  const rels = 'word/_rels/document.xml.rels';
  const relsXml = (await zip.file(rels)?.async('string')) ?? '';
  zip.file(
    rels,
    relsXml.replace(
      '</Relationships>',
      '<Relationship Id="rIdExternalImage" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://127.0.0.1:9/tracker.png" TargetMode="External"/></Relationships>',
    ),
  );
  const docXml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  const drawing =
    '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="99" name="Tracker" descr="tracking pixel"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="99" name="Tracker"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rIdExternalImage"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>';
  zip.file('word/document.xml', docXml.replace('<w:sectPr', `${drawing}<w:sectPr`));
  return zip.generateAsync({ type: 'uint8array' });
}

// ------------------------------------------------------------------ a long manual (bench)

const SUBJECTS = ['The radiographer', 'The operator', 'The referrer', 'The practitioner', 'The department'];
const VERBS = ['checks', 'records', 'confirms', 'reviews', 'documents', 'verifies'];
const OBJECTS = [
  'the patient identity',
  'the exposure factors',
  'the pregnancy status',
  'the justification of the request',
  'the contrast allergy history',
  'the implant safety record',
];
const TAILS = [
  'before the examination starts.',
  'in the radiology information system.',
  'against the employer’s procedure.',
  'whenever the protocol changes.',
  'within one working day.',
];

/** The paragraphs of the long manual: numbered, about 11 to a page, a section heading every 9. */
export function longManualBlocks(pages = 200, seed = 11): Block[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const blocks: Block[] = [];
  const paragraphs = Math.ceil(pages * 11.3);
  for (let i = 0; i < paragraphs; i++) {
    if (i % 9 === 0) blocks.push({ kind: 'heading', text: `Section ${i / 9 + 1}`, level: 2 });
    const sentences: string[] = [];
    for (let s = 0; s < 5; s++)
      sentences.push(`${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}`);
    if (i % 40 === 5) blocks.push({ kind: 'bullets', items: sentences.slice(0, 3) });
    else blocks.push({ kind: 'para', text: `${i + 1}. ${sentences.join(' ')}` });
  }
  return blocks;
}

/** A long manual of about `pages` A4 pages (deterministic text). */
export function longManualDocx(pages = 200): Promise<Uint8Array> {
  return makePolicyDocx({
    title: 'Imaging Protocol Manual',
    control: { ...CONTROL, documentId: 'IMG-MAN-002', owner: 'Imaging Services Manager' },
    blocks: longManualBlocks(pages),
  });
}
