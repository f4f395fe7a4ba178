// Reads a page's document-control block (document id, version, owner, approval and next review
// dates) from its text, in the forms UK NHS intranets use. Pure and forgiving: what it cannot read
// confidently it leaves out, and the user can edit everything in the tag dialog.
import type { DocMeta } from './schemas';

type Field = keyof DocMeta;

// Labels, most specific first; matched case-insensitively at the start of a table cell or line,
// or after a run of two spaces, `|`, `;` or `•` (inline "Document ID: X | Version: 2" headers).
// `rank` lets "Document owner" beat "Author" and "Lead" when a block has several.
const LABELS: { field: Field; rank: number; re: string }[] = [
  {
    field: 'documentId',
    rank: 0,
    re: 'document\\s+(?:id|identifier|ref(?:erence)?(?:\\s+(?:no\\.?|number))?|no\\.?|number|code)',
  },
  { field: 'documentId', rank: 0, re: 'doc(?:ument)?\\.?\\s+(?:id|ref(?:erence)?|no\\.?)' },
  {
    field: 'documentId',
    rank: 1,
    re: '(?:policy|procedure|protocol|sop)\\s+(?:id|ref(?:erence)?|no\\.?|number)',
  },
  { field: 'documentId', rank: 2, re: 'reference(?:\\s+(?:no\\.?|number))?|ref(?:\\.|\\s+no\\.?)?' },
  // Issue/effective dates stand in for approval only when no approval date is given (listed
  // before "issue" = version, so that the longer label wins in the alternation).
  {
    field: 'approvedOn',
    rank: 1,
    re: 'issue\\s+date|date\\s+of\\s+issue|date\\s+issued|effective\\s+(?:from|date)|date\\s+effective',
  },
  { field: 'version', rank: 0, re: 'version(?:\\s+(?:no\\.?|number))?|ver\\.?' },
  { field: 'version', rank: 1, re: 'issue(?:\\s+(?:no\\.?|number))?' },
  { field: 'owner', rank: 0, re: '(?:document|policy|procedure|protocol)\\s+owner|owner' },
  { field: 'owner', rank: 1, re: 'author(?:\\(s\\)|s)?|written\\s+by|prepared\\s+by' },
  {
    field: 'owner',
    rank: 2,
    re: '(?:clinical\\s+|document\\s+|responsible\\s+)?lead|responsible\\s+(?:officer|person|manager)',
  },
  {
    field: 'approvedOn',
    rank: 0,
    re: 'approval\\s+date|date\\s+(?:of\\s+)?approv(?:al|ed)|approved(?:\\s+(?:on|by|date))?|date\\s+ratified|ratification\\s+date|ratified(?:\\s+(?:on|by))?',
  },
  {
    field: 'reviewDue',
    rank: 0,
    re: 'date\\s+of\\s+next\\s+review|next\\s+review(?:\\s+(?:date|due))?|review\\s+due(?:\\s+date)?|review\\s+date|due\\s+for\\s+review(?:\\s+(?:on|by))?|review\\s+by|expiry\\s+date',
  },
];

const LABEL_RE = new RegExp(
  `(^|\\s{2,}|[|;•]\\s*)(${LABELS.map((l) => `(${l.re})`).join('|')})(?![\\p{L}])\\s*(?:[:=–—-]\\s*)?`,
  'giu',
);
const WHOLE_LABEL_RE = new RegExp(`^(?:${LABELS.map((l) => l.re).join('|')})\\s*:?$`, 'iu');

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

const pad = (n: number): string => String(n).padStart(2, '0');
const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const fullYear = (y: string): number =>
  y.length === 2 ? (Number(y) < 70 ? 2000 : 1900) + Number(y) : Number(y);
const monthOf = (name: string): number => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

function ymd(y: number, m: number, d: number): string | undefined {
  if (!(y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m))) return undefined;
  return `${y}-${pad(m)}-${pad(d)}`;
}

const DATE_FORMS: {
  re: RegExp;
  read: (m: RegExpExecArray, monthOnly: 'first' | 'last') => string | undefined;
}[] = [
  // 2025-03-12, 2025/03/12
  {
    re: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/,
    read: (m) => ymd(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  // 12/03/2025, 12-03-2025, 12.03.2025, 12/03/25 — day first (UK)
  {
    re: /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/,
    read: (m) => ymd(fullYear(m[3] ?? ''), Number(m[2]), Number(m[1])),
  },
  // 12 March 2025, 12th Mar 2025, 1st of May, 2025
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}[\\s,]+(\\d{4})\\b`, 'i'),
    read: (m) => ymd(Number(m[3]), monthOf(m[2] ?? ''), Number(m[1])),
  },
  // March 12, 2025 / March 12th 2025
  {
    re: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i'),
    read: (m) => ymd(Number(m[3]), monthOf(m[1] ?? ''), Number(m[2])),
  },
  // March 2025, Mar-2025, 03/2025 → first or last day of the month
  {
    re: new RegExp(`\\b${MONTH}[\\s,-]+(\\d{4})\\b`, 'i'),
    read: (m, which) => monthDate(Number(m[2]), monthOf(m[1] ?? ''), which),
  },
  { re: /\b(\d{1,2})[/.-](\d{4})\b/, read: (m, which) => monthDate(Number(m[2]), Number(m[1]), which) },
];

function monthDate(y: number, m: number, which: 'first' | 'last'): string | undefined {
  if (!(m >= 1 && m <= 12)) return undefined;
  return ymd(y, m, which === 'first' ? 1 : daysIn(y, m));
}

/**
 * Reads the first date in `text`, UK day-first: `12/03/2025`, `12-03-2025`, `12.03.2025`,
 * `12/03/25`, `12 March 2025`, `12th Mar 2025`, `March 12, 2025`, `2025-03-12`, and month-only
 * `March 2025` / `03/2025`, which give the first or the last day of the month (`monthOnly`).
 * Returns `YYYY-MM-DD`, or `undefined` when there is no valid date.
 */
export function parseUkDate(text: string, monthOnly: 'first' | 'last' = 'first'): string | undefined {
  // Earliest full date wins (on a tie the earlier-listed form); month-only forms only when there
  // is no full date at all, so that an impossible "31/02/2025" is not read as "02/2025".
  for (const forms of [DATE_FORMS.slice(0, 4), DATE_FORMS.slice(4)]) {
    let best: { index: number; value: string | undefined } | undefined;
    for (const form of forms) {
      const m = form.re.exec(text);
      if (m && (!best || m.index < best.index)) best = { index: m.index, value: form.read(m, monthOnly) };
    }
    if (best) return best.value;
  }
  return undefined;
}

const clean = (s: string): string =>
  s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[:=–—\-\s]+/, '')
    .replace(/[\s,;.|]+$/, '');

/** Turns a raw value into the field's form, or `undefined` when it does not look like one. */
function readValue(field: Field, raw: string, hadSeparator: boolean): string | undefined {
  const v = clean(raw);
  if (!v || WHOLE_LABEL_RE.test(v)) return undefined;
  switch (field) {
    case 'documentId': {
      const token = /^[A-Za-z0-9][A-Za-z0-9._/-]*(?:\s\d[A-Za-z0-9._/-]*)?/
        .exec(v)?.[0]
        ?.replace(/[.]+$/, '');
      return token && /\d/.test(token) && token.length <= 60 ? token : undefined;
    }
    case 'version': {
      const m = /^(?:v(?:ersion)?\.?\s*)?(\d+(?:\.\d+)*[a-z]?)\b/i.exec(v);
      return m?.[1];
    }
    case 'owner': {
      // No shape to check, so only with an explicit separator (":", a table cell, the next line).
      if (!hadSeparator || parseUkDate(v) || !/^\p{L}/u.test(v)) return undefined;
      return v.slice(0, 200);
    }
    case 'approvedOn':
      return parseUkDate(v, 'first');
    case 'reviewDue':
      // "Review due: March 2027" means by the end of March: the last day, so nothing is
      // reported stale while the month is still running.
      return parseUkDate(v, 'last');
  }
}

interface Hit {
  field: Field;
  rank: number;
  /** Where the value starts in the line, and where it must end (the next label). */
  valueStart: number;
  valueEnd: number;
  separated: boolean;
}

const WHOLE_LABELS = LABELS.map((l) => ({ ...l, whole: new RegExp(`^(?:${l.re})$`, 'iu') }));

function labelFor(matched: string): { field: Field; rank: number } | undefined {
  const label = matched.trim().replace(/\s*[:=–—-]\s*$/, '');
  const hit = WHOLE_LABELS.find((l) => l.whole.test(label));
  return hit && { field: hit.field, rank: hit.rank };
}

function hitsIn(cell: string): Hit[] {
  const hits: Hit[] = [];
  LABEL_RE.lastIndex = 0;
  for (let m = LABEL_RE.exec(cell); m; m = LABEL_RE.exec(cell)) {
    const label = labelFor(m[2] ?? '');
    if (!label) continue;
    const start = m.index + (m[1]?.length ?? 0);
    const after = m.index + m[0].length;
    const prev = hits[hits.length - 1];
    if (prev) prev.valueEnd = start;
    hits.push({ ...label, valueStart: after, valueEnd: cell.length, separated: /[:=–—-]\s*$/.test(m[0]) });
    if (m[0].length === 0) LABEL_RE.lastIndex += 1;
  }
  return hits;
}

/**
 * Document-control fields found in a page's text (`innerText`: table cells separated by tabs,
 * rows by line breaks). Handles label/value rows (`Version<TAB>3.2`, `Version: 3.2`), a label
 * alone on its line with the value on the next, header rows with a value row beneath
 * (`Document ID<TAB>Version<TAB>…` then `IMG-POL-004<TAB>3.2<TAB>…`) and inline headers
 * (`Ref: X | Version 2 | Review date: 1 May 2027`). Dates become `YYYY-MM-DD` (UK day-first,
 * see {@link parseUkDate}); a month-only review date means the last day of that month.
 * For each field the best-ranked label wins, then the first on the page.
 */
export function parseDocMeta(text: string): DocMeta {
  const found = new Map<Field, { rank: number; value: string }>();
  const offer = (field: Field, rank: number, value: string | undefined) => {
    if (value === undefined) return;
    const prior = found.get(field);
    if (!prior || rank < prior.rank) found.set(field, { rank, value });
  };
  const lines = text.slice(0, 200_000).split(/\r\n|\r|\n/);
  const cellsOf = (line: string): string[] => line.split('\t').map((c) => c.trim());
  const nextLine = (i: number): number => {
    let j = i + 1;
    while (j < lines.length && (lines[j] ?? '').trim() === '') j++;
    return j;
  };

  for (let i = 0; i < lines.length; i++) {
    const cells = cellsOf(lines[i] ?? '');
    const nonEmpty = cells.filter((c) => c !== '');
    if (nonEmpty.length === 0) continue;

    // Header row of labels with a row of values beneath.
    if (nonEmpty.length >= 2 && nonEmpty.every((c) => WHOLE_LABEL_RE.test(c))) {
      const j = nextLine(i);
      const values = cellsOf(lines[j] ?? '');
      if (values.length === cells.length && !values.some((c) => c && WHOLE_LABEL_RE.test(c))) {
        cells.forEach((c, k) => {
          const label = c ? labelFor(c) : undefined;
          if (label) offer(label.field, label.rank, readValue(label.field, values[k] ?? '', true));
        });
        i = j;
        continue;
      }
    }

    cells.forEach((cell, k) => {
      for (const hit of hitsIn(cell)) {
        const own = cell.slice(hit.valueStart, hit.valueEnd);
        if (clean(own)) {
          offer(hit.field, hit.rank, readValue(hit.field, own, hit.separated));
          continue;
        }
        // Empty after the label: the next cell, or the next line when the label stands alone.
        const nextCell = cells.slice(k + 1).find((c) => c !== '');
        if (nextCell !== undefined) {
          offer(hit.field, hit.rank, readValue(hit.field, nextCell, true));
        } else if (nonEmpty.length === 1) {
          const below = cellsOf(lines[nextLine(i)] ?? '').find((c) => c !== '');
          if (below !== undefined) offer(hit.field, hit.rank, readValue(hit.field, below, true));
        }
      }
    });
  }

  const meta: DocMeta = {};
  for (const [field, { value }] of found) meta[field] = value.slice(0, 500);
  return meta;
}
