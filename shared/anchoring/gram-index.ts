// Seed finder for the whole-text fuzzy stage: a hash index of every 8-gram of the page, built
// lazily once per text, so a moved-and-edited quote costs a few lookups instead of a full
// Myers scan of a megabyte. It only proposes regions; the matcher verifies every one.

export const GRAM = 8;

export interface GramIndex {
  /** Text offsets where `text.slice(at, at + GRAM)` equals `gram`, or null when it is too common. */
  find(gram: string, limit: number): number[] | null;
}

const B = 0x01000193;
/** B^GRAM mod 2^32, to drop the outgoing character from a rolling hash. */
const B_POW = (() => {
  let x = 1;
  for (let j = 0; j < GRAM; j++) x = Math.imul(x, B);
  return x;
})();

function hashAt(s: string, i: number): number {
  let h = 0;
  for (let j = 0; j < GRAM; j++) h = (Math.imul(h, B) + s.charCodeAt(i + j)) | 0;
  return h;
}

/** Builds the 8-gram index of `text` (O(n) time, 4 bytes per character plus the table). */
export function buildGramIndex(text: string): GramIndex {
  const n = Math.max(0, text.length - GRAM + 1);
  let size = 1024;
  while (size < n && size < 1 << 22) size <<= 1;
  const mask = size - 1;
  const head = new Int32Array(size).fill(-1);
  const next = new Int32Array(n);
  // Rolling polynomial hash; positions inserted in increasing order, chains hold newest first.
  let h = n > 0 ? hashAt(text, 0) : 0;
  for (let i = 0; i < n; i++) {
    if (i > 0)
      h = (Math.imul(h, B) + text.charCodeAt(i + GRAM - 1) - Math.imul(text.charCodeAt(i - 1), B_POW)) | 0;
    const b = h & mask;
    next[i] = head[b] as number;
    head[b] = i;
  }
  return {
    find(gram, limit) {
      if (gram.length !== GRAM) return null;
      const out: number[] = [];
      let steps = 0;
      for (let i = head[hashAt(gram, 0) & mask] ?? -1; i >= 0; i = next[i] ?? -1) {
        if (++steps > limit * 8) return null;
        if (text.startsWith(gram, i)) {
          out.push(i);
          if (out.length > limit) return null;
        }
      }
      return out;
    },
  };
}
