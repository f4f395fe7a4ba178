// Seed finder for the whole-text fuzzy stage: a hash index of every 8-gram of the page, built
// lazily once per text, so a moved-and-edited quote costs a few lookups instead of a full
// Myers scan of a megabyte. It only proposes regions; the matcher verifies every one.

export const GRAM = 8;

export interface GramIndex {
  /** Text offsets where `text.slice(at, at + GRAM)` equals `gram`, or null when it is too common. */
  find(gram: string, limit: number): number[] | null;
}

function hashAt(s: string, i: number): number {
  let h = 0;
  for (let j = 0; j < GRAM; j++) h = (Math.imul(h, 0x01000193) ^ s.charCodeAt(i + j)) | 0;
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
  for (let i = n - 1; i >= 0; i--) {
    const b = hashAt(text, i) & mask;
    next[i] = head[b] ?? -1;
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
