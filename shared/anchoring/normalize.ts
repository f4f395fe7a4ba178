// The one text normalisation both sides agree on (docs/anchoring.md): NFC, whitespace runs (NBSP included)
// collapsed to one separator, "\n" only for block boundaries. Offsets in selectors always index
// this normalised text; the accumulator keeps the way back to the raw chunks (DOM text nodes).

/** True for the characters JavaScript's `\s` matches (NBSP, BOM and Unicode spaces included). */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Normalises free text: NFC, every whitespace run → one space, trimmed. This is the text a
 * DOM text model produces for the same content, up to "\n" block separators (which
 * {@link canonicalize} treats as spaces).
 */
export function normalizeText(raw: string): string {
  return raw.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Collapses a selector string (quote, prefix, suffix) without trimming it. */
export function collapseText(raw: string): string {
  return raw.normalize('NFC').replace(/\s+/g, ' ');
}

/**
 * Same-length view used for matching: every whitespace character becomes a plain space, so a
 * paragraph break and a space compare equal and offsets stay valid.
 */
export function canonicalize(text: string): string {
  return /[^\S ]/.test(text) ? text.replace(/[^\S ]/g, ' ') : text;
}

/** Normalised text plus, per output character, where it came from in the raw chunks. */
export interface NormalizedText {
  text: string;
  /** Source chunk of character i (-1: a separator made from a boundary, not from raw text). */
  chunk: Int32Array;
  /** Raw start offset of character i inside its chunk. */
  rawStart: Int32Array;
  /** Raw end offset (exclusive) of character i inside its chunk. */
  rawEnd: Int32Array;
}

/** Streaming normaliser over raw chunks (e.g. the text nodes of a content root, in order). */
export interface TextAccumulator {
  /** Appends the raw text of chunk `chunk` (an index the caller chooses, ≥ 0). */
  append(raw: string, chunk: number): void;
  /** A block boundary or line break: the next visible character is preceded by "\n". */
  boundary(): void;
  /**
   * A word gap that no raw character stands for (e.g. between two PDF text items that are apart
   * on the line): the next visible character is preceded by at least a space.
   */
  space(): void;
  finish(): NormalizedText;
}

const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu;

export interface AccumulatorOptions {
  /**
   * Unicode normalisation form (default NFC, as web pages). PDF text uses NFKC so ligatures
   * ("ﬁ" → "fi"), full-width and other compatibility characters read as the letters they show.
   */
  form?: 'NFC' | 'NFKC';
  /** Expected output length (e.g. the raw text's length): sized once instead of grown by doubling. */
  capacity?: number;
  /**
   * Turns the output's UTF-16 code units into a string. The default is pure ECMAScript
   * (`String.fromCharCode` over slices); a browser passes `TextDecoder('utf-16le')`, far faster.
   */
  decode?: (codes: Uint16Array) => string;
}

/** Creates a {@link TextAccumulator}; `normalizeText(x)` equals its text for one chunk `x`. */
export function createTextAccumulator(options: AccumulatorOptions = {}): TextAccumulator {
  const form = options.form ?? 'NFC';
  // Below U+0300 nothing composes under NFC; NFKC also folds Latin-1 compatibility characters.
  const firstChanging = form === 'NFC' ? 0x300 : 0xa0;
  // Four typed arrays grown by doubling — the output's UTF-16 code units and, per output
  // character, its chunk and raw range: a megabyte page costs 14 MB and no per-char objects, and
  // the hot loop below writes plain arrays held in locals (several times faster than a string
  // piece per word and a call per character).
  let cap = Math.max(4096, Math.ceil((options.capacity ?? 0) * 1.05) + 16);
  let len = 0;
  let codes = new Uint16Array(cap);
  let chunk = new Int32Array(cap);
  let rawStart = new Int32Array(cap);
  let rawEnd = new Int32Array(cap);
  function reserve(extra: number): void {
    if (len + extra <= cap) return;
    while (len + extra > cap) cap *= 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a.subarray(0, len));
      return b;
    };
    const c2 = new Uint16Array(cap);
    c2.set(codes.subarray(0, len));
    codes = c2;
    chunk = grow(chunk);
    rawStart = grow(rawStart);
    rawEnd = grow(rawEnd);
  }
  function put(code: number, c: number, start: number, end: number): void {
    codes[len] = code;
    chunk[len] = c;
    rawStart[len] = start;
    rawEnd[len] = end;
    len++;
  }
  let pendingSpace = false;
  let pendingBreak = false;
  let wsChunk = -1;
  let wsStart = 0;
  let wsEnd = 0;

  function noteSpace(c: number, start: number, end: number): void {
    if (!pendingSpace) {
      pendingSpace = true;
      wsChunk = c;
      wsStart = start;
      wsEnd = end;
    } else if (c === wsChunk) {
      wsEnd = end;
    }
  }

  function flushSeparator(): void {
    if ((pendingSpace || pendingBreak) && len > 0) {
      reserve(1);
      put(
        pendingBreak ? 10 : 32,
        pendingSpace ? wsChunk : -1,
        pendingSpace ? wsStart : 0,
        pendingSpace ? wsEnd : 0,
      );
    }
    pendingSpace = false;
    pendingBreak = false;
  }

  /** Maps a run that NFC changed: each base character with its combining marks maps as a unit. */
  function mapComposed(run: string, norm: string, at: number, c: number): void {
    const segs = run.match(CLUSTER) ?? [run];
    reserve(norm.length);
    if (segs.map((g) => g.normalize(form)).join('') === norm) {
      let off = at;
      let o = 0;
      for (const g of segs) {
        const n = g.normalize(form).length;
        for (let k = 0; k < n; k++) put(norm.charCodeAt(o++), c, off, off + g.length);
        off += g.length;
      }
      return;
    }
    // Composition across clusters (e.g. Hangul jamo): map proportionally.
    for (let k = 0; k < norm.length; k++) {
      put(
        norm.charCodeAt(k),
        c,
        at + Math.floor((k * run.length) / norm.length),
        at + Math.floor(((k + 1) * run.length) / norm.length),
      );
    }
  }

  return {
    append(raw, c) {
      // One pass over the characters (no regex): runs of non-space characters are copied out
      // code unit by code unit, with NFC applied only to runs holding a character that can compose.
      const n = raw.length;
      let i = 0;
      while (i < n) {
        let code = raw.charCodeAt(i);
        if (isSpace(code)) {
          const s0 = i;
          while (i < n && isSpace(raw.charCodeAt(i))) i++;
          noteSpace(c, s0, i);
          continue;
        }
        const s0 = i;
        let composable = false;
        while (i < n) {
          code = raw.charCodeAt(i);
          if (isSpace(code)) break;
          if (code >= firstChanging) composable = true;
          i++;
        }
        flushSeparator();
        const norm = composable ? raw.slice(s0, i).normalize(form) : undefined;
        // NFC cannot compose across whitespace, so normalising run by run equals normalising all.
        if (norm === undefined || norm === raw.slice(s0, i)) {
          reserve(i - s0);
          const cs = codes;
          const ch = chunk;
          const rs = rawStart;
          const re = rawEnd;
          let l = len;
          for (let k = s0; k < i; k++) {
            cs[l] = raw.charCodeAt(k);
            ch[l] = c;
            rs[l] = k;
            re[l] = k + 1;
            l++;
          }
          len = l;
        } else mapComposed(raw.slice(s0, i), norm, s0, c);
      }
    },
    boundary() {
      pendingBreak = true;
    },
    space() {
      if (!pendingSpace) {
        pendingSpace = true;
        wsChunk = -1;
        wsStart = 0;
        wsEnd = 0;
      }
    },
    finish() {
      return {
        text: (options.decode ?? decodeCodes)(codes.subarray(0, len)),
        chunk: chunk.subarray(0, len),
        rawStart: rawStart.subarray(0, len),
        rawEnd: rawEnd.subarray(0, len),
      };
    },
  };
}

/** UTF-16 code units → string, with `String.fromCharCode` over slices (no per-character concatenation). */
function decodeCodes(codes: Uint16Array): string {
  const parts: string[] = [];
  for (let o = 0; o < codes.length; o += 8192) {
    const slice = codes.subarray(o, Math.min(codes.length, o + 8192));
    parts.push(String.fromCharCode.apply(null, slice as unknown as number[]));
  }
  return parts.join('');
}

/** Normalises `raw` and keeps, for each normalised offset, the raw offset it came from. */
export function normalizeWithMap(raw: string): { text: string; toRaw(offset: number): number } {
  const acc = createTextAccumulator();
  acc.append(raw, 0);
  const n = acc.finish();
  return {
    text: n.text,
    toRaw(offset) {
      if (offset <= 0) return n.rawStart[0] ?? 0;
      if (offset >= n.text.length) return n.rawEnd[n.text.length - 1] ?? raw.length;
      return n.rawStart[offset] ?? raw.length;
    },
  };
}
