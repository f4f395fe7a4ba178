// Writes demo/site/big-protocol-manual.html: one intranet page with more than 1 MB of text, for
// testing clipping and anchoring on very long documents. Deterministic (seeded PRNG): the same
// output every run, so the committed file can be regenerated and diffed.
// Run: node --import tsx demo/generate-big-page.ts
import fs from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../shared/seeded-random';

const OUT = path.resolve(import.meta.dirname, 'site', 'big-protocol-manual.html');
const TARGET_TEXT_BYTES = 1_300_000;

const rand = seededRandom(20261129);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const between = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

const REGIONS = [
  ['Chest', 'thorax', ['PA', 'AP erect', 'AP supine', 'lateral']],
  ['Abdomen', 'abdomen', ['AP supine', 'AP erect', 'left lateral decubitus']],
  ['Pelvis', 'pelvis', ['AP', 'AP inlet', 'AP outlet']],
  ['Hip', 'hip joint', ['AP', 'lateral (horizontal beam)', 'frog lateral']],
  ['Knee', 'knee joint', ['AP', 'lateral', 'skyline', 'tunnel view']],
  ['Ankle', 'ankle joint', ['AP mortise', 'lateral']],
  ['Foot', 'foot', ['dorsi-plantar', 'dorsi-plantar oblique', 'lateral']],
  ['Shoulder', 'shoulder joint', ['AP', 'Y view', 'axial']],
  ['Elbow', 'elbow joint', ['AP', 'lateral', 'radial head views']],
  ['Wrist', 'wrist', ['PA', 'lateral', 'scaphoid series']],
  ['Hand', 'hand', ['dorsi-palmar', 'dorsi-palmar oblique', 'lateral']],
  ['Cervical spine', 'cervical spine', ['AP', 'lateral', 'peg view', 'swimmer’s view']],
  ['Thoracic spine', 'thoracic spine', ['AP', 'lateral']],
  ['Lumbar spine', 'lumbar spine', ['AP', 'lateral', 'L5/S1 coned lateral']],
  ['Skull', 'skull', ['occipito-frontal', 'lateral', 'Towne’s']],
  ['Facial bones', 'facial bones', ['occipito-mental 15°', 'occipito-mental 30°']],
  ['Femur', 'femur', ['AP', 'lateral']],
  ['Tibia and fibula', 'lower leg', ['AP', 'lateral']],
  ['Humerus', 'humerus', ['AP', 'lateral']],
  ['Clavicle', 'clavicle', ['PA', 'PA with 25° cranial angle']],
] as const;

const GROUPS = [
  'Adult outpatient',
  'Adult inpatient (department)',
  'Mobile (ward)',
  'Emergency department',
  'Paediatric (5–15 years)',
  'Bariatric',
] as const;

const OPENERS = [
  'This protocol describes the standard %EXAM% examination for %GROUP% patients.',
  'Use this protocol for %GROUP% referrals for %EXAM% unless the practitioner has specified otherwise.',
  'The %EXAM% series below is the default for %GROUP% patients in all general rooms.',
];
const JUSTIFY = [
  'Requests must include the clinical question and relevant history; a request that says only "pain" is returned to the referrer.',
  'The operator checks that the referrer is entitled for this examination and that the request has been justified by a practitioner or under the authorisation guidelines.',
  'Examinations of the %REGION% requested within six weeks of a previous examination of the same area are referred to the reporting radiographer or radiologist before booking.',
  'Authorisation guidelines allow operators to authorise this examination for the listed clinical indications; anything else must be discussed with the duty radiologist.',
];
const POSITIONING = [
  'Position the patient %POSITION%, with the %REGION% centred to the detector and the median sagittal plane at right angles to it.',
  'Remove jewellery and clothing with fastenings from the area, and position the %REGION% so that it is not rotated; use foam pads to keep the position comfortably.',
  'Centre the beam to the middle of the %REGION% and collimate to include the whole area of interest with a small margin of skin on each side.',
  'For the %PROJ% projection, rotate the patient as described in the diagram in the room and check the position from the light beam before leaving the room.',
  'Where the patient cannot move into position because of pain, adapt the technique rather than forcing the limb, and record the adaptation on the examination comments.',
];
const EXPOSURE = [
  'Typical factors: %KV% kV, %MAS% mAs, %SID% cm source-to-image distance, %GRID%.',
  'Start from %KV% kV and %MAS% mAs at %SID% cm and adjust for patient size using the exposure chart; %GRID%.',
  'The automatic exposure control may be used with the central chamber for this view; otherwise use %KV% kV and %MAS% mAs at %SID% cm, %GRID%.',
];
const CHECKS = [
  'Check the exposure index is within the target range for the detector; repeat only if the image would not answer the clinical question.',
  'A repeat exposure needs the agreement of a second radiographer and must be recorded with its reason in the reject analysis log.',
  'Apply the anatomical side marker within the collimated field before the exposure; electronic annotation is not a substitute.',
  'Review every image for positioning, exposure and artefacts before the patient leaves the room.',
];
const AFTER = [
  'Send the images to PACS and complete the examination on the radiology information system, recording the dose-area product.',
  'If an urgent finding is suspected, tell the referrer directly and record the conversation, following the urgent findings procedure.',
  'Patients from the emergency department are told to return to the department with their paperwork; outpatients are told how they will receive their results.',
];
const POSITIONS = [
  'erect',
  'supine on the table',
  'seated beside the table',
  'standing facing the detector',
  'lying in the lateral position',
];
const GRIDS = [
  'no grid',
  'with the stationary grid',
  'with the Bucky grid',
  'grid only if the part is thicker than 12 cm',
];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fill(template: string, v: Record<string, string>): string {
  return template.replace(/%([A-Z]+)%/g, (_, k: string) => v[k] ?? k);
}

function protocol(
  n: number,
  region: (typeof REGIONS)[number],
  group: string,
  proj: string,
  edition: number,
): string {
  const [name, regionWord] = region;
  const exam = `${name.toLowerCase()} ${proj}`;
  const v = {
    EXAM: exam,
    GROUP: group.toLowerCase(),
    REGION: regionWord,
    PROJ: proj,
    POSITION: pick(POSITIONS),
    KV: String(between(52, 125)),
    MAS: String(between(1, 40) / (rand() < 0.5 ? 1 : 2)),
    SID: String(pick([100, 110, 115, 150, 180])),
    GRID: pick(GRIDS),
  };
  const para = (xs: readonly string[], k: number) => {
    const chosen = new Set<string>();
    while (chosen.size < k) chosen.add(pick(xs));
    return [...chosen].map((t) => fill(t, v)).join(' ');
  };
  const id = `protocol-${String(n).padStart(4, '0')}`;
  return `        <section id="${id}">
          <h3>${n}. ${esc(name)}: ${esc(proj)} — ${esc(group)}${edition > 1 ? ` (variant ${edition})` : ''}</h3>
          <p>${esc(fill(pick(OPENERS), v))} ${esc(para(JUSTIFY, 2))}</p>
          <h4>Positioning</h4>
          <p>${esc(para(POSITIONING, 3))}</p>
          <h4>Exposure</h4>
          <p>${esc(fill(pick(EXPOSURE), v))} ${esc(para(CHECKS, 2))}</p>
          <h4>After the examination</h4>
          <p>${esc(para(AFTER, 2))} Protocol reference IMG-MAN-001/${String(n).padStart(4, '0')}.</p>
        </section>
`;
}

function build(): string {
  const parts: string[] = [];
  let textBytes = 0;
  let n = 0;
  for (let edition = 1; textBytes < TARGET_TEXT_BYTES; edition++) {
    for (const region of REGIONS) {
      parts.push(
        `        <h2 id="region-${edition}-${region[1].replace(/[^a-z]+/g, '-')}">${esc(region[0])}${edition > 1 ? ` (variant set ${edition})` : ''}</h2>\n`,
      );
      for (const group of GROUPS) {
        for (const proj of region[2]) {
          n += 1;
          const html = protocol(n, region, group, proj, edition);
          parts.push(html);
          textBytes += Buffer.byteLength(html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' '));
        }
      }
      if (textBytes >= TARGET_TEXT_BYTES) break;
    }
  }
  return `<!doctype html>
<!-- Generated by demo/generate-big-page.ts (deterministic); do not edit by hand. ${n} protocols. -->
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Radiography protocol manual (full edition) | Imaging Department | Northshire Hospitals NHS Foundation Trust</title>
  <link rel="stylesheet" href="intranet.css">
</head>
<body>
  <header class="banner">
    <span class="logo">NHS</span>
    <span class="trust">Northshire Hospitals NHS Foundation Trust</span>
    <span class="site">Imaging Department intranet</span>
  </header>
  <div class="breadcrumb"><a href="index.html">Imaging home</a> › <a href="index.html#manuals">Manuals</a> › Radiography protocol manual</div>
  <div class="layout">
    <main id="content">
      <article class="document" id="document">
        <h1>Radiography protocol manual (full edition)</h1>
        <p class="subtitle">Examination protocols for general radiography, all sites. ${n} protocols on one page; use your browser's find to move around.</p>
        <table class="doc-control" id="document-control">
          <tr><th scope="row">Document ID</th><td>IMG-MAN-001</td></tr>
          <tr><th scope="row">Version</th><td>12.0</td></tr>
          <tr><th scope="row">Owner</th><td>Radiography Services Manager</td></tr>
          <tr><th scope="row">Approval date</th><td>1 July 2026</td></tr>
          <tr><th scope="row">Next review date</th><td>1 July 2027</td></tr>
        </table>
        <p>This manual gathers every general radiography protocol used in the directorate. It is the operator's reference for positioning, exposure factors and checks. It works alongside the employer's procedures under IR(ME)R 2017, the local rules for each room and the authorisation guidelines; where they differ, the employer's procedures take precedence.</p>
${parts.join('')}      </article>
    </main>
  </div>
  <footer><p>Northshire Hospitals NHS Foundation Trust · Demo site for QSI Evidence Clipper; fictional trust and content.</p></footer>
</body>
</html>
`;
}

const html = build();
fs.writeFileSync(OUT, html);
const text = html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
console.log(
  `${path.relative(process.cwd(), OUT)}: ${html.length} bytes, ~${Buffer.byteLength(text)} bytes of text`,
);
