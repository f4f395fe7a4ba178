// Scoring of anchoring outcomes against the corpus expectations (the metrics of docs/anchoring.md): recall,
// false-anchor rate (must be 0), lost-precision and time. Shared by the text-level and DOM-level runs.
import type { CorpusClip } from './policy-corpus';

export interface Outcome {
  status: 'exact' | 'relocated' | 'lost';
  start?: number;
  end?: number;
}

/** True when a found range is the expected passage (overlaps most of it, spills little). */
export function isCorrect(clip: CorpusClip, o: Outcome): boolean {
  if (o.start === undefined || o.end === undefined) return false;
  if (clip.twins?.some(([s, e]) => s === o.start && e === o.end)) return true;
  if (!clip.after) return false;
  const [xs, xe] = clip.after;
  const len = xe - xs;
  const overlap = Math.min(o.end, xe) - Math.max(o.start, xs);
  const slack = Math.max(3, Math.ceil(len * 0.2));
  return overlap >= len * 0.5 && o.start >= xs - slack && o.end <= xe + slack;
}

export interface Tally {
  clips: number;
  anchorable: number;
  found: number;
  absent: number;
  falseAnchors: Array<{ id: string; expect: string; kind: string; got: Outcome }>;
  lost: number;
  lostRight: number;
  exact: number;
  relocated: number;
  ms: number;
}

export function newTally(): Tally {
  return {
    clips: 0,
    anchorable: 0,
    found: 0,
    absent: 0,
    falseAnchors: [],
    lost: 0,
    lostRight: 0,
    exact: 0,
    relocated: 0,
    ms: 0,
  };
}

export function record(t: Tally, clip: CorpusClip, o: Outcome): void {
  t.clips++;
  if (clip.expect === 'anchor') t.anchorable++;
  if (clip.expect === 'absent') t.absent++;
  if (o.status === 'lost') {
    t.lost++;
    if (clip.expect !== 'anchor') t.lostRight++;
    return;
  }
  if (o.status === 'exact') t.exact++;
  else t.relocated++;
  if (isCorrect(clip, o)) {
    if (clip.expect === 'anchor') t.found++;
  } else t.falseAnchors.push({ id: clip.id, expect: clip.expect, kind: clip.kind, got: o });
}

export function summary(label: string, t: Tally): string {
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  return (
    `[anchoring corpus:${label}] clips=${t.clips} anchorable=${t.anchorable} absent=${t.absent} ` +
    `recall=${pct(t.found, t.anchorable)} false-anchors=${t.falseAnchors.length} (${pct(t.falseAnchors.length, t.clips)}) ` +
    `lost-precision=${pct(t.lostRight, t.lost)} exact=${t.exact} relocated=${t.relocated} lost=${t.lost} ` +
    `time=${t.ms.toFixed(0)}ms (${(t.ms / Math.max(1, t.clips)).toFixed(3)} ms/clip)`
  );
}
