// Evidence status of a clip as symbol + word + colour (never colour alone).
export type EvidenceStatus = 'fresh' | 'stale' | 'relocated' | 'lost' | 'conflict';

const LABEL: Record<EvidenceStatus, string> = {
  fresh: 'Fresh',
  stale: 'Review overdue',
  relocated: 'Relocated',
  lost: 'Lost on page',
  conflict: 'Sync conflict',
};
const SYMBOL: Record<EvidenceStatus, string> = {
  fresh: '✓',
  stale: '↻',
  relocated: '↪',
  lost: '✕',
  conflict: '⇄',
};

export function StatusBadge({ status }: { status: EvidenceStatus }) {
  return (
    <span class={`status status-${status}`}>
      <span aria-hidden="true">{SYMBOL[status]}</span> {LABEL[status]}
    </span>
  );
}

export const STATUS_LABEL = LABEL;
