// Builds the real-revision anchoring corpus (tests/corpus/real/) from local git mirrors of public
// prose repositories: successive versions of real documents, passages clipped from the older one,
// and where each passage is now — judged by word-level LCS over sliding windows, never by the
// engine. Needs the mirrors (bare git dirs) on disk; CI only reads the committed output.
//
//   node --import tsx scripts/build-real-corpus.ts <mirror-root>
//
// <mirror-root>/<owner>+<name>/repo is a bare clone of github.com/<owner>/<name>.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { normalizeText } from '../shared/anchoring/normalize';
import { seededRandom } from '../shared/seeded-random';
import type { RealCorpus, RealPassage, Truth } from '../tests/corpus/real-corpus';

interface Source {
  repo: string;
  head: string;
  licence: string;
  /** The licence file at `head`, copied into SOURCES.md (MIT asks for its notice with copies). */
  licenceFile: string;
  /** Path patterns (git pathspecs) to draw documents from. */
  spec: string[];
  /** Most documents taken from this repository. */
  files: number;
  exclude?: RegExp;
}

const SOURCES: Source[] = [
  {
    repo: '18F/handbook',
    head: '1e4955634d0369f17e5bbc0ebbf8f62e2a3dfe4b',
    licence:
      'Public domain in the United States (work of the US Government); CC0 1.0 Universal worldwide (LICENSE.md)',
    licenceFile: 'LICENSE.md',
    spec: ['_pages/**/*.md'],
    files: 14,
    exclude: /ttsjobs|offices\/|teams\/|benefits-links/,
  },
  {
    repo: '18F/content-guide',
    head: '1b1723d3d5b8f91d92c16487c88b56265dc0ec3a',
    licence:
      'Public domain in the United States (work of the US Government); CC0 1.0 Universal worldwide (LICENSE.md)',
    licenceFile: 'LICENSE.md',
    spec: ['_pages/**/*.md', 'pages/*.md'],
    files: 10,
    exclude: /LICENSE|README/,
  },
  {
    repo: 'alphagov/govuk-developer-docs',
    head: '972d1b4410ffd165f2f3e889eda30bcf7d1cc6b3',
    licence: 'MIT License, Copyright (c) Crown Copyright (Government Digital Service) (LICENCE)',
    licenceFile: 'LICENCE',
    spec: ['source/manual/*.html.md'],
    files: 10,
  },
  {
    repo: 'ministryofjustice/technical-guidance',
    head: 'd0f7e2a92c88f0c3cca02946d750daabca3c0196',
    licence: 'MIT License, Copyright (c) 2020-2022 Crown Copyright (Ministry of Justice) (LICENSE)',
    licenceFile: 'LICENSE',
    spec: ['source/documentation/**/*.html.md.erb'],
    files: 8,
  },
];

const PAIRS_PER_FILE = 5;
const PASSAGES_PER_PAIR = 26;

function git(dir: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', dir, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** Markdown (with front matter, HTML and ERB) → the text a reader sees, one block per line. */
export function markdownToText(md: string): string {
  let s = md.replace(/\r\n?/g, '\n');
  s = s.replace(/^---\n[\s\S]*?\n---\n/, '');
  s = s.replace(/^(```|~~~)[\s\S]*?^\1.*$/gm, '\n');
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  s = s.replace(/<%[\s\S]*?%>/g, '');
  s = s.replace(/\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}/g, '');
  s = s.replace(/^\s*\[[^\]]+\]:\s*\S+.*$/gm, '');
  s = s.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1');
  s = s.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
  s = s.replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
  s = s.replace(/<\/?(p|div|li|ul|ol|h\d|br|tr|td|th|table|section|details|summary)\b[^>]*>/gi, '\n\n');
  s = s.replace(/<[^>]+>/g, '');
  s = s.replace(/\{:[^}]*\}/g, '');
  const blocks: string[] = [];
  let para: string[] = [];
  const flush = () => {
    const t = normalizeText(para.join(' '));
    if (/\p{L}/u.test(t)) blocks.push(t);
    para = [];
  };
  for (const raw of s.split('\n')) {
    let line = raw;
    if (/^\s*$/.test(line) || /^\s*([-*_]\s*){3,}$/.test(line) || /^\s*\|?\s*:?-{3,}/.test(line)) {
      flush();
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+/.test(line);
    const item = /^\s*([-*+]|\d+[.)])\s+/.test(line);
    if (heading || item) flush();
    line = line.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/\s+#+\s*$/, '');
    line = line.replace(/^\s*([-*+]|\d+[.)])\s+/, '').replace(/^\s*>\s?/, '');
    line = line.replace(/\|/g, ' ');
    line = line
      .replace(/(\*\*|__)(?=\S)([^*_]*?\S)\1/g, '$2')
      .replace(/(^|\W)[*_](?=\S)([^*_]*?\S)[*_](?=\W|$)/g, '$1$2');
    line = line.replace(/`+/g, '');
    line = decodeEntities(line);
    para.push(line);
    if (heading) flush();
  }
  flush();
  return blocks.join('\n');
}

const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  mdash: '—',
  ndash: '–',
  hellip: '…',
};

/** The characters a browser shows for HTML entities. */
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

interface Word {
  key: string;
  start: number;
  end: number;
  weight: number;
}

/**
 * Words of `text` with offsets: runs of letters and digits (so "users—such" is two words and a
 * changed URL costs the parts that changed), compared without case. Each word weighs 1.
 */
function words(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)) {
    out.push({
      key: m[0].toLowerCase().replace('’', "'"),
      start: m.index,
      end: m.index + m[0].length,
      weight: 1,
    });
  }
  return out;
}

/** Word-level LCS table of `p` against `w[lo, hi)`, traced back to the matched pairs. */
function lcsPairs(p: Word[], w: Word[], lo: number, hi: number): Array<[number, number]> {
  const n = p.length;
  const m = hi - lo;
  const dp = new Float64Array((n + 1) * (m + 1));
  for (let i = 1; i <= n; i++) {
    const pk = p[i - 1]?.key;
    const pw = p[i - 1]?.weight ?? 0;
    for (let j = 1; j <= m; j++) {
      const k = i * (m + 1) + j;
      dp[k] =
        pk === w[lo + j - 1]?.key ? (dp[k - m - 2] ?? 0) + pw : Math.max(dp[k - m - 1] ?? 0, dp[k - 1] ?? 0);
    }
  }
  // Trace back, dropping trailing words of w whenever that loses nothing: the alignment ends
  // as early as it can.
  const pairs: Array<[number, number]> = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const k = i * (m + 1) + j;
    if ((dp[k - 1] ?? 0) === dp[k]) j--;
    else if ((dp[k - m - 1] ?? 0) === dp[k]) i--;
    else {
      pairs.push([i - 1, lo + j - 1]);
      i--;
      j--;
    }
  }
  return pairs.reverse();
}

/**
 * Word-level LCS similarity of passage `p` to the words `w[lo, hi)` (matched weight / passage
 * weight) and the place it covers there: from the first to the last matched word, widened by as
 * many words as the passage has unmatched before its first / after its last match (a changed
 * first or last word is still part of the passage). Both ends as tight as the LCS allows.
 */
function lcs(
  p: Word[],
  w: Word[],
  lo: number,
  hi: number,
): { sim: number; dice: number; first: number; last: number } {
  const fwd = lcsPairs(p, w, lo, hi);
  if (fwd.length === 0) return { sim: 0, dice: 0, first: -1, last: -1 };
  const rp = [...p].reverse();
  const rw = w.slice(lo, hi).reverse();
  const bwd = lcsPairs(rp, rw, 0, rw.length);
  const total = p.reduce((a, x) => a + x.weight, 0);
  const sim = fwd.reduce((a, [pi]) => a + (p[pi]?.weight ?? 0), 0) / total;
  const [lpi, lwj] = fwd[fwd.length - 1] ?? [0, 0];
  const [fpi, fwjRev] = bwd[bwd.length - 1] ?? [0, 0];
  const firstP = p.length - 1 - fpi;
  const firstW = lo + rw.length - 1 - fwjRev;
  const first = Math.max(lo, firstW - firstP);
  const last = Math.min(hi - 1, lwj + (p.length - 1 - lpi));
  // Symmetric similarity over the window found: words inserted into the passage count too.
  const inSpan = fwd.filter(([, j]) => j >= first && j <= last).length;
  const dice = (2 * inSpan) / (p.length + Math.max(0, last - first + 1));
  return { sim, dice, first, last };
}

interface Window {
  sim: number;
  dice: number;
  start: number;
  end: number;
}

/** Every distinct place in `after` resembling passage `p` (bag-of-words prefilter, then LCS). */
function windows(p: Word[], after: Word[]): Window[] {
  const n = p.length;
  const need = new Map<string, number>();
  for (const x of p) need.set(x.key, (need.get(x.key) ?? 0) + 1);
  const have = new Map<string, number>();
  let hits = 0;
  const add = (k: string, d: number) => {
    const want = need.get(k);
    if (want === undefined) return;
    const h = have.get(k) ?? 0;
    if (d > 0 && h < want) hits++;
    if (d < 0 && h <= want) hits--;
    have.set(k, h + d);
  };
  const starts: Array<[number, number]> = [];
  for (let j = 0; j < after.length; j++) {
    add(after[j]?.key ?? '', 1);
    if (j >= n) add(after[j - n]?.key ?? '', -1);
    if (j >= n - 1 && hits >= Math.max(2, Math.ceil(n * 0.4))) starts.push([j - n + 1, hits]);
  }
  // Runs of consecutive qualifying starts: the best start of each run, and starts a third of the
  // passage apart along it (neighbouring look-alike lines form one run).
  const regions: number[] = [];
  const step = Math.max(1, Math.floor(n / 3));
  let run: Array<[number, number]> = [];
  const flushRun = () => {
    if (run.length === 0) return;
    let best = run[0] ?? [0, 0];
    for (const x of run) if (x[1] > best[1]) best = x;
    regions.push(best[0]);
    for (let k = 0; k < run.length; k += step) if (run[k]?.[0] !== best[0]) regions.push(run[k]?.[0] ?? 0);
    run = [];
  };
  for (const x of starts) {
    const prev = run[run.length - 1];
    if (prev && x[0] > prev[0] + 1) flushRun();
    run.push(x);
  }
  flushRun();
  const slack = Math.ceil(n * 0.3) + 1;
  const out: Window[] = [];
  for (const s of regions) {
    const lo = Math.max(0, s - slack);
    const hi = Math.min(after.length, s + n + slack);
    const r = lcs(p, after, lo, hi);
    if (r.first < 0) continue;
    const a = after[r.first];
    const b = after[r.last];
    if (a && b) out.push({ sim: r.sim, dice: r.dice, start: a.start, end: b.end });
  }
  // Overlapping windows are the same place: keep the best.
  out.sort((x, y) => y.sim - x.sim);
  const kept: Window[] = [];
  for (const w of out)
    if (!kept.some((k) => Math.min(k.end, w.end) - Math.max(k.start, w.start) > 0)) kept.push(w);
  return kept;
}

const canon = (s: string) => s.replace(/\s/g, ' ');

function occurrences(T: string, q: string): number[] {
  const out: number[] = [];
  for (let i = T.indexOf(q); i >= 0; i = T.indexOf(q, i + 1)) out.push(i);
  return out;
}

/** Context agreement (word LCS) of k words each side of a place, before vs after. */
function contextSim(bw: Word[], bs: number, be: number, aw: Word[], as: number, ae: number, k = 8): number {
  const bi = bw.findIndex((w) => w.start >= bs);
  const bj = bw.findIndex((w) => w.start >= be);
  const ai = aw.findIndex((w) => w.start >= as);
  const aj = aw.findIndex((w) => w.start >= ae);
  const side = (p: Word[], lo: number, hi: number) => (p.length === 0 ? 0.5 : lcs(p, aw, lo, hi).sim);
  const pb = bw.slice(Math.max(0, bi - k), bi);
  const sb = bj < 0 ? [] : bw.slice(bj, bj + k);
  const ai0 = ai < 0 ? aw.length : ai;
  const aj0 = aj < 0 ? aw.length : aj;
  return (side(pb, Math.max(0, ai0 - k - 2), ai0) + side(sb, aj0, Math.min(aw.length, aj0 + k + 2))) / 2;
}

/** Ground truth of one passage: where it is now, judged without the engine. */
function judge(before: string, after: string, bw: Word[], aw: Word[], s: number, e: number): Truth {
  const q = canon(before.slice(s, e));
  const p = words(before.slice(s, e));
  const wins = windows(p, aw);
  const best = wins[0];
  const second = wins[1];
  const alts = wins.filter((w) => w.sim >= 0.5).map((w): [number, number] => [w.start, w.end]);
  const occ = occurrences(canon(after), q);
  const shortQuote = p.length <= 5;
  if (occ.length === 1) {
    const at = occ[0] ?? 0;
    const ctx = contextSim(bw, s, e, aw, at, at + q.length);
    // A few words found verbatim somewhere else entirely are a coincidence, not the passage.
    if (shortQuote && ctx < 0.3) return { kind: 'ambiguous', alts };
    // An edited form in the passage's old surroundings, while a verbatim copy sits elsewhere:
    // either could be meant.
    const inPlace = wins.find(
      (w) =>
        w.sim >= 0.8 &&
        (w.end <= at || w.start >= at + q.length) &&
        contextSim(bw, s, e, aw, w.start, w.end) - ctx >= 0.3,
    );
    if (inPlace)
      return {
        kind: 'ambiguous',
        alts: [
          [at, at + q.length],
          [inPlace.start, inPlace.end],
        ],
      };
    return { kind: 'exact', at: [at, at + q.length] };
  }
  if (occ.length > 1) {
    // Verbatim copies (boilerplate): the one whose surroundings still agree, if clearly one.
    const scored = occ.map((at) => ({ at, c: contextSim(bw, s, e, aw, at, at + q.length) }));
    scored.sort((x, y) => y.c - x.c);
    const [x, y] = scored;
    if (x && y && x.c >= 0.6 && x.c - y.c >= 0.3)
      return { kind: 'exact-repeated', at: [x.at, x.at + q.length] };
    return { kind: 'ambiguous', alts: occ.map((at): [number, number] => [at, at + q.length]) };
  }
  if (!best || best.sim < 0.5) return { kind: 'gone' };
  // A look-alike window with clearly better surroundings could be the passage as well.
  const rivalled =
    second !== undefined &&
    second.sim >= 0.6 &&
    contextSim(bw, s, e, aw, second.start, second.end) - contextSim(bw, s, e, aw, best.start, best.end) >=
      0.2;
  // A changed number changes what the passage says (as in the synthetic corpus): either outcome.
  const numbers = (x: string) => x.match(/(?<![\p{L}\d])\d+(?:[.,]\d+)*(?![\p{L}\d])/gu)?.join(' ') ?? '';
  if (numbers(before.slice(s, e)) !== numbers(after.slice(best.start, best.end)))
    return { kind: 'ambiguous', alts };
  if (
    best.sim >= 0.8 &&
    best.dice >= 0.8 &&
    !shortQuote &&
    !rivalled &&
    (!second || best.sim - second.sim >= 0.15)
  ) {
    return { kind: 'edited', at: [best.start, best.end], sim: Math.round(best.dice * 1000) / 1000 };
  }
  return { kind: 'ambiguous', alts };
}

/** Sentence ranges inside one block. */
function sentences(text: string, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = from;
  const re = /[.!?]["”)]?\s+(?=["“(]?[A-Z0-9])/g;
  re.lastIndex = from;
  const block = text.slice(0, to);
  for (let m = re.exec(block); m; m = re.exec(block)) {
    const e = m.index + m[0].trimEnd().length;
    if (e - s >= 12) out.push([s, e]);
    s = m.index + m[0].length;
  }
  if (to - s >= 12) out.push([s, to]);
  return out;
}

function pickPassages(
  before: string,
  after: string,
  rand: () => number,
): Array<[number, number, RealPassage['kind']]> {
  const blocks: Array<[number, number]> = [];
  let at = 0;
  for (const line of before.split('\n')) {
    blocks.push([at, at + line.length]);
    at += line.length + 1;
  }
  const afterCanon = canon(after);
  const changed = blocks.filter(([a, b]) => !afterCanon.includes(before.slice(a, b)) && b - a > 30);
  const prose = blocks.filter(([a, b]) => b - a > 30);
  if (prose.length === 0) return [];
  const bw = words(before);
  const out: Array<[number, number, RealPassage['kind']]> = [];
  const seen = new Set<string>();
  const pushRange = (s: number, e: number, kind: RealPassage['kind']) => {
    const key = `${s}:${e}`;
    if (e - s < 8 || seen.has(key)) return;
    seen.add(key);
    out.push([s, e, kind]);
  };
  const wordsIn = (a: number, b: number) => bw.filter((w) => w.start >= a && w.end <= b);
  let guard = 0;
  while (out.length < PASSAGES_PER_PAIR && guard++ < PASSAGES_PER_PAIR * 20) {
    // Half from blocks that changed (where the interesting cases are), half from anywhere.
    const pool = changed.length > 0 && rand() < 0.55 ? changed : prose;
    const [a, b] = pool[Math.floor(rand() * pool.length)] ?? [0, 0];
    const r = rand();
    const ws = wordsIn(a, b);
    if (ws.length < 3) continue;
    if (r < 0.35) {
      const ss = sentences(before, a, b);
      const [s, e] = ss[Math.floor(rand() * ss.length)] ?? [a, b];
      if (e - s <= 600) pushRange(s, e, 'sentence');
    } else if (r < 0.6) {
      const n = 6 + Math.floor(rand() * 12);
      if (ws.length < n + 1) continue;
      const i = Math.floor(rand() * (ws.length - n));
      const x = ws[i];
      const y = ws[i + n - 1];
      if (x && y) pushRange(x.start, y.end, 'fragment');
    } else if (r < 0.8) {
      const n = 3 + Math.floor(rand() * 3);
      if (ws.length < n) continue;
      const i = Math.floor(rand() * (ws.length - n + 1));
      const x = ws[i];
      const y = ws[i + n - 1];
      if (x && y) pushRange(x.start, y.end, 'short');
    } else {
      // Across a paragraph break: the end of this block and the start of the next.
      const next = blocks.find(([c]) => c === b + 1);
      if (!next) continue;
      const nw = wordsIn(next[0], next[1]);
      const k1 = Math.min(ws.length, 3 + Math.floor(rand() * 6));
      const k2 = Math.min(nw.length, 3 + Math.floor(rand() * 6));
      const x = ws[ws.length - k1];
      const y = nw[k2 - 1];
      if (x && y && k2 > 0) pushRange(x.start, y.end, 'span');
    }
  }
  return out;
}

/** Shares of before-blocks kept verbatim: a pair is worth having when some, not all, changed. */
function keptShare(before: string, after: string): number {
  const blocks = before.split('\n').filter((b) => b.length > 30);
  if (blocks.length === 0) return 1;
  const set = new Set(after.split('\n'));
  return blocks.filter((b) => set.has(b)).length / blocks.length;
}

function main(): void {
  const root = process.argv[2];
  const outDir = process.argv[3] ?? 'tests/corpus/real';
  if (!root) throw new Error('usage: build-real-corpus.ts <mirror-root> [out-dir]');
  const rand = seededRandom(15_2026);
  const corpus: RealCorpus = { files: [], pairs: [], passages: [] };
  const sourcesLines: string[] = [];
  for (const src of SOURCES) {
    const dir = join(root, src.repo.replace('/', '+'), 'repo');
    const counts = new Map<string, number>();
    for (const f of git(dir, ['log', '--name-only', '--format=', src.head, '--', ...src.spec]).split('\n')) {
      if (f && !src.exclude?.test(f)) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    const ranked = [...counts]
      .filter(([, c]) => c >= 6)
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    let taken = 0;
    sourcesLines.push(
      `## ${src.repo}`,
      '',
      `- https://github.com/${src.repo} at ${src.head}`,
      `- Licence: ${src.licence}`,
      '',
    );
    for (const [path] of ranked) {
      if (taken >= src.files) break;
      const commits = git(dir, ['log', '--reverse', '--format=%H', src.head, '--', path])
        .split('\n')
        .filter(Boolean);
      const versions: Array<{ commit: string; text: string }> = [];
      for (const c of commits) {
        let md: string;
        try {
          md = git(dir, ['show', `${c}:${path}`]);
        } catch {
          continue; // deleted in this commit
        }
        const text = markdownToText(md);
        if (text.length < 800 || text.length > 120_000) continue;
        if (versions[versions.length - 1]?.text !== text) versions.push({ commit: c, text });
      }
      // Pairs: successive versions, and some two or three revisions apart (bigger edits).
      const cand: Array<[number, number]> = [];
      for (let i = 0; i + 1 < versions.length; i++) {
        for (const gap of [1, 3]) {
          const j = i + gap;
          const a = versions[i]?.text ?? '';
          const b = versions[j]?.text ?? '';
          if (j >= versions.length) continue;
          const kept = keptShare(a, b);
          const ratio = b.length / a.length;
          if (kept >= 0.3 && kept < 0.97 && ratio > 0.6 && ratio < 1.7) cand.push([i, j]);
        }
      }
      if (cand.length < 2) continue;
      const chosen: Array<[number, number]> = [];
      for (let k = 0; k < PAIRS_PER_FILE && k < cand.length; k++) {
        const c = cand[Math.floor((k * cand.length) / Math.min(PAIRS_PER_FILE, cand.length))];
        if (c && !chosen.some((x) => x[0] === c[0] && x[1] === c[1])) chosen.push(c);
      }
      const fileIdx = corpus.files.length;
      const used = [...new Set(chosen.flat())].sort((x, y) => x - y);
      const texts = used.map((v) => versions[v]?.text ?? '');
      corpus.files.push({ repo: src.repo, path, commits: used.map((v) => versions[v]?.commit ?? ''), texts });
      sourcesLines.push(`- \`${path}\`: ${used.map((v) => versions[v]?.commit).join(', ')}`);
      for (const [i, j] of chosen) {
        const before = versions[i]?.text ?? '';
        const after = versions[j]?.text ?? '';
        const pairIdx = corpus.pairs.length;
        corpus.pairs.push({ file: fileIdx, before: used.indexOf(i), after: used.indexOf(j) });
        const bw = words(before);
        const aw = words(after);
        for (const [s, e, kind] of pickPassages(before, after, rand)) {
          corpus.passages.push({
            pair: pairIdx,
            kind,
            range: [s, e],
            truth: judge(before, after, bw, aw, s, e),
          });
        }
      }
      taken++;
    }
    sourcesLines.push('', `### Licence of ${src.repo} (${src.licenceFile} at ${src.head})`, '', '```');
    sourcesLines.push(git(dir, ['show', `${src.head}:${src.licenceFile}`]).trim(), '```', '');
  }
  const json = JSON.stringify(corpus);
  writeFileSync(join(outDir, 'corpus.json.gz'), gzipSync(json, { level: 9 }));
  const tally = new Map<string, number>();
  for (const p of corpus.passages) tally.set(p.truth.kind, (tally.get(p.truth.kind) ?? 0) + 1);
  const kinds = new Map<string, number>();
  for (const p of corpus.passages) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
  const head = [
    '# Sources of the real-revision corpus',
    '',
    'Successive versions of public prose documents, taken from their git histories by',
    '`scripts/build-real-corpus.ts` and stored as plain text (Markdown markup stripped) in',
    '`corpus.json.gz`. Each document lists the commits whose versions are kept.',
    '',
    `Files: ${corpus.files.length}; version pairs: ${corpus.pairs.length}; passages: ${corpus.passages.length}`,
    `(${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}); ground truth: ${[...tally].map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
  ];
  writeFileSync(join(outDir, 'SOURCES.md'), [...head, ...sourcesLines].join('\n'));
  console.log(head.slice(6).join('\n'), `${(json.length / 1e6).toFixed(1)} MB json`);
}

main();
