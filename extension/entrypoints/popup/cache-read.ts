// The popup's first paint: the cached coverage read from localStorage and checked with a plain
// type guard, so the first chunk carries neither Dexie nor zod. The guard mirrors
// `cacheSchema` in coverage-cache.ts (the schema stays the source of truth: a property test in
// tests/extension/dashboard/popup-cache.test.ts holds the two to the same verdicts).
import type { Coverage, CriterionStatus } from '../../../shared/coverage';

/** localStorage key of the cache (the extension's own origin: only its pages read it). */
export const CACHE_KEY = 'qsi:popup-coverage-cache';

export interface PopupData {
  name: string;
  notice: string | undefined;
  coverage: Coverage<CriterionStatus>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const RAGS = new Set(['red', 'amber', 'green', 'n/a']);
const RATINGS = new Set(['red', 'amber', 'green', 'n/a', 'unrated']);
const TALLY = ['applicable', 'red', 'amber', 'green', 'na', 'covered', 'evidence', 'stale'];
const CRITERION_NUMS = ['evidence', 'fresh', 'stale'];

const isTally = (v: unknown) => isObj(v) && TALLY.every((k) => isNum(v[k]));
const isRag = (v: unknown) => isStr(v) && RAGS.has(v);
const isCriterion = (c: unknown) =>
  isObj(c) &&
  isStr(c.id) &&
  isStr(c.code) &&
  isStr(c.title) &&
  CRITERION_NUMS.every((k) => isNum(c[k])) &&
  isStr(c.rating) &&
  RATINGS.has(c.rating) &&
  isRag(c.rag) &&
  Array.isArray(c.clipIds) &&
  c.clipIds.every(isStr);
const isNode = (n: unknown): n is Obj =>
  isObj(n) && isStr(n.id) && isStr(n.title) && isRag(n.rag) && isTally(n.tally);
const isStandard = (s: unknown) => isNode(s) && Array.isArray(s.criteria) && s.criteria.every(isCriterion);
const isDomain = (d: unknown) => isNode(d) && Array.isArray(d.standards) && d.standards.every(isStandard);

/** The cached popup data when `value` has the cache's shape, else `undefined`. */
export function asPopupData(value: unknown): PopupData | undefined {
  if (!isObj(value) || value.version !== 1 || !isStr(value.name)) return undefined;
  if (value.notice !== undefined && !isStr(value.notice)) return undefined;
  const c = value.coverage;
  if (!isObj(c) || !isStr(c.frameworkId) || !isRag(c.rag) || !isTally(c.tally)) return undefined;
  if (!Array.isArray(c.domains) || !c.domains.every(isDomain)) return undefined;
  return { name: value.name, notice: value.notice, coverage: c as unknown as Coverage<CriterionStatus> };
}

/**
 * The cached popup data, read synchronously from the extension's localStorage for the first
 * paint: no database to open, so the popup renders while its module is still being evaluated.
 * Anything unreadable (no cache, no localStorage, malformed JSON, wrong shape) is `undefined`.
 */
export function readCoverageCache(store: Pick<Storage, 'getItem'> = localStorage): PopupData | undefined {
  try {
    const raw = store.getItem(CACHE_KEY);
    return raw === null ? undefined : asPopupData(JSON.parse(raw));
  } catch {
    return undefined;
  }
}
