// The anchoring core (docs/anchoring.md): pure functions over normalised text, shared by the
// extension's DOM adapter, importers and tests. No DOM, no Node.
export { type DescribeOptions, describeText } from './describe';
export { type ChangeFlag, type DiffPart, diffQuote, type FlaggedChange, type QuoteDiff } from './diff';
export { buildGramIndex, type GramIndex } from './gram-index';
export {
  type AnchorStage,
  type LocateOptions,
  type LocateResult,
  type LocateStatus,
  locateText,
  type PreparedText,
  prepareText,
  type Suggestion,
  THRESHOLDS,
} from './locate';
export {
  canonicalize,
  collapseText,
  createTextAccumulator,
  isSpace,
  type NormalizedText,
  normalizeText,
  normalizeWithMap,
  type TextAccumulator,
} from './normalize';
