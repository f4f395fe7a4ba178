// The popup's first paint: the cached coverage row read with the raw IndexedDB API and checked
// with a plain type guard, so the first chunk carries neither Dexie nor zod. The guard mirrors
// `cacheSchema` in coverage-cache.ts (the schema stays the source of truth: a property test in
// tests/extension/dashboard/popup-cache.test.ts holds the two to the same verdicts).
import type { Coverage } from '../../../shared/coverage';
import { DB_NAME } from '../../lib/db-name';

export const CACHE_KEY = 'popupCoverageCache';

export interface PopupData {
  name: string;
  notice: string | undefined;
  coverage: Coverage;
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
  return { name: value.name, notice: value.notice, coverage: c as unknown as Coverage };
}

/**
 * The cached popup data read with the raw IndexedDB API (no Dexie), for the first paint.
 * Never creates the database: on a fresh install the open is aborted and `undefined` returned.
 */
export function readCoverageCacheRaw(dbName = DB_NAME): Promise<PopupData | undefined> {
  return new Promise((resolve) => {
    const done = (idb: IDBDatabase | undefined, value: PopupData | undefined) => {
      idb?.close();
      resolve(value);
    };
    let req: IDBOpenDBRequest;
    try {
      req = indexedDB.open(dbName);
    } catch {
      resolve(undefined);
      return;
    }
    req.onupgradeneeded = () => req.transaction?.abort(); // no database yet: leave it to Dexie
    req.onerror = () => resolve(undefined);
    req.onblocked = () => resolve(undefined);
    req.onsuccess = () => {
      const idb = req.result;
      try {
        if (!idb.objectStoreNames.contains('meta')) return done(idb, undefined);
        const get = idb.transaction('meta', 'readonly').objectStore('meta').get(CACHE_KEY);
        get.onsuccess = () => done(idb, asPopupData((get.result as { value?: unknown } | undefined)?.value));
        get.onerror = () => done(idb, undefined);
      } catch {
        done(idb, undefined);
      }
    };
  });
}
