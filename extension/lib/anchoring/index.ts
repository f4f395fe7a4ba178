// The extension's anchoring adapter (docs/anchoring.md), as the content script uses it:
//   const model = buildTextModel(document.body);              // rebuild after text changes
//   const selectors = describeRange(model, selection.getRangeAt(0));   // at clip time
//   const range = createRangeVerifier(root).verify(clip.selectors);   // fast path: exact or null
//   const { status, range } = anchorSelectors(model, clip.selectors);  // exact|relocated|lost
//   painter.paint(clip.id, range, status === 'relocated' ? 'relocated' : 'own');
//   watchPageChanges({ root, signal, onMutation: reanchor, onNavigate: reload });
export {
  type AnchorResult,
  anchorSelectors,
  describeRange,
  importSelectors,
  resolveSimpleXPath,
} from './dom-anchoring';
export { isRelevantMutation, type PageWatchOptions, watchPageChanges } from './page-watch';
export {
  createHighlightPainter,
  HIGHLIGHT_CSS,
  HIGHLIGHT_NAMES,
  type HighlightPainter,
  type PaintKind,
} from './painter';
export {
  createRangeVerifier,
  locatorOf,
  MADE_BY,
  type RangeVerifier,
} from './range-check';
export {
  buildTextModel,
  buildTextModelSliced,
  type TextModel,
  type TextModelOptions,
  UI_ATTRIBUTE,
} from './text-model';
