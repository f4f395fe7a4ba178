// Controlled documents as PDFs for the demo intranet, the tests and the bench, made
// with pdf-lib at run time (nothing binary is committed). Real layout: text wrapped by measured
// width, long words hyphenated at line ends, a running header and a "Page n of m" footer, a
// document-control block on page 1 and the same fields in the info dictionary.
import { PDFDict, PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { seededRandom } from '../shared/seeded-random';

export interface PdfSpec {
  title: string;
  /** Document-control fields shown on page 1 and written to the info dictionary. */
  control: { documentId: string; version: string; owner: string; approved: string; reviewDue: string };
  /** Headings and paragraphs, in order. */
  blocks: { heading?: string; text: string }[];
  /** Page size in points (default A5: 420 × 595). */
  size?: [number, number];
  fontSize?: number;
}

const MARGIN_X = 48;
const TOP = 56;
const BOTTOM = 56;

/** Lays out `spec` and returns the PDF's bytes. Deterministic for a given spec. */
export async function makePolicyPdf(spec: PdfSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [width, height] = spec.size ?? [420, 595];
  const size = spec.fontSize ?? 10.5;
  const leading = size * 1.35;
  const maxWidth = width - 2 * MARGIN_X;
  const measure = (s: string, f = font, fs = size) => f.widthOfTextAtSize(s, fs);

  /** Greedy wrap; a long word that does not fit is hyphenated (≥ 4 letters each side). */
  function wrap(text: string, f = font, fs = size): string[] {
    const lines: string[] = [];
    let line = '';
    const words = text.split(/\s+/).filter(Boolean);
    for (let w = 0; w < words.length; w++) {
      const word = words[w] ?? '';
      const candidate = line ? `${line} ${word}` : word;
      if (measure(candidate, f, fs) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line && /^\p{Ll}{9,}[,.;:]?$/u.test(word)) {
        let split = false;
        for (let cut = word.length - 4; cut >= 4 && !split; cut--) {
          const head = `${line} ${word.slice(0, cut)}-`;
          if (measure(head, f, fs) <= maxWidth) {
            lines.push(head);
            line = word.slice(cut);
            split = true;
          }
        }
        if (split) continue;
      }
      if (line) lines.push(line);
      line = word;
    }
    if (line) lines.push(line);
    return lines;
  }

  type Row = { text: string; bold?: boolean; size?: number; gapBefore?: number };
  const rows: Row[] = [{ text: spec.title, bold: true, size: size * 1.5 }];
  const c = spec.control;
  rows.push(
    { text: `Document ID: ${c.documentId}`, gapBefore: leading * 0.5 },
    { text: `Version: ${c.version}` },
    { text: `Document owner: ${c.owner}` },
    { text: `Approved: ${c.approved}` },
    { text: `Review date: ${c.reviewDue}` },
  );
  for (const b of spec.blocks) {
    if (b.heading) rows.push({ text: b.heading, bold: true, gapBefore: leading });
    wrap(b.text).forEach((t, i) => {
      rows.push({ text: t, gapBefore: i === 0 && !b.heading ? leading * 0.6 : 0 });
    });
  }

  // Paginate, then draw with the page count known for the footer.
  const pages: { row: Row; y: number }[][] = [[]];
  let y = height - TOP;
  for (const row of rows) {
    const rowSize = row.size ?? size;
    const step = (row.gapBefore ?? 0) + rowSize * 1.35;
    if (y - step < BOTTOM) {
      pages.push([]);
      y = height - TOP;
    }
    y -= step;
    pages[pages.length - 1]?.push({ row, y });
  }
  pages.forEach((placed, p) => {
    const page = doc.addPage([width, height]);
    page.drawText(`Imaging Services · ${c.documentId} · Controlled document`, {
      x: MARGIN_X,
      y: height - 30,
      size: 7.5,
      font,
    });
    for (const { row, y: at } of placed)
      page.drawText(row.text, { x: MARGIN_X, y: at, size: row.size ?? size, font: row.bold ? bold : font });
    page.drawText(`Page ${p + 1} of ${pages.length}`, { x: width / 2 - 20, y: 26, size: 7.5, font });
  });

  doc.setTitle(spec.title);
  doc.setAuthor(c.owner);
  doc.setProducer('QSI Evidence Clipper demo');
  doc.setCreationDate(new Date(Date.UTC(2026, 0, 5)));
  doc.setModificationDate(new Date(Date.UTC(2026, 0, 5)));
  // Custom info keys a DMS writes (pdf-lib sets only the standard ones).
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of('Version'), PDFString.of(c.version));
  info.set(PDFName.of('ReviewDate'), PDFString.of(c.reviewDue));
  return doc.save({ useObjectStreams: false });
}

// ------------------------------------------------------------------ the demo policy and its revision

const CONTROL = {
  documentId: 'IMG-POL-031',
  version: '3.0',
  owner: 'Radiology Services Manager',
  approved: '12 January 2026',
  reviewDue: '31 January 2028',
};

/** Paragraph texts the tests clip; the revision keeps, rewords or drops them. */
export const POLICY_TEXT = {
  purpose:
    'This policy sets out how the imaging department manages radiation incidents and near misses so that patients, staff and visitors are protected and the department learns from every event. It applies to all modalities that use ionising radiation, including plain film, fluoroscopy, computed tomography, nuclear medicine and interventional radiology, on every hospital site and in the community diagnostic centres.',
  scope:
    'The policy covers any exposure that is much greater than intended, any exposure of the wrong patient or the wrong body part, and any unintended exposure of a pregnant or breastfeeding patient. It also covers equipment faults that could have led to such an exposure had they not been noticed in time.',
  reporting:
    'Every member of staff who discovers an incident or a near miss must report it on the trust incident management system before the end of their shift. The report records what happened, the patient identifier, the examination, the equipment used and the immediate actions taken. The reporter also tells the radiographer in charge, who makes sure the equipment is taken out of use when a fault is suspected and that the patient is informed in line with the duty of candour.',
  investigation:
    'The radiation protection supervisor reviews each report within two working days and estimates the dose received using the exposure factors and the dose area product recorded by the equipment. Where the estimated dose exceeds the notification thresholds published by the regulator, the medical physics expert is consulted the same day and the employer notifies the Care Quality Commission without delay.',
  learning:
    'Findings are discussed at the monthly radiation protection committee, which agrees actions, owners and completion dates. Themes are shared with all staff through the departmental newsletter and the mandatory annual update, and the effectiveness of each action is checked at the following audit.',
  training:
    'All radiographers, radiologists and assistant practitioners complete incident reporting training at induction and every two years. Completion is recorded on the training database and is reviewed by line managers during appraisal.',
  audit:
    'Compliance with this policy is audited annually by sampling twenty incident reports and checking the timeliness of reporting, the completeness of the dose estimate and the closure of actions. Results are presented to the quality and safety group.',
  equipment:
    'Equipment faults that contribute to an incident are logged with the equipment management service, and the affected unit is not returned to clinical use until the medical physics expert has confirmed that its performance is within tolerance.',
  communication:
    'Patients who have received an unintended exposure are told what happened, what it means for them and what the department is doing to prevent a recurrence. The conversation is recorded in the patient record and confirmed in writing within ten working days.',
  records:
    'Incident reports, dose estimates, correspondence and committee minutes are kept for the retention period set out in the records management policy and are available to inspectors on request.',
};

const P = POLICY_TEXT;

function policyBlocks(revised: boolean): PdfSpec['blocks'] {
  const blocks: PdfSpec['blocks'] = [
    { heading: '1. Purpose', text: P.purpose },
    { heading: '2. Scope', text: P.scope },
  ];
  if (revised)
    blocks.push({
      heading: '3. Definitions',
      text: 'A near miss is an event that could have resulted in an unintended exposure but was prevented or noticed in time. A significant accidental or unintended exposure is one that meets the regulator’s notification criteria. These definitions follow the regulator’s current guidance and replace those in earlier versions of this policy.',
    });
  const n = revised ? 4 : 3;
  blocks.push(
    { heading: `${n}. Reporting`, text: P.reporting },
    {
      heading: `${n + 1}. Investigation`,
      // Revised: reworded slightly (three working days, "regulator's thresholds").
      text: revised
        ? P.investigation
            .replace('within two working days', 'within three working days')
            .replace(
              'the notification thresholds published by the regulator',
              'the regulator’s notification thresholds',
            )
        : P.investigation,
    },
    { heading: `${n + 2}. Learning from incidents`, text: P.learning },
  );
  // Revised: the training paragraph is replaced by a reference to the training policy.
  blocks.push({
    heading: `${n + 3}. Training`,
    text: revised
      ? 'Incident reporting is part of the statutory and mandatory training programme described in the departmental training policy, which sets the frequency and records completion.'
      : P.training,
  });
  blocks.push(
    { heading: `${n + 4}. Equipment`, text: P.equipment },
    { heading: `${n + 5}. Communication with patients`, text: P.communication },
    { heading: `${n + 6}. Audit`, text: P.audit },
    { heading: `${n + 7}. Records`, text: P.records },
  );
  return blocks;
}

/** The radiation incident policy, original (v3.0) or revised (v3.1). */
export function radiationIncidentPolicy(revised = false): Promise<Uint8Array> {
  return makePolicyPdf({
    title: 'Radiation Incident Reporting Policy',
    control: revised
      ? { ...CONTROL, version: '3.1', approved: '2 November 2026', reviewDue: '30 November 2028' }
      : CONTROL,
    blocks: policyBlocks(revised),
  });
}

// ------------------------------------------------------------------ a long manual (bench)

const SUBJECTS = [
  'The radiographer',
  'The operator',
  'The referrer',
  'The practitioner',
  'The department',
  'Each modality lead',
  'The medical physics expert',
  'The reporting radiologist',
];
const VERBS = ['checks', 'records', 'confirms', 'reviews', 'documents', 'verifies', 'audits', 'approves'];
const OBJECTS = [
  'the patient identity',
  'the exposure factors',
  'the pregnancy status',
  'the justification of the request',
  'the dose area product',
  'the collimation',
  'the image quality',
  'the protocol version',
  'the contrast allergy history',
  'the implant safety record',
];
const TAILS = [
  'before the examination starts.',
  'in the radiology information system.',
  'against the employer’s procedure.',
  'at every quarterly audit.',
  'whenever the protocol changes.',
  'with a second trained member of staff.',
  'and escalates any discrepancy.',
  'within one working day.',
];

/** A long manual of about `pages` A4 pages of numbered paragraphs (deterministic). */
export function longManualPdf(pages = 300, seed = 9): Promise<Uint8Array> {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const blocks: PdfSpec['blocks'] = [];
  // About 11 paragraphs of ~5 sentences fill an A4 page at 10 pt (measured: 9 per page gave 0.81 pages).
  const paragraphs = Math.ceil(pages * 11.3);
  for (let i = 0; i < paragraphs; i++) {
    const sentences: string[] = [];
    for (let s = 0; s < 5; s++)
      sentences.push(`${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}`);
    blocks.push({
      heading: i % 9 === 0 ? `Section ${i / 9 + 1}` : undefined,
      text: `${i + 1}. ${sentences.join(' ')}`,
    });
  }
  return makePolicyPdf({
    title: 'Imaging Protocol Manual',
    control: { ...CONTROL, documentId: 'IMG-MAN-001' },
    blocks,
    size: [595, 842],
    fontSize: 10,
  });
}
