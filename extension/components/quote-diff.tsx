// What changed between a clipped quote and the text found now, word by word (docs/anchoring.md,
// "In the UI"): removals and insertions as <del>/<ins> with hidden "removed"/"added" words, so the
// change is not told by colour alone, and changed numbers, dates and negations called out first.
// Presentational only; every string is rendered as text.
import { Fragment } from 'preact';
import { type ChangeFlag, diffQuote, type FlaggedChange } from '../../shared/anchoring';

const FLAG_LABEL: Record<ChangeFlag, string> = {
  number: 'Number changed',
  date: 'Date changed',
  negation: 'Negation changed',
};

/** “12” → “24”, or just the words added or removed. */
function change(f: FlaggedChange): string {
  if (!f.removed) return `“${f.added}” added`;
  if (!f.added) return `“${f.removed}” removed`;
  return `“${f.removed}” → “${f.added}”`;
}

/** Style of the diff, for the shadow root of the clip UI and the extension's pages. */
export const QUOTE_DIFF_CSS = `
.quote-diff { margin: 0 0 8px; }
.diff-label { margin: 0 0 2px; font-size: 12px; font-weight: 700; color: #4c6272; }
.diff-flags { list-style: none; margin: 0 0 6px; padding: 6px 8px; background: #fff4e5; border-left: 4px solid #8a4b00; border-radius: 4px; }
.diff-flags li { margin: 2px 0; overflow-wrap: anywhere; }
.diff-flags strong { color: #8a4b00; }
.diff-text { margin: 0; padding: 6px 8px; background: #f0f4f5; border-radius: 4px; max-height: 30vh; overflow: auto; overflow-wrap: anywhere; line-height: 1.6; }
.diff-text del { background: #fde8e6; color: #8b1a10; text-decoration: line-through; text-decoration-thickness: 2px; }
.diff-text ins { background: #e3f3e8; color: #00401e; text-decoration: underline; text-decoration-thickness: 2px; font-weight: 600; }
.diff-text del::before { content: "−"; font-weight: 700; text-decoration: none; display: inline-block; margin-right: 1px; }
.diff-text ins::before { content: "+"; font-weight: 700; text-decoration: none; display: inline-block; margin-right: 1px; }
`;

/**
 * The word-level diff of `before` (the clipped quote) against `after` (the text on the page now),
 * or nothing when the words are the same (unless `always`).
 */
export function QuoteDiff({
  before,
  after,
  label,
  always = false,
}: {
  before: string;
  after: string;
  label?: string;
  /** Show `after` even when its words are the same as `before`'s. */
  always?: boolean;
}) {
  const diff = diffQuote(before, after);
  if (!diff.changed && !always) return null;
  return (
    <div class="quote-diff">
      {diff.flags.length > 0 && (
        <ul class="diff-flags" aria-label="Changes to the meaning">
          {diff.flags.map((f, i) => (
            <li key={i}>
              <strong>
                <span aria-hidden="true">⚠ </span>
                {FLAG_LABEL[f.flag]}:
              </strong>{' '}
              {change(f)}
            </li>
          ))}
        </ul>
      )}
      <p class="diff-label">{label ?? 'What changed since the clip was made'}:</p>
      <p class="diff-text">
        {diff.parts.map((p, i) => {
          const gap = i > 0 ? ' ' : '';
          if (p.op === 'same') return `${gap}${p.text}`;
          const Tag = p.op === 'removed' ? 'del' : 'ins';
          return (
            <Fragment key={i}>
              {gap}
              <Tag>
                <span class="visually-hidden">[{p.op}: </span>
                {p.text}
                <span class="visually-hidden">]</span>
              </Tag>
            </Fragment>
          );
        })}
      </p>
    </div>
  );
}
