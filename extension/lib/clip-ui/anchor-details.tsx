// The part of a clip's card that explains its anchoring: for a "moved or changed" clip, what
// changed in its text; for a lost one, "Is it this passage?" with the places that come close,
// each re-attached in one click. A suggestion is only text here: nothing is painted for it.

import type { AnchorStatus } from '../../../shared/schemas';
import { QuoteDiff } from '../../components/quote-diff';

export interface AnchorDetailsProps {
  quote: string;
  status: AnchorStatus;
  /** The text found now (a "moved or changed" clip). */
  found?: string;
  /** Texts of the places that come close (a lost clip), best first. */
  suggestions?: string[];
  /** Re-attaches the clip to its `index`-th suggestion. */
  onAccept: (index: number) => void;
}

export function AnchorDetails({ quote, status, found, suggestions, onAccept }: AnchorDetailsProps) {
  if (status === 'relocated' && found !== undefined)
    return <QuoteDiff before={quote} after={found} label="Changed on the page since it was clipped" />;
  if (status !== 'lost' || !suggestions?.length) return null;
  return (
    <section class="suggestions" aria-label="Is it this passage?">
      <h3 class="suggestions-title">Is it this passage?</h3>
      <ol class="suggestion-list">
        {suggestions.map((text, i) => (
          <li key={i} class="suggestion">
            <QuoteDiff
              always
              before={quote}
              after={text}
              label={`Passage ${i + 1}, compared with the clipped text`}
            />
            <button
              type="button"
              class="secondary small"
              aria-label={`Re-attach to passage ${i + 1}`}
              onClick={() => onAccept(i)}
            >
              Yes, re-attach here
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

export const ANCHOR_DETAILS_CSS = `
.suggestions { margin: 0 0 8px; }
.suggestions-title { font-size: 14px; margin: 4px 0; color: #003087; }
.suggestion-list { margin: 0; padding-left: 20px; }
.suggestion { margin: 0 0 8px; }
`;
