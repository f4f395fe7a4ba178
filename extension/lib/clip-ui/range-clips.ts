// What the surfaces that point at passages with DOM Ranges (web pages, the Word viewer) do alike:
// place a clip over the text model, paint a clip just saved, scroll to a range.
import type { Clip } from '../../../shared/schemas';
import { anchorSelectors, type HighlightPainter, type PaintKind, type TextModel } from '../anchoring';
import type { PageClip } from '../messaging';
import type { PlacedClip } from './clip-surface';
import { changedText } from './found-text';

/** Where a pass keeps the ranges it found: painted clips, and lost clips' suggestions. */
export interface RangeFinds {
  ranges: Map<string, Range>;
  suggestions: Map<string, Range[]>;
}

/** Anchors one clip, recording its range or suggestions in `into`; `paint` is what to paint. */
export function placeRangeClip(
  model: TextModel,
  pc: PageClip,
  into: RangeFinds,
): { placed: PlacedClip; paint?: [Range, PaintKind] } {
  const r = anchorSelectors(model, pc.clip.selectors);
  let paint: [Range, PaintKind] | undefined;
  if (r.range && r.status !== 'lost') {
    into.ranges.set(pc.clip.id, r.range);
    paint = [r.range, r.status === 'relocated' ? 'relocated' : pc.own ? 'own' : 'team'];
  }
  const withPaint = (placed: PlacedClip) => (paint ? { placed, paint } : { placed });
  if (r.suggestions) {
    into.suggestions.set(
      pc.clip.id,
      r.suggestions.map((x) => x.range),
    );
    return withPaint({ ...pc, status: r.status, suggestions: r.suggestions.map((x) => x.text) });
  }
  const found = changedText(model.text, pc.clip.quote, r);
  return withPaint(found === undefined ? { ...pc, status: r.status } : { ...pc, status: r.status, found });
}

/** Records a clip the fast path found at its stored place, unchanged (`exact`). */
export function placeVerifiedClip(
  pc: PageClip,
  range: Range,
  into: RangeFinds,
): { placed: PlacedClip; paint: [Range, PaintKind] } {
  into.ranges.set(pc.clip.id, range);
  return { placed: { ...pc, status: 'exact' }, paint: [range, pc.own ? 'own' : 'team'] };
}

/** Paints a clip just saved at once (anchoring it when it came from a resumed draft). */
export function paintSavedClip(
  painter: HighlightPainter,
  ranges: Map<string, Range>,
  model: () => TextModel,
  clip: Clip,
  range: Range | null,
): void {
  const anchored = range ?? anchorSelectors(model(), clip.selectors).range ?? null;
  if (anchored) {
    ranges.set(clip.id, anchored);
    painter.paint(clip.id, anchored, 'own');
  }
}

/** Scrolls the element a range starts in to the middle of the view. */
export function scrollRangeIntoView(range: Range): void {
  const el =
    range.startContainer instanceof Element ? range.startContainer : range.startContainer.parentElement;
  el?.scrollIntoView({ block: 'center' });
}
