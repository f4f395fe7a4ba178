// What changed between a clipped quote and the text found now, word by word, for a "moved or
// changed" clip's card and for "Is it this passage?" suggestions. Changes that alter what evidence
// says — a number, a date, a negation — are flagged so a reviewer cannot miss them. Pure: no DOM.

/** One run of the diff: words kept, removed from the quote, or added in the text found now. */
export interface DiffPart {
  op: 'same' | 'removed' | 'added';
  /** The words of the run, joined by single spaces. */
  text: string;
}

export type ChangeFlag = 'number' | 'date' | 'negation';

/** One change (removed and/or added words at one place) that alters what the passage says. */
export interface FlaggedChange {
  flag: ChangeFlag;
  removed: string;
  added: string;
}

export interface QuoteDiff {
  parts: DiffPart[];
  /** False when the two texts have the same words (whitespace aside). */
  changed: boolean;
  flags: FlaggedChange[];
}

const MONTH =
  /^(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)$/i;
const DATE_SHAPE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$|^(19|20)\d\d$|^\d{1,2}(st|nd|rd|th)$/i;
const NUMBER = /\d/;
/** Numbers written as words ("two working days"); "one" is left out, it is as often a pronoun. */
const NUMBER_WORD =
  /^(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|twice|half|dozen)$/i;
const isNumberWord = (w: string) => NUMBER.test(w) || NUMBER_WORD.test(bare(w));
const NEGATION =
  /^(not|no|never|none|nor|neither|nobody|nothing|without|unless|cannot|can't|won't|don't|doesn't|didn't|isn't|aren't|wasn't|weren't|mustn't|shouldn't|needn't|shan't|hasn't|haven't|hadn't)$/i;

/** A word with its edge punctuation dropped, typographic apostrophes made plain. */
const bare = (w: string) => w.replace(/’/g, "'").replace(/^[^\p{L}\p{N}']+|[^\p{L}\p{N}']+$/gu, '');

const isDateWord = (w: string) => {
  const b = bare(w);
  // "May" is a month only with a capital (the modal verb is far more common in policies).
  if (/^may$/i.test(b)) return b === 'May';
  return MONTH.test(b) || DATE_SHAPE.test(b);
};
const isNegation = (w: string) => {
  const b = bare(w).toLowerCase();
  return NEGATION.test(b) || b.endsWith("n't");
};

/** Words of `s` (any whitespace separates). */
function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w.length > 0);
}

/** Word LCS as an edit script: for each word of a and b, whether it is kept. */
function lcsKeep(a: string[], b: string[]): { keepA: boolean[]; keepB: boolean[] } {
  const n = a.length;
  const m = b.length;
  const dp = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const k = i * (m + 1) + j;
      dp[k] = a[i] === b[j] ? (dp[k + m + 2] ?? 0) + 1 : Math.max(dp[k + m + 1] ?? 0, dp[k + 1] ?? 0);
    }
  }
  const keepA = new Array<boolean>(n).fill(false);
  const keepB = new Array<boolean>(m).fill(false);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const k = i * (m + 1) + j;
    if (a[i] === b[j]) {
      keepA[i] = true;
      keepB[j] = true;
      i++;
      j++;
    } else if ((dp[k + m + 1] ?? 0) >= (dp[k + 1] ?? 0)) i++;
    else j++;
  }
  return { keepA, keepB };
}

/** Why a change between `removed` and `added` words alters the passage's meaning, if it does. */
function flagOf(removed: string[], added: string[]): ChangeFlag | undefined {
  const negA = removed.filter(isNegation).length;
  const negB = added.filter(isNegation).length;
  if (negA !== negB) return 'negation';
  if (removed.some(isDateWord) || added.some(isDateWord)) return 'date';
  if (removed.some(isNumberWord) || added.some(isNumberWord)) return 'number';
  return undefined;
}

/**
 * Word-level diff of the clipped quote against the text found now (case and punctuation count
 * as changes), with number, date and negation changes flagged: "12 months" → "24 months"
 * (number), "must" → "must not" (negation), "March 2024" → "April 2025" (date).
 */
export function diffQuote(before: string, after: string): QuoteDiff {
  const a = words(before);
  const b = words(after);
  // Quotes are capped at 20 000 characters; beyond a few thousand words, diff as one change.
  const { keepA, keepB } =
    a.length * b.length <= 4_000_000
      ? lcsKeep(a, b)
      : { keepA: a.map(() => false), keepB: b.map(() => false) };
  const parts: DiffPart[] = [];
  const flags: FlaggedChange[] = [];
  const push = (op: DiffPart['op'], w: string[]) => {
    if (w.length === 0) return;
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += ` ${w.join(' ')}`;
    else parts.push({ op, text: w.join(' ') });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const removed: string[] = [];
    const added: string[] = [];
    while (i < a.length && !keepA[i]) removed.push(a[i++] ?? '');
    while (j < b.length && !keepB[j]) added.push(b[j++] ?? '');
    push('removed', removed);
    push('added', added);
    if (removed.length + added.length > 0) {
      const flag = flagOf(removed, added);
      if (flag) flags.push({ flag, removed: removed.join(' '), added: added.join(' ') });
    }
    const same: string[] = [];
    while (i < a.length && j < b.length && keepA[i] && keepB[j]) {
      same.push(a[i++] ?? '');
      j++;
    }
    push('same', same);
  }
  return { parts, changed: parts.some((p) => p.op !== 'same'), flags };
}
