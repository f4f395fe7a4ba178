// Team sync status as words plus a symbol (never colour alone), for the popup and the dashboard
// header. `SyncStatusLine` is presentational; `SyncStatus` reads the live overview from Dexie.
import type { ClipperDb } from '../lib/db';
import { readSyncOverview, type StatusView, type SyncState } from '../lib/sync/state';
import { useLiveQuery } from '../lib/use-live-query';

const SYMBOL: Record<SyncState, string> = {
  synced: '✓',
  pending: '↑',
  offline: '⚠',
  'signed-out': '○',
  revoked: '✕',
  incompatible: '✕',
  error: '✕',
};

/** Short label per state (the message adds the reason where there is one). */
export function syncHeadline(view: StatusView): string {
  switch (view.state) {
    case 'synced':
      return 'Synced';
    case 'pending':
      return view.pending > 0
        ? `Pending: ${view.pending} change${view.pending === 1 ? '' : 's'} to send`
        : 'Syncing…';
    case 'offline':
      return 'Offline';
    case 'signed-out':
      return 'Signed out';
    case 'revoked':
      return 'Signed out: token revoked';
    case 'incompatible':
      return 'Server incompatible';
    case 'error':
      return 'Sync error';
  }
}

/** "today 14:05" / "3 Dec 2026, 14:05" in the browser's locale. */
export function formatWhen(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return `today ${time}`;
  return `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}, ${time}`;
}

/** The message adds something the headline does not already say. */
function detail(view: StatusView): string {
  // "Offline: the server…" under the headline "Offline" reads as "the server…".
  const headline = syncHeadline(view).toLowerCase();
  const raw = view.message.trim();
  const m = raw.toLowerCase().startsWith(`${headline}:`) ? raw.slice(headline.length + 1).trim() : raw;
  if (!m) return '';
  if (view.state === 'pending' && view.pending > 0) return '';
  if (view.state === 'synced' && /^up to date\.?$/i.test(m)) return '';
  return m;
}

/**
 * `compact`: headline only (the dashboard header). `lastSynced`: append "· last synced …"
 * (default: unless compact).
 */
export function SyncStatusLine({
  view,
  compact = false,
  lastSynced = !compact,
  conflicts = 0,
}: {
  view: StatusView;
  compact?: boolean;
  lastSynced?: boolean;
  /** Open conflicts, said in words after the status. */
  conflicts?: number;
}) {
  // Compact (the dashboard header): the headline only; the Team tab and the popup give the reason.
  const notInTeam = compact && view.state === 'signed-out';
  const more = compact ? '' : detail(view);
  return (
    // A span: the popup's slot already wraps it in a paragraph.
    <span
      class={`sync-status sync-${view.state}`}
      role="status"
      aria-live="polite"
      title={compact ? detail(view) || undefined : undefined}
    >
      <span aria-hidden="true">{SYMBOL[view.state]}</span>{' '}
      <strong>{notInTeam ? 'Not in a team' : syncHeadline(view)}</strong>
      {more && <span>{` — ${more}`}</span>}
      {lastSynced && view.lastSyncedAt && view.state !== 'signed-out' && (
        <span class="muted">{` · last synced ${formatWhen(view.lastSyncedAt)}`}</span>
      )}
      {conflicts > 0 && <strong>{` · ${conflicts} conflict${conflicts === 1 ? '' : 's'} to resolve`}</strong>}
    </span>
  );
}

/** Live team sync status; renders nothing while loading. */
export function SyncStatus({ db, compact = false }: { db: ClipperDb; compact?: boolean }) {
  const overview = useLiveQuery(() => readSyncOverview(db), [db]);
  if (!overview) return null;
  return <SyncStatusLine view={overview.status} compact={compact} conflicts={overview.conflicts.length} />;
}
