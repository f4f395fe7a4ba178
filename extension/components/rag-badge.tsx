import type { Rag } from '../../shared/coverage';

const LABEL: Record<Rag, string> = { red: 'Red', amber: 'Amber', green: 'Green', 'n/a': 'N/A' };
const SYMBOL: Record<Rag, string> = { red: '✕', amber: '!', green: '✓', 'n/a': '–' };

/** RAG status as colour, symbol and word: colour is never the only carrier. */
export function RagBadge({ rag }: { rag: Rag }) {
  return (
    <span class={`rag rag-${rag === 'n/a' ? 'na' : rag}`}>
      <span aria-hidden="true">{SYMBOL[rag]}</span> {LABEL[rag]}
    </span>
  );
}
