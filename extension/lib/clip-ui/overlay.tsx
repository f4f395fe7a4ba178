// What the clip UI renders in its shadow root over a web page or the PDF viewer: the floating
// "Clip as evidence" button, a highlight's hover/focus card, this page's evidence list, a toast.
import type { AnchorStatus } from '../../../shared/schemas';
import type { CriterionChoice, PageClip } from '../messaging';
import { AnchorDetails } from './anchor-details';
import type { PlacedClip } from './clip-surface';
import { TagDialog, type TagDialogProps } from './tag-dialog';

export interface UiState {
  button: { x: number; y: number } | null;
  card: { clipId: string; x: number; y: number } | null;
  dialog: TagDialogProps | null;
  clips: readonly PlacedClip[];
  criteria: Record<string, { code: string; title: string }>;
  panelOpen: boolean;
  hasSelection: boolean;
  toast: { message: string; undo?: () => void } | null;
}

export interface UiActions {
  startClip: () => void;
  openCard: (clipId: string, x: number, y: number) => void;
  closeCard: () => void;
  focusClip: (clipId: string) => void;
  editClip: (clipId: string) => void;
  deleteClip: (clipId: string) => void;
  confirmPosition: (clipId: string) => void;
  reattach: (clipId: string) => void;
  /** Re-attaches a lost clip to one of its suggestions. */
  acceptSuggestion: (clipId: string, index: number) => void;
  togglePanel: () => void;
  dismissToast: () => void;
}

const STATUS_LABEL: Record<AnchorStatus, string> = {
  exact: 'Found',
  relocated: 'Moved or changed — confirm',
  lost: 'Lost — not found on this page',
  unknown: 'Not checked',
};

export function ClipOverlay({ state, actions }: { state: UiState; actions: UiActions }) {
  const lost = state.clips.filter((c) => c.status === 'lost');
  const cardClip = state.card ? state.clips.find((c) => c.clip.id === state.card?.clipId) : undefined;
  return (
    <>
      {state.button && (
        <button
          type="button"
          class="clip-button"
          style={{ left: `${state.button.x}px`, top: `${state.button.y}px` }}
          onMouseDown={(e) => e.preventDefault() /* keep the selection */}
          onClick={actions.startClip}
        >
          Clip as evidence
        </button>
      )}
      {cardClip && state.card && (
        <ClipCard
          placed={cardClip}
          criteria={state.criteria}
          x={state.card.x}
          y={state.card.y}
          actions={actions}
          hasSelection={state.hasSelection}
        />
      )}
      {state.clips.length > 0 && (
        <section class={`panel ${state.panelOpen ? 'open' : ''}`} aria-label="Evidence on this page">
          <button
            type="button"
            class="panel-toggle"
            aria-expanded={state.panelOpen}
            onClick={actions.togglePanel}
          >
            Evidence on this page: {state.clips.length}
            {lost.length > 0 && <span class="lost-count"> · {lost.length} lost</span>}
          </button>
          {state.panelOpen && (
            <ul class="panel-list">
              {state.clips.map((p) => (
                <li key={p.clip.id} class={`panel-item status-${p.status}`}>
                  <button type="button" class="panel-clip" onClick={() => actions.focusClip(p.clip.id)}>
                    <span class="status">{STATUS_LABEL[p.status]}</span>
                    <span class="panel-quote">“{truncate(p.clip.quote, 120)}”</span>
                    <span class="panel-codes">{codes(p, state.criteria)}</span>
                  </button>
                  {p.status === 'lost' && (
                    <button
                      type="button"
                      class="secondary small"
                      disabled={!state.hasSelection}
                      title={state.hasSelection ? undefined : 'Select the passage on the page first'}
                      onClick={() => actions.reattach(p.clip.id)}
                    >
                      Re-attach to selection
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {state.dialog && <TagDialog {...state.dialog} />}
      {state.toast && (
        <div class="toast" role="status">
          <span>{state.toast.message}</span>
          {state.toast.undo && (
            <button type="button" class="secondary small" onClick={state.toast.undo}>
              Undo
            </button>
          )}
          <button type="button" class="chip-remove" aria-label="Dismiss" onClick={actions.dismissToast}>
            ×
          </button>
        </div>
      )}
    </>
  );
}

function ClipCard(props: {
  placed: PlacedClip;
  criteria: UiState['criteria'];
  x: number;
  y: number;
  actions: UiActions;
  hasSelection: boolean;
}) {
  const { clip, own, authorName, status } = props.placed;
  return (
    <div
      class="card"
      role="dialog"
      aria-label="Evidence details"
      // Never taller than the space below it: a long note scrolls, the actions stay reachable.
      style={{ left: `${props.x}px`, top: `${props.y}px`, maxHeight: `calc(100vh - ${props.y + 8}px)` }}
      onKeyDown={(e) => e.key === 'Escape' && props.actions.closeCard()}
    >
      <div class="card-head">
        <strong>{own ? 'Your evidence' : `Evidence by ${authorName}`}</strong>
        <span class={`status status-${status}`}>{STATUS_LABEL[status]}</span>
      </div>
      <ul class="card-criteria">
        {clip.criteria.map((id) => (
          <li key={id}>
            <span class="code">{props.criteria[id]?.code ?? id}</span> {props.criteria[id]?.title ?? ''}
          </li>
        ))}
      </ul>
      {clip.note && <p class="card-note">{clip.note}</p>}
      <AnchorDetails
        quote={clip.quote}
        status={status}
        found={props.placed.found}
        suggestions={props.placed.suggestions}
        onAccept={(i) => props.actions.acceptSuggestion(clip.id, i)}
      />
      <div class="actions">
        {status === 'relocated' && (
          <button type="button" class="primary small" onClick={() => props.actions.confirmPosition(clip.id)}>
            Confirm new position
          </button>
        )}
        <button type="button" class="secondary small" onClick={() => props.actions.editClip(clip.id)}>
          Edit
        </button>
        <button
          type="button"
          class="secondary small danger"
          onClick={() => props.actions.deleteClip(clip.id)}
        >
          Delete
        </button>
        <button type="button" class="chip-remove" aria-label="Close" onClick={props.actions.closeCard}>
          ×
        </button>
      </div>
    </div>
  );
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const codes = (p: PageClip, criteria: UiState['criteria']) =>
  p.clip.criteria.map((id) => criteria[id]?.code ?? id).join(', ');

export type { CriterionChoice };
