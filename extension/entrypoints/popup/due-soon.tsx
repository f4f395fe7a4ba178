// The popup's "Due soon" list (live chunk only, never the first paint): the list the background
// last computed (lib/reminders/due-soon-store.ts), so the popup reads one row, not every clip.
// Day counts are worked out against today here, so a list computed yesterday still reads right.
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import {
  codeOfCriterionId,
  type DueItem,
  type DueSoonSnapshot,
  dueLabel,
  dueState,
  formatDueDate,
} from '../../../shared/reminders';
import { safeHref } from '../../../shared/safe-url';
import type { ClipperDb } from '../../lib/db';
import { logError } from '../../lib/log-error';
import { readDueSoon } from '../../lib/reminders/due-soon-store';
import { todayIso } from '../../lib/today';

/** How many items the popup lists before "and N more". */
const SHOWN = 5;

const openDashboard = (hash: string) =>
  void browser.tabs.create({ url: `${browser.runtime.getURL('/dashboard.html')}${hash}` }).catch(logError);

export function DueSoon({ db, today = todayIso() }: { db: ClipperDb; today?: string }) {
  const [snapshot, setSnapshot] = useState<DueSoonSnapshot | null | undefined>(undefined);
  useEffect(() => {
    const sub = liveQuery(() => readDueSoon(db)).subscribe({
      next: (s) => setSnapshot(s ?? null),
      error: logError,
    });
    return () => sub.unsubscribe();
  }, [db]);
  if (snapshot === undefined) return null;
  const items = snapshot?.items ?? [];
  const more = items.length - SHOWN;
  return (
    <section class="due-soon" aria-labelledby="due-soon-h">
      <h2 id="due-soon-h" class="due-soon-h">
        Due soon
        {snapshot && <span class="muted due-window"> · next {snapshot.windowDays} days</span>}
      </h2>
      {snapshot === null ? (
        <p class="muted due-empty">Working out what is due…</p>
      ) : items.length === 0 ? (
        <p class="muted due-empty">No document reviews or assessment actions due.</p>
      ) : (
        <>
          <ul class="due-list" aria-label="Due soon">
            {items.slice(0, SHOWN).map((item) => (
              <DueRow key={item.key} item={item} today={today} />
            ))}
          </ul>
          <button type="button" class="button secondary due-all" onClick={() => openDashboard('#/due-soon')}>
            {more > 0 ? `See all ${items.length} in the dashboard` : 'Open in the dashboard'}
          </button>
        </>
      )}
    </section>
  );
}

function DueRow({ item, today }: { item: DueItem; today: string }) {
  const overdue = dueState(item.date, today).state === 'overdue';
  const owner = item.owner ? `Owner: ${item.owner}` : 'No owner named';
  return (
    <li class={`due-item${overdue ? ' due-overdue' : ''}`}>
      <span class="due-when">
        <strong>{dueLabel(item.date, today)}</strong>
        <span class="muted"> · {formatDueDate(item.date)}</span>
      </span>
      {item.kind === 'document' ? (
        <span class="due-what">
          <span class="due-kind">Review:</span>{' '}
          {safeHref(item.url) ? (
            <a href={item.url} target="_blank" rel="noopener noreferrer">
              {item.title || item.url}
              <span class="visually-hidden"> (opens in a new tab)</span>
            </a>
          ) : (
            item.title || item.url
          )}
        </span>
      ) : (
        <span class="due-what">
          <span class="due-kind">Action</span>{' '}
          <button
            type="button"
            class="code-link"
            onClick={() => openDashboard(`#/criteria/${encodeURIComponent(item.criterionId)}`)}
          >
            {codeOfCriterionId(item.criterionId)}
            <span class="visually-hidden"> — open the criterion</span>
          </button>
          : {item.action}
        </span>
      )}
      <span class="due-owner muted">
        {owner}
        {item.kind === 'document' && ` · ${item.clips} clip${item.clips === 1 ? '' : 's'}`}
      </span>
    </li>
  );
}
