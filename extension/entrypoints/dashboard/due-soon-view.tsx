// "Due soon": documents whose review date falls within the reminder window (or has passed) and
// self-assessment actions due in it or overdue, with their owners, computed live from the
// dashboard's data by the shared rule; and the reminder settings (window, toolbar badge, weekly
// notification — whose permission is asked for only when the user turns it on).
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import {
  type DueAction,
  type DueDocument,
  dueLabel,
  dueSoon,
  dueState,
  formatDueDate,
  REMINDER_WINDOW_LIMITS,
  type ReminderSettings,
} from '../../../shared/reminders';
import { safeHref } from '../../../shared/safe-url';
import { logError } from '../../lib/log-error';
import {
  getReminderSettings,
  NOTIFICATIONS_PERMISSION,
  setReminderSettings,
  watchReminderSettings,
} from '../../lib/reminders/settings';
import type { DashboardData } from './data';

/** The stored reminder settings, kept current (undefined while loading). */
function useReminderSettings(): ReminderSettings | undefined {
  const [settings, setSettings] = useState<ReminderSettings | undefined>(undefined);
  useEffect(() => {
    void getReminderSettings().then(setSettings, logError);
    return watchReminderSettings(setSettings);
  }, []);
  return settings;
}

const checkGranted = (set: (granted: boolean) => void) =>
  void browser.permissions.contains(NOTIFICATIONS_PERMISSION).then(set, logError);

/** Whether the notifications permission is granted now (it can be revoked in the browser), and a
 *  setter for what a request or removal just answered. */
function useNotificationsGranted(): [boolean | undefined, (granted: boolean) => void] {
  const [granted, setGranted] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    const check = () => checkGranted(setGranted);
    check();
    browser.permissions.onAdded.addListener(check);
    browser.permissions.onRemoved.addListener(check);
    return () => {
      browser.permissions.onAdded.removeListener(check);
      browser.permissions.onRemoved.removeListener(check);
    };
  }, []);
  return [granted, setGranted];
}

function When({ date, today }: { date: string; today: string }) {
  const overdue = dueState(date, today).state === 'overdue';
  return (
    <>
      <strong class={overdue ? 'due-overdue-text' : undefined}>{dueLabel(date, today)}</strong>
      <div class="muted small nowrap">{formatDueDate(date)}</div>
    </>
  );
}

export function DueSoonView({
  data,
  onOpenCriterion,
}: {
  data: DashboardData;
  onOpenCriterion: (id: string) => void;
}) {
  const settings = useReminderSettings();
  if (!settings) return <p aria-live="polite">Loading…</p>;
  const items = dueSoon({
    clips: data.clips,
    assessments: data.assessments,
    today: data.today,
    windowDays: settings.windowDays,
  });
  const docs = items.filter((i): i is DueDocument => i.kind === 'document');
  const actions = items.filter((i): i is DueAction => i.kind === 'action');
  const code = (id: string) => data.criteria.get(id)?.code ?? id;
  const CriterionButton = ({ id }: { id: string }) => (
    <button type="button" class="button link code" onClick={() => onOpenCriterion(id)}>
      {code(id)}
      <span class="visually-hidden"> — open criterion</span>
    </button>
  );
  return (
    <section aria-labelledby="due-heading">
      <div class="view-head">
        <h2 id="due-heading">Due soon</h2>
        <p class="muted">
          Within the next {settings.windowDays} days or overdue: {docs.length} document
          {docs.length === 1 ? '' : 's'} due for review · {actions.length} assessment action
          {actions.length === 1 ? '' : 's'}
        </p>
      </div>
      <div class="card">
        <h3>Documents due for review</h3>
        {docs.length === 0 ? (
          <p class="ok">No clipped document reaches its review date in this window.</p>
        ) : (
          <table class="due-table">
            <caption class="visually-hidden">Documents due for review</caption>
            <thead>
              <tr>
                <th scope="col">Review</th>
                <th scope="col">Document</th>
                <th scope="col">Owner</th>
                <th scope="col">Evidence that goes stale</th>
              </tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr key={d.key}>
                  <td>
                    <When date={d.date} today={data.today} />
                  </td>
                  <td>
                    {safeHref(d.url) ? (
                      <a href={d.url} target="_blank" rel="noopener noreferrer">
                        {d.title || d.url}
                        <span class="visually-hidden"> (opens in a new tab)</span>
                      </a>
                    ) : (
                      d.title || d.url
                    )}
                    {d.documentId && <div class="muted small">{d.documentId}</div>}
                  </td>
                  <td>{d.owner || <span class="muted">Not named</span>}</td>
                  <td>
                    {d.clips} clip{d.clips === 1 ? '' : 's'} for{' '}
                    <span class="codes">
                      {d.criteria.map((id) => (
                        <CriterionButton key={id} id={id} />
                      ))}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div class="card">
        <h3>Assessment actions</h3>
        {actions.length === 0 ? (
          <p class="ok">No self-assessment action is due in this window.</p>
        ) : (
          <table class="due-table">
            <caption class="visually-hidden">Assessment actions due or overdue</caption>
            <thead>
              <tr>
                <th scope="col">Due</th>
                <th scope="col">Criterion</th>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
              </tr>
            </thead>
            <tbody>
              {actions.map((a) => (
                <tr key={a.key}>
                  <td>
                    <When date={a.date} today={data.today} />
                  </td>
                  <td>
                    <CriterionButton id={a.criterionId} />
                    {data.criteria.get(a.criterionId) && (
                      <div class="muted small">{data.criteria.get(a.criterionId)?.title}</div>
                    )}
                  </td>
                  <td class="due-action">{a.action}</td>
                  <td>{a.owner || <span class="muted">Not named</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <ReminderSettingsCard settings={settings} />
    </section>
  );
}

function ReminderSettingsCard({ settings }: { settings: ReminderSettings }) {
  const [granted, setGranted] = useNotificationsGranted();
  const [windowText, setWindowText] = useState(String(settings.windowDays));
  const [message, setMessage] = useState('');
  useEffect(() => setWindowText(String(settings.windowDays)), [settings.windowDays]);
  const save = (patch: Partial<ReminderSettings>, done: string) =>
    void setReminderSettings(patch).then(() => setMessage(done), logError);
  const days = Number(windowText);
  const windowValid =
    Number.isInteger(days) && days >= REMINDER_WINDOW_LIMITS.min && days <= REMINDER_WINDOW_LIMITS.max;
  return (
    <div class="card">
      <h3 id="reminder-settings-h">Reminder settings</h3>
      <form
        class="reminder-settings"
        aria-labelledby="reminder-settings-h"
        onSubmit={(e) => {
          e.preventDefault();
          if (windowValid) save({ windowDays: days }, `Window set to ${days} days.`);
        }}
      >
        <label class="small-label" for="reminder-window">
          Remind me this many days before a review or due date
        </label>
        <div class="reminder-window">
          <input
            id="reminder-window"
            class="input"
            type="number"
            inputMode="numeric"
            min={REMINDER_WINDOW_LIMITS.min}
            max={REMINDER_WINDOW_LIMITS.max}
            required
            value={windowText}
            aria-invalid={!windowValid}
            aria-describedby="reminder-window-help"
            onInput={(e) => setWindowText(e.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={!windowValid || days === settings.windowDays}>
            Save window
          </button>
        </div>
        <p id="reminder-window-help" class="muted small">
          Between {REMINDER_WINDOW_LIMITS.min} and {REMINDER_WINDOW_LIMITS.max} days; 60 unless you change it.
        </p>
        <label class="toggle-row">
          <input
            type="checkbox"
            checked={settings.badge}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              save(
                { badge: on },
                on ? 'The toolbar button now shows the count.' : 'Toolbar count turned off.',
              );
            }}
          />
          Show the number of items due on the toolbar button
        </label>
        <label class="toggle-row">
          <input
            type="checkbox"
            checked={settings.weeklyNotification && granted === true}
            aria-describedby="reminder-notify-help"
            onChange={(e) => {
              const on = e.currentTarget.checked;
              if (!on) {
                save({ weeklyNotification: false }, 'Weekly notification turned off.');
                // Least privilege: give the permission back when the feature is off.
                void browser.permissions
                  .remove(NOTIFICATIONS_PERMISSION)
                  .then(() => checkGranted(setGranted), logError);
                return;
              }
              // permissions.request must run inside the click's user gesture: nothing awaited before it.
              void browser.permissions.request(NOTIFICATIONS_PERMISSION).then((ok) => {
                setGranted(ok);
                if (ok) save({ weeklyNotification: true }, 'Weekly notification turned on.');
                else setMessage('The browser did not allow notifications, so the weekly reminder stays off.');
              }, logError);
            }}
          />
          Send me a browser notification once a week while anything is due
        </label>
        <p id="reminder-notify-help" class="muted small">
          Turning this on asks the browser for permission to show notifications; turning it off gives that
          permission back.
        </p>
        <p class="small" role="status">
          {message}
        </p>
      </form>
    </div>
  );
}
