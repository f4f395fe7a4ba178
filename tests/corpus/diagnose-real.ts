// Developer tool: `npx tsx tests/corpus/diagnose-real.ts [--show]` prints the edited passages of
// the real-revision corpus (tests/corpus/real) the engine misses, by category, and every wrong
// anchor on any truth kind (used to calibrate THRESHOLDS in shared/anchoring; docs/anchoring.md,
// "Calibration"). With --show, each missed passage's quote and context, before and now.
import { describeText, type LocateResult, locateText, prepareText } from '../../shared/anchoring';
import { loadRealCorpus, rangeMatches } from './real-corpus';

const corpus = loadRealCorpus();
const show = process.argv.includes('--show');
const categories = new Map<string, number>();
let edited = 0;
let wrong = 0;
const j = (s: string) => JSON.stringify(s);

/** Why an edited passage is lost, judged from its best suggestion (the engine's own candidates). */
function category(r: LocateResult, at: [number, number]): string {
  const s = r.suggestions?.[0];
  if (!s) return 'no candidate at all';
  const here = rangeMatches(at, s.start, s.end) ? 'right place offered' : 'another place offered first';
  return s.quoteSimilarity >= 0.85
    ? `word-similar (≥ 0.85), context changed, edit more than slight — ${here}`
    : `reworded (< 0.85), context changed — ${here}`;
}

for (const p of corpus.passages) {
  const pair = corpus.pairs[p.pair];
  const file = pair && corpus.files[pair.file];
  const before = pair && file?.texts[pair.before];
  const after = pair && file?.texts[pair.after];
  if (before === undefined || after === undefined) continue;
  const sel = describeText(before, ...p.range);
  const r = locateText(prepareText(after), sel);
  const t = p.truth;
  const found = r.status !== 'lost' && r.start !== undefined && r.end !== undefined;
  const right =
    found &&
    (t.kind === 'ambiguous'
      ? t.alts.some((a) => rangeMatches(a, r.start ?? 0, r.end ?? 0))
      : t.kind !== 'gone' && rangeMatches(t.at, r.start ?? 0, r.end ?? 0));
  if (found && !right) {
    wrong++;
    console.log(
      `WRONG ${t.kind} ${r.stage} ${j(before.slice(...p.range))} -> ${j(after.slice(r.start, r.end))}`,
    );
  }
  if (t.kind !== 'edited') continue;
  edited++;
  if (right) continue;
  const c = category(r, t.at);
  categories.set(c, (categories.get(c) ?? 0) + 1);
  if (show) {
    const q = sel.find((s) => s.type === 'TextQuoteSelector');
    console.log(`\nMISSED (${c})`);
    console.log(
      '  before',
      j(`${q?.prefix?.slice(-60) ?? ''}[${q?.exact ?? ''}]${q?.suffix?.slice(0, 60) ?? ''}`),
    );
    console.log(
      '  now   ',
      j(
        `${after.slice(t.at[0] - 60, t.at[0])}[${after.slice(...t.at)}]${after.slice(t.at[1], t.at[1] + 60)}`,
      ),
    );
  }
}
const missed = [...categories.values()].reduce((a, b) => a + b, 0);
console.log(
  `\nedited: ${edited - missed}/${edited} found (${((100 * (edited - missed)) / edited).toFixed(1)} %), wrong anchors (all kinds): ${wrong}`,
);
for (const [c, n] of [...categories].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${c}`);
