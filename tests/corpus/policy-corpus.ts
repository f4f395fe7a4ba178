// Deterministic before/after corpus of NHS-imaging-style policy pages for the anchoring engine
// (docs/anchoring.md). Pages are built from word-level structure, so after realistic edits we still know
// exactly where every clipped passage went — or that it is gone. Generated at test time.
import { seededRandom } from '../../shared/seeded-random';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const MODALITY = [
  'CT',
  'MRI',
  'ultrasound',
  'plain film',
  'fluoroscopy',
  'nuclear medicine',
  'DEXA',
  'mammography',
];
const ROLE = [
  'the Radiology Services Manager',
  'the Lead Radiographer',
  'the Medical Physics Expert',
  'the Radiation Protection Supervisor',
  'the IR(ME)R practitioner',
  'the operator',
  'the referrer',
  'the Clinical Director',
  'the Quality Manager',
  'the modality lead',
  'the reporting radiologist',
  'the PACS manager',
];
const DOC = [
  "the Employer's Procedures",
  'the Local Rules',
  'the referral guidelines',
  'the departmental risk register',
  'the QSI evidence log',
  'the training matrix',
  'the incident reporting policy',
  'the consent policy',
  'the pregnancy status procedure',
  'the equipment inventory',
];
const FREQ = [
  'annually',
  'every two years',
  'every three years',
  'quarterly',
  'monthly',
  'at each monthly meeting',
];
const ACT = [
  'review',
  'approve',
  'audit',
  'record',
  'escalate',
  'check',
  'sign off',
  'update',
  'verify',
  'authorise',
];
const THING = [
  'diagnostic reference levels',
  'patient identification checks',
  'justification decisions',
  'exposure records',
  'quality assurance results',
  'staff entitlement records',
  'unintended exposure reports',
  'protocol changes',
  'equipment acceptance tests',
  'discrepancy meeting outcomes',
  'waiting time figures',
  'patient feedback',
];
const SITE = [
  'Royal Infirmary',
  'General Hospital',
  'Community Diagnostic Centre',
  "St Mary's Hospital",
  'Outpatient Imaging Unit',
];

const TEMPLATES: Array<(r: Rand) => string> = [
  (r) =>
    `${cap(pick(r, ROLE))} must ${pick(r, ACT)} all ${pick(r, THING)} for ${pick(r, MODALITY)} ${pick(r, FREQ)}.`,
  (r) =>
    `All ${pick(r, MODALITY)} referrals must be justified by ${pick(r, ROLE)} before the examination is performed.`,
  (r) =>
    `Records of ${pick(r, THING)} are kept for ${int(r, 2, 30)} years in accordance with ${pick(r, DOC)}.`,
  (r) =>
    `${cap(pick(r, THING))} are presented to the ${pick(r, ['Radiation Protection Committee', 'Quality and Safety Group', 'Imaging Governance Board'])} ${pick(r, FREQ)}.`,
  (r) =>
    `Where ${pick(r, THING)} exceed the agreed thresholds, ${pick(r, ROLE)} will ${pick(r, ACT)} the findings within ${int(r, 2, 28)} working days.`,
  (r) =>
    `Staff working in ${pick(r, MODALITY)} at the ${pick(r, SITE)} must complete the training set out in ${pick(r, DOC)}.`,
  (r) =>
    `This procedure applies to ${pick(r, MODALITY)} examinations at the ${pick(r, SITE)} and all satellite sites.`,
  (r) =>
    `${cap(pick(r, ROLE))} is responsible for ensuring that ${pick(r, DOC)} are available in every ${pick(r, MODALITY)} control room.`,
  (r) => `Any deviation from ${pick(r, DOC)} must be reported on Datix and discussed with ${pick(r, ROLE)}.`,
  (r) =>
    `The ${pick(r, MODALITY)} service aims to report ${int(r, 70, 99)}% of urgent examinations within ${int(r, 1, 48)} hours of acquisition.`,
  (r) =>
    `Patients are asked to confirm their name, date of birth and address before any ${pick(r, MODALITY)} examination.`,
  (r) => `Changes to ${pick(r, THING)} are agreed with ${pick(r, ROLE)} and documented in ${pick(r, DOC)}.`,
  (r) =>
    `${cap(pick(r, ROLE))} delegates the ${pick(r, ACT)} of ${pick(r, THING)} to ${pick(r, ROLE)} in writing.`,
  (r) =>
    `Audit results for ${pick(r, THING)} are shared with the team at the ${pick(r, SITE)} ${pick(r, FREQ)}.`,
  (r) =>
    `In an emergency, ${pick(r, ROLE)} may authorise ${pick(r, MODALITY)} examinations using the agreed guidelines.`,
  (r) =>
    `Equipment faults affecting ${pick(r, MODALITY)} must be logged with the ${pick(r, ['Medical Physics', 'EBME', 'Estates', 'PACS'])} team within ${int(r, 1, 24)} hours.`,
];
const BOILERPLATE = [
  'This document is uncontrolled when printed.',
  'Refer to the intranet for the latest version of this document.',
  'Further guidance is available from the Radiology Services Manager.',
  'See also the Trust Equality Impact Assessment.',
];
const HEADINGS = [
  'Purpose',
  'Scope',
  'Roles and responsibilities',
  'Referral and justification',
  'Patient identification',
  'Optimisation',
  'Diagnostic reference levels',
  'Clinical audit',
  'Training and entitlement',
  'Incident reporting',
  'Equipment quality assurance',
  'Document control',
  'Monitoring compliance',
  'Consent',
  'Pregnancy enquiries',
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Word separators as they appear in HTML: plain space, NBSP, line break, or messy whitespace. */
type Sep = ' ' | 'nbsp' | 'br' | 'ws';
interface Word {
  id: number;
  text: string;
  sep: Sep;
  bold?: boolean;
}
interface Block {
  id: number;
  tag: 'p' | 'li' | 'h2' | 'div';
  words: Word[]; // sentences joined; sentence ends are words ending in "."
}
interface Section {
  id: number;
  heading: Block;
  blocks: Block[];
}
interface Doc {
  header: Block[];
  sections: Section[];
  footer: Block[];
}

let nextId = 1;
function words(text: string): Word[] {
  return text.split(' ').map((t) => ({ id: nextId++, text: t, sep: ' ' }));
}
function block(tag: Block['tag'], text: string): Block {
  return { id: nextId++, tag, words: words(text) };
}
function sentence(r: Rand): string {
  return pick(r, TEMPLATES)(r);
}
function paragraph(r: Rand): string {
  const n = int(r, 1, 4);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r() < 0.08 ? pick(r, BOILERPLATE) : sentence(r));
  return out.join(' ');
}

function makeDoc(r: Rand, n: number): Doc {
  const title = `${pick(r, ['Policy', 'Standard Operating Procedure', 'Protocol', "Employer's Procedure"])} for ${pick(r, HEADINGS).toLowerCase()} in ${pick(r, MODALITY)}`;
  const header = [
    block('h2', title),
    block(
      'div',
      `Document ID: RAD-${pick(r, ['POL', 'SOP', 'PRO'])}-${int(r, 100, 999)} Version ${int(r, 1, 9)}.${int(r, 0, 9)}`,
    ),
    block(
      'div',
      `Approved by ${pick(r, ['Imaging Governance Board', 'Radiation Protection Committee'])} on ${int(r, 1, 28)}/${int(r, 1, 12)}/20${int(r, 20, 25)}. Next review date ${int(r, 1, 28)}/${int(r, 1, 12)}/20${int(r, 26, 29)}.`,
    ),
    block('div', BOILERPLATE[0] as string),
  ];
  const heads = [...HEADINGS].sort(() => r() - 0.5).slice(0, int(r, 5, 9));
  const sections = heads.map((h, i) => {
    const blocks: Block[] = [];
    const nb = int(r, 2, 6);
    for (let b = 0; b < nb; b++) blocks.push(block(r() < 0.25 ? 'li' : 'p', paragraph(r)));
    if (r() < 0.4) blocks.push(block('p', pick(r, BOILERPLATE)));
    return { id: nextId++, heading: block('h2', `${i + 1}. ${h}`), blocks };
  });
  const footer = [
    block(
      'div',
      `Page owner: ${pick(r, ROLE).replace('the ', '')}. Last updated ${int(r, 1, 28)} ${pick(r, ['January', 'March', 'June', 'October'])} 2025.`,
    ),
  ];
  void n;
  return { header, sections, footer };
}

function cloneDoc(d: Doc): Doc {
  return structuredClone(d);
}

function allBlocks(d: Doc): Block[] {
  return [...d.header, ...d.sections.flatMap((s) => [s.heading, ...s.blocks]), ...d.footer];
}

/** Normalised text exactly as the DOM text model sees the rendered page, plus word spans. */
export function renderText(d: Doc): { text: string; spans: Map<number, [number, number]> } {
  let text = '';
  const spans = new Map<number, [number, number]>();
  for (const b of allBlocks(d)) {
    if (b.words.length === 0) continue;
    if (text.length > 0) text += '\n';
    b.words.forEach((w, i) => {
      if (i > 0) text += b.words[i - 1]?.sep === 'br' ? '\n' : ' ';
      spans.set(w.id, [text.length, text.length + w.text.length]);
      text += w.text;
    });
  }
  return { text, spans };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The page as HTML: chrome, hidden bits and whitespace noise around the content. */
export function renderHtml(d: Doc, r: Rand): string {
  const indent = () => pick(r, ['', '\n', '\n  ', '\n\t\t', ' ']);
  const inline = (b: Block) =>
    b.words
      .map((w, i) => {
        const t = w.bold ? `<strong>${esc(w.text)}</strong>` : esc(w.text);
        const sep =
          i === b.words.length - 1 ? '' : { ' ': ' ', nbsp: '&nbsp;', br: '<br>', ws: ' \n   ' }[w.sep];
        return t + sep;
      })
      .join('');
  const blockHtml = (b: Block) =>
    `${indent()}<${b.tag === 'li' ? 'p' : b.tag}>${indent()}${inline(b)}${indent()}</${b.tag === 'li' ? 'p' : b.tag}>`;
  const parts: string[] = [
    '<!doctype html><html><head><title>Policy</title><style>.x{color:red}</style></head><body>',
  ];
  parts.push('<nav hidden><a href="/">Intranet home</a> Policies A-Z</nav>');
  parts.push('<main>');
  parts.push(`<header>${d.header.map(blockHtml).join('')}</header>`);
  for (const s of d.sections) {
    parts.push(`<section>${blockHtml(s.heading)}`);
    for (const b of s.blocks)
      parts.push(b.tag === 'li' ? `<ul>${indent()}<li>${inline(b)}</li></ul>` : blockHtml(b));
    parts.push('</section>');
  }
  parts.push(`<footer>${d.footer.map(blockHtml).join('')}</footer>`);
  parts.push(
    '<script>window.analytics = "ignore me";</script><div style="display:none">Cookie banner text</div>',
  );
  parts.push('</main></body></html>');
  return parts.join('');
}

/** One clip and what must happen to it on the after-page. */
export interface CorpusClip {
  id: string;
  /** Where the passage is in the before-text. */
  before: [number, number];
  /**
   * `anchor`: still there, (nearly) unchanged — must be found at `after`;
   * `either`: changed a lot — lost or found at `after` are both right;
   * `absent`: gone (the quote text is not on the after-page) — must be lost.
   */
  expect: 'anchor' | 'either' | 'absent';
  after?: [number, number];
  /** For a gone passage: identical copies between identical near context, where anchoring is not wrong. */
  twins?: Array<[number, number]>;
  /** Where the clip came from (its own page, or a foreign page for absent probes). */
  source: 'own' | 'foreign';
  kind: string;
}

export interface CorpusPair {
  id: string;
  edits: string[];
  beforeText: string;
  afterText: string;
  beforeHtml: string;
  afterHtml: string;
  clips: CorpusClip[];
  /** Foreign clips carry their own source text to be described on. */
  foreign: Array<{ clip: CorpusClip; text: string }>;
}

/** Copies of `before[span]` in `after` with the same 24 characters on each side (whitespace-blind). */
function twinsOf(before: string, span: [number, number], after: string): Array<[number, number]> {
  const c = (x: string) => x.replace(/\s/g, ' ');
  const b = c(before);
  const a = c(after);
  const q = b.slice(...span);
  const pre = b.slice(Math.max(0, span[0] - 24), span[0]);
  const suf = b.slice(span[1], span[1] + 24);
  const out: Array<[number, number]> = [];
  for (let i = a.indexOf(q); i >= 0; i = a.indexOf(q, i + 1)) {
    if (
      a.slice(Math.max(0, i - pre.length), i) === pre &&
      a.slice(i + q.length, i + q.length + suf.length) === suf
    )
      out.push([i, i + q.length]);
  }
  return out;
}

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

const SYN: Record<string, string> = {
  must: 'should',
  all: 'any',
  annually: 'yearly',
  responsible: 'accountable',
  kept: 'retained',
  reported: 'recorded',
  examination: 'procedure',
  examinations: 'procedures',
  agreed: 'approved',
  within: 'in',
  complete: 'undertake',
  before: 'prior to',
  team: 'staff',
};

function editDoc(d: Doc, r: Rand): string[] {
  const done: string[] = [];
  const nEdits = int(r, 3, 7);
  const contentBlocks = () => d.sections.flatMap((s) => s.blocks);
  for (let e = 0; e < nEdits; e++) {
    const kind = pick(r, [
      'insert-paragraph',
      'delete-paragraph',
      'delete-sentence',
      'reword-inside',
      'reword-inside',
      'reword-sentence',
      'move-section',
      'boilerplate',
      'whitespace',
      'version-header',
      'split-paragraph',
    ]);
    const sec = pick(r, d.sections);
    switch (kind) {
      case 'insert-paragraph': {
        const n = int(r, 1, 3);
        for (let i = 0; i < n; i++)
          sec.blocks.splice(int(r, 0, sec.blocks.length), 0, block('p', paragraph(r)));
        break;
      }
      case 'delete-paragraph': {
        if (sec.blocks.length > 1) sec.blocks.splice(int(r, 0, sec.blocks.length - 1), 1);
        break;
      }
      case 'delete-sentence': {
        const b = pick(r, contentBlocks());
        const ends = b.words.map((w, i) => (w.text.endsWith('.') ? i : -1)).filter((i) => i >= 0);
        if (ends.length < 2) break;
        const k = int(r, 0, ends.length - 1);
        const from = k === 0 ? 0 : (ends[k - 1] ?? 0) + 1;
        b.words.splice(from, (ends[k] ?? 0) - from + 1);
        break;
      }
      case 'reword-inside': {
        // A few word substitutions, insertions or deletions in one place.
        for (let rep = 0; rep < int(r, 1, 4); rep++) {
          const b = pick(r, contentBlocks());
          if (b.words.length < 4) continue;
          const i = int(r, 0, b.words.length - 1);
          const w = b.words[i];
          if (!w) continue;
          const op = r();
          const bare = w.text.replace(/[.,]$/, '');
          if (op < 0.5 && SYN[bare]) w.text = w.text.replace(bare, SYN[bare] as string);
          else if (op < 0.75)
            b.words.splice(i, 0, ...words(pick(r, ['also', 'promptly', 'normally', 'where possible,'])));
          else if (!w.text.endsWith('.')) b.words.splice(i, 1);
        }
        break;
      }
      case 'reword-sentence': {
        // A whole sentence replaced by new wording.
        const b = pick(r, contentBlocks());
        const ends = b.words.map((w, i) => (w.text.endsWith('.') ? i : -1)).filter((i) => i >= 0);
        const k = int(r, 0, Math.max(0, ends.length - 1));
        const from = k === 0 ? 0 : (ends[k - 1] ?? 0) + 1;
        b.words.splice(from, (ends[k] ?? 0) - from + 1, ...words(sentence(r)));
        break;
      }
      case 'move-section': {
        const i = d.sections.indexOf(sec);
        d.sections.splice(i, 1);
        d.sections.splice(int(r, 0, d.sections.length), 0, sec);
        break;
      }
      case 'boilerplate': {
        for (let i = 0; i < int(r, 1, 3); i++) {
          const s = pick(r, d.sections);
          s.blocks.splice(int(r, 0, s.blocks.length), 0, block('p', pick(r, BOILERPLATE)));
        }
        break;
      }
      case 'whitespace': {
        for (const b of contentBlocks())
          for (const w of b.words) if (r() < 0.08) w.sep = pick(r, ['nbsp', 'br', 'ws', ' ']);
        for (const b of contentBlocks()) for (const w of b.words) if (r() < 0.02) w.bold = true;
        break;
      }
      case 'version-header': {
        // New version number and "last updated" date; the rest of the header keeps its words.
        const v = d.header[1];
        const num = v?.words.find((w) => /^\d+\.\d+$/.test(w.text));
        if (v && num) {
          num.text = `${int(r, 1, 9)}.${int(r, 0, 9)}`;
          v.words.push(...words('(revised)'));
        }
        const f = d.footer[0];
        const day = f?.words.find((w) => /^\d+$/.test(w.text));
        if (day) day.text = String(int(r, 1, 28));
        break;
      }
      case 'split-paragraph': {
        const i = int(r, 0, sec.blocks.length - 1);
        const b = sec.blocks[i];
        if (!b) break;
        const ends = b.words
          .map((w, j) => (w.text.endsWith('.') ? j : -1))
          .filter((j) => j >= 0 && j < b.words.length - 1);
        if (ends.length === 0) break;
        const at = (pick(r, ends) ?? 0) + 1;
        const rest = b.words.splice(at);
        sec.blocks.splice(i + 1, 0, { id: nextId++, tag: 'p', words: rest });
        break;
      }
    }
    done.push(kind);
  }
  return done;
}

/** Picks clip spans (first and last word index within one block) of varied kinds. */
function pickClips(d: Doc, r: Rand, count: number): Array<{ first: number; last: number; kind: string }> {
  const out: Array<{ first: number; last: number; kind: string }> = [];
  const blocks = allBlocks(d).filter((b) => b.words.length > 0);
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const b = pick(r, blocks);
    const n = b.words.length;
    const kind = pick(r, ['phrase', 'short', 'sentence', 'sentence', 'multi', 'block']);
    let i = int(r, 0, n - 1);
    let j = i;
    if (kind === 'short') j = Math.min(n - 1, i + int(r, 0, 2));
    else if (kind === 'phrase') j = Math.min(n - 1, i + int(r, 3, 12));
    else {
      while (i > 0 && !b.words[i - 1]?.text.endsWith('.')) i--;
      j = i;
      const sentences = kind === 'sentence' ? 1 : kind === 'multi' ? 2 : 99;
      let seen = 0;
      while (j < n - 1 && !(b.words[j]?.text.endsWith('.') && ++seen >= sentences)) j++;
    }
    const first = b.words[i];
    const last = b.words[j];
    if (first && last) out.push({ first: first.id, last: last.id, kind });
  }
  return out;
}

function wordOrder(d: Doc): Map<number, { block: Block; index: number }> {
  const m = new Map<number, { block: Block; index: number }>();
  for (const b of allBlocks(d)) {
    b.words.forEach((w, index) => {
      m.set(w.id, { block: b, index });
    });
  }
  return m;
}

/** Removes the sentences that hold `count` of the clips (whole sentences, in the after-page). */
function deleteClippedSentences(
  d: Doc,
  clips: Array<{ first: number; last: number; kind: string }>,
  r: Rand,
  count: number,
): string[] {
  const done: string[] = [];
  for (let n = 0; n < count; n++) {
    const order = wordOrder(d);
    const c = clips[Math.floor(r() * clips.length)];
    const f = c ? order.get(c.first) : undefined;
    const l = c ? order.get(c.last) : undefined;
    if (!f || !l || f.block !== l.block || f.block.tag === 'h2') continue;
    const words = f.block.words;
    let from = f.index;
    while (from > 0 && !words[from - 1]?.text.endsWith('.')) from--;
    let to = l.index;
    while (to < words.length - 1 && !words[to]?.text.endsWith('.')) to++;
    if (from === 0 && to === words.length - 1 && r() < 0.5) {
      for (const s of d.sections) s.blocks = s.blocks.filter((b) => b !== f.block); // the whole paragraph
    } else words.splice(from, to - from + 1);
    done.push('delete-clipped');
  }
  return done;
}

/**
 * Builds the corpus: `pairs` before/after pages with ~`clipsPerPair` own clips each plus foreign
 * probes. `deletionsPerPair` > 0 also cuts the sentences holding that many clips per page (the
 * harder "clipped text deleted, templated twin remains" family; see diagnose.ts --deletions).
 */
export function buildCorpus(
  pairs = 54,
  clipsPerPair = 22,
  foreignPerPair = 8,
  seed = 20261129,
  deletionsPerPair = 0,
): CorpusPair[] {
  const r = seededRandom(seed);
  nextId = 1;
  const out: CorpusPair[] = [];
  const sources: Array<{ pair: number; text: string; span: [number, number]; quote: string }> = [];
  for (let p = 0; p < pairs; p++) {
    const before = makeDoc(r, p);
    const beforeR = renderText(before);
    const clipsW = pickClips(before, r, clipsPerPair);
    const beforeOrder = wordOrder(before);
    const after = cloneDoc(before);
    // Editors delete clipped text too: cut the sentences holding a few clips (context stays).
    const cut = deleteClippedSentences(after, clipsW, r, deletionsPerPair);
    const edits = [...cut, ...editDoc(after, r)];
    const afterR = renderText(after);
    const afterOrder = wordOrder(after);
    const clips: CorpusClip[] = [];
    clipsW.forEach((c, ci) => {
      const s = beforeR.spans.get(c.first);
      const e = beforeR.spans.get(c.last);
      const bf = beforeOrder.get(c.first);
      const bl = beforeOrder.get(c.last);
      if (!s || !e || !bf || !bl) return;
      const beforeSpan: [number, number] = [s[0], e[1]];
      const quote = beforeR.text.slice(...beforeSpan);
      // Surviving words of the clip, in the after-page.
      const ids = bf.block.words.slice(bf.index, bl.index + 1).map((w) => w.id);
      const alive = ids.map((id) => afterOrder.get(id)).filter((x) => x !== undefined);
      let expect: CorpusClip['expect'] = 'absent';
      let afterSpan: [number, number] | undefined;
      const firstAlive = alive[0];
      const lastAlive = alive[alive.length - 1];
      if (firstAlive && lastAlive) {
        const a0 = afterR.spans.get(firstAlive.block.words[firstAlive.index]?.id ?? -1);
        const a1 = afterR.spans.get(lastAlive.block.words[lastAlive.index]?.id ?? -1);
        if (a0 && a1 && a0[0] < a1[1] && a1[1] - a0[0] < quote.length * 2 + 20) {
          afterSpan = [a0[0], a1[1]];
          const now = afterR.text.slice(...afterSpan).replace(/\s/g, ' ');
          const change = levenshtein(quote.replace(/\s/g, ' '), now) / quote.length;
          const lostWords = 1 - alive.length / ids.length;
          // A changed number (version, date, period) changes what the passage says: either outcome.
          const digits = (x: string) => x.match(/\d+/g)?.join(',') ?? '';
          const sameNumbers = digits(quote) === digits(now);
          expect = change <= 0.1 && lostWords <= 0.15 && sameNumbers ? 'anchor' : 'either';
        } else expect = 'either';
      }
      let twins: Array<[number, number]> | undefined;
      if (expect === 'absent' && afterR.text.replace(/\s/g, ' ').includes(quote.replace(/\s/g, ' '))) {
        // The very words survive elsewhere (boilerplate, a repeated sentence): lost is right, and
        // anchoring there is wrong — unless that copy also sits between the same 24 characters
        // on each side, where nothing could tell the two apart (a "twin").
        expect = 'either';
        afterSpan = undefined;
        twins = twinsOf(beforeR.text, beforeSpan, afterR.text);
      }
      clips.push({
        id: `p${p}-c${ci}`,
        before: beforeSpan,
        expect,
        after: afterSpan,
        twins,
        source: 'own',
        kind: c.kind,
      });
      if (c.kind === 'sentence' || c.kind === 'phrase' || c.kind === 'multi')
        sources.push({ pair: p, text: beforeR.text, span: beforeSpan, quote });
    });
    out.push({
      id: `pair-${p}`,
      edits,
      beforeText: beforeR.text,
      afterText: afterR.text,
      beforeHtml: renderHtml(before, r),
      afterHtml: renderHtml(after, r),
      clips,
      foreign: [],
    });
  }
  // Foreign probes: passages clipped on other pages, looked for on this page. Most share
  // templates (near-duplicates) with this page's sentences, the hardest case for false anchors.
  for (let p = 0; p < out.length; p++) {
    const pair = out[p];
    if (!pair) continue;
    const canon = pair.afterText.replace(/\s/g, ' ');
    let added = 0;
    for (let tries = 0; added < foreignPerPair && tries < 100; tries++) {
      const src = sources[Math.floor(r() * sources.length)];
      if (!src || src.pair === p || canon.includes(src.quote.replace(/\s/g, ' '))) continue;
      pair.foreign.push({
        clip: {
          id: `p${p}-f${added}`,
          before: src.span,
          expect: 'absent',
          source: 'foreign',
          kind: 'foreign',
        },
        text: src.text,
      });
      added++;
    }
  }
  return out;
}

/** One long policy page (for benchmarks): normalised text of at least `chars` characters. */
export function bigPolicyText(chars: number, seed = 7): string {
  const r = seededRandom(seed);
  const parts: string[] = [];
  let total = 0;
  while (total < chars) {
    const t = renderText(makeDoc(r, 0)).text;
    parts.push(t);
    total += t.length + 1;
  }
  return parts.join('\n');
}
