// Templated policy pages for the anchoring engine: many sections carrying the same boilerplate
// sentences, so every boilerplate clip has verbatim copies elsewhere — some with the very same
// context. The edits are the ones that tempt an engine onto a copy: paragraphs inserted right
// before a clip, a clipped copy reworded in place, whole sections deleted. Deterministic.
import { seededRandom } from '../../shared/seeded-random';
import type { CorpusClip, CorpusPair } from './policy-corpus';

const UNITS = [
  'CT',
  'MRI',
  'Ultrasound',
  'Plain film',
  'Fluoroscopy',
  'Nuclear medicine',
  'DEXA',
  'Mammography',
  'Interventional radiology',
  'Paediatric imaging',
];
const SITES = [
  'Royal Infirmary',
  "St Mary's Hospital",
  'Community Diagnostic Centre',
  'General Hospital',
  'Eastgate Clinic',
];
const LEADS = [
  'modality lead',
  'lead radiographer',
  'service manager',
  'clinical director',
  'quality lead',
  'PACS manager',
];
const TASKS = [
  'checks the daily quality assurance log',
  'signs off new protocols before first use',
  'reviews the local diagnostic reference levels',
  'audits patient identification checks',
  'confirms staff entitlements against the training matrix',
  'reports equipment faults to the medical physics team',
  'collects patient feedback from the waiting area',
  'reviews unintended exposure reports with the team',
];
const WHEN = [
  'every morning',
  'each week',
  'at the monthly meeting',
  'before each list',
  'at handover',
  'every quarter',
];
const SWAP: Record<string, string> = {
  checks: 'verifies',
  reviews: 'examines',
  audits: 'inspects',
  confirms: 'records',
  reports: 'escalates',
  collects: 'gathers',
  'signs off': 'approves',
};

/** Boilerplate repeated in every section (the template). */
const B1 = 'This procedure applies to all staff working in the unit named above.';
const B2 = 'Staff must read it before their first shift and sign the register.';
const B3 = 'Any deviation from this procedure must be reported on Datix within one working day.';
const B4 = 'Records are kept for the period set out in the retention schedule.';

interface Para {
  id: number;
  sentences: string[];
}
interface Section {
  heading: Para;
  paras: Para[];
}
interface Clip {
  para: number;
  /** Sentence index in the paragraph. */
  s: number;
  kind: 'boilerplate' | 'unique';
}

function render(sections: Section[]): { text: string; html: string; at: Map<number, number[]> } {
  const lines: string[] = [];
  const at = new Map<number, number[]>();
  let offset = 0;
  const html: string[] = ['<!doctype html><html><head><title>Unit procedures</title></head><body><main>'];
  const add = (p: Para) => {
    const starts: number[] = [];
    let o = offset;
    for (const s of p.sentences) {
      starts.push(o);
      o += s.length + 1;
    }
    at.set(p.id, starts);
    const line = p.sentences.join(' ');
    lines.push(line);
    offset += line.length + 1;
  };
  for (const sec of sections) {
    add(sec.heading);
    html.push(`<section><h2>${sec.heading.sentences.join(' ')}</h2>`);
    for (const p of sec.paras) {
      add(p);
      html.push(`<p>${p.sentences.join(' ').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`);
    }
    html.push('</section>');
  }
  html.push('</main></body></html>');
  return { text: lines.join('\n'), html: html.join('\n'), at };
}

/** Pages of `sections` templated sections, before and after realistic template edits. */
export function buildTemplatedCorpus(pages = 12, sections = 24, seed = 20261206): CorpusPair[] {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: CorpusPair[] = [];
  for (let pg = 0; pg < pages; pg++) {
    let id = 0;
    const para = (sentences: string[]): Para => ({ id: id++, sentences });
    const secs: Section[] = [];
    for (let i = 0; i < sections; i++) {
      const unit = `${pick(UNITS)} at ${pick(SITES)}`;
      const lead = pick(LEADS);
      secs.push({
        heading: para([`${i + 1}. ${unit}`]),
        paras: [
          para([B1, B2]),
          para([
            `The ${lead} for ${unit} ${pick(TASKS)} ${pick(WHEN)}.`,
            `The ${pick(LEADS)} ${pick(TASKS)} ${pick(WHEN)}.`,
          ]),
          para([B3, B4]),
        ],
      });
    }
    const before = render(secs);
    // Clips: boilerplate sentences (copies in every section) and unique duty sentences.
    const clips: Clip[] = [];
    for (let k = 0; k < 16; k++) {
      const sec = secs[Math.floor(r() * secs.length)];
      if (!sec) continue;
      const boiler = r() < 0.6;
      const p = boiler ? (r() < 0.5 ? sec.paras[0] : sec.paras[2]) : sec.paras[1];
      if (!p) continue;
      const s = Math.floor(r() * 2);
      if (!clips.some((c) => c.para === p.id && c.s === s))
        clips.push({ para: p.id, s, kind: boiler ? 'boilerplate' : 'unique' });
    }
    // Edits. Per clip: a paragraph inserted right before it, its copy reworded in place, or its
    // section deleted; other sections get unrelated inserts and rewordings.
    const after: Section[] = secs.map((s) => ({
      heading: s.heading,
      paras: s.paras.map((p) => ({ ...p, sentences: [...p.sentences] })),
    }));
    const fate = new Map<string, 'same' | 'edited' | 'deleted'>();
    const deletedSections = new Set<number>();
    for (const c of clips) {
      const si = after.findIndex((s) => s.paras.some((p) => p.id === c.para));
      const sec = after[si];
      if (!sec) continue;
      const pi = sec.paras.findIndex((p) => p.id === c.para);
      const p = sec.paras[pi];
      if (!p) continue;
      const roll = r();
      const key = `${c.para}:${c.s}`;
      if (roll < 0.45) {
        sec.paras.splice(
          pi,
          0,
          para([`Update for ${pg}-${c.para}: the ${pick(LEADS)} now also ${pick(TASKS)} ${pick(WHEN)}.`]),
        );
        fate.set(key, 'same');
      } else if (roll < 0.75) {
        const old = p.sentences[c.s] ?? '';
        const edited =
          c.kind === 'boilerplate'
            ? old
                .replace(/ must /, ' should ')
                .replace(/ all staff /, ' every member of staff ')
                .replace(/ kept /, ' held ')
            : old.replace(
                / (checks|reviews|audits|confirms|reports|collects|signs off) /,
                (_m, v: string) => ` ${SWAP[v] ?? v} `,
              );
        p.sentences[c.s] = edited;
        fate.set(key, edited === old ? 'same' : 'edited');
      } else if (roll < 0.85 && !deletedSections.has(si)) {
        deletedSections.add(si);
      } else fate.set(key, 'same');
    }
    for (let i = 0; i < sections / 4; i++) {
      const sec = after[Math.floor(r() * after.length)];
      sec?.paras.push(para([`Note: the ${pick(LEADS)} ${pick(TASKS)} ${pick(WHEN)}.`]));
    }
    const kept = after.filter((_, i) => !deletedSections.has(i));
    const afterR = render(kept);
    const corpusClips: CorpusClip[] = [];
    clips.forEach((c, ci) => {
      const bs = before.at.get(c.para)?.[c.s];
      const bp = secs.flatMap((s) => s.paras).find((p) => p.id === c.para);
      const quote = bp?.sentences[c.s] ?? '';
      if (bs === undefined) return;
      const as = afterR.at.get(c.para)?.[c.s];
      const ap = kept.flatMap((s) => s.paras).find((p) => p.id === c.para);
      const now = ap?.sentences[c.s];
      const f = fate.get(`${c.para}:${c.s}`);
      let expect: CorpusClip['expect'] = 'absent';
      let afterSpan: [number, number] | undefined;
      if (as !== undefined && now !== undefined) {
        afterSpan = [as, as + now.length];
        // Unchanged: must be found there. A boilerplate copy reworded in place: found there or
        // lost are both right — never a verbatim copy in another section.
        expect = f === 'edited' && c.kind === 'boilerplate' ? 'either' : 'anchor';
      } else if (afterR.text.includes(quote)) expect = 'either'; // its section is gone; copies remain
      corpusClips.push({
        id: `t${pg}-c${ci}`,
        before: [bs, bs + quote.length],
        expect,
        after: afterSpan,
        source: 'own',
        kind: `templated-${c.kind}-${f ?? 'deleted'}`,
      });
    });
    out.push({
      id: `templated-${pg}`,
      edits: [`${deletedSections.size} sections deleted`],
      beforeText: before.text,
      afterText: afterR.text,
      beforeHtml: before.html,
      afterHtml: afterR.html,
      clips: corpusClips,
      foreign: [],
    });
  }
  return out;
}
