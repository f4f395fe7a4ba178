// Developer tool: `npx tsx tests/corpus/diagnose.ts [--missed] [--deletions]` prints the corpus summary and every false
// anchor with quote, found and expected text (used to calibrate THRESHOLDS in shared/anchoring).
import { describeText, locateText, prepareText } from '../../shared/anchoring';
import { isCorrect, newTally, record, summary } from './evaluate';
import { buildCorpus } from './policy-corpus';

const t = newTally();
const missed: string[] = [];
const deletions = process.argv.includes('--deletions') ? 4 : 0;
for (const pair of buildCorpus(54, 22, 8, 20261129, deletions)) {
  const text = prepareText(pair.afterText);
  const jobs = [
    ...pair.clips.map((c) => ({ clip: c, src: pair.beforeText })),
    ...pair.foreign.map((f) => ({ clip: f.clip, src: f.text })),
  ];
  for (const j of jobs) {
    const sel = describeText(j.src, ...j.clip.before);
    const t0 = performance.now();
    const r = locateText(text, sel);
    t.ms += performance.now() - t0;
    const before = t.falseAnchors.length;
    record(t, j.clip, r);
    const show = (a?: number, b?: number) =>
      a === undefined || b === undefined ? '-' : JSON.stringify(pair.afterText.slice(a, b));
    if (t.falseAnchors.length > before) {
      console.log(
        `FALSE ${j.clip.id} ${j.clip.expect}/${j.clip.kind} ${r.stage} q=${r.quoteSimilarity?.toFixed(2)} score=${r.score.toFixed(2)}`,
      );
      console.log('  quote   ', JSON.stringify(j.src.slice(...j.clip.before)));
      console.log('  found   ', show(r.start, r.end));
      console.log('  expected', show(j.clip.after?.[0], j.clip.after?.[1]));
    } else if (j.clip.expect === 'anchor' && !isCorrect(j.clip, r) && process.argv.includes('--missed')) {
      missed.push(
        `MISSED ${j.clip.id} ${j.clip.kind} score=${r.score.toFixed(2)} ${JSON.stringify(j.src.slice(...j.clip.before))} -> ${show(j.clip.after?.[0], j.clip.after?.[1])}`,
      );
    }
  }
}
for (const m of missed) console.log(m);
console.log(summary('text', t));
