// The Team page's card "Set by your organisation": what the managed policy sets (never the invite
// code itself), the values it refused, and the policy's sites still waiting for the user's Allow
// (no browser policy can grant an optional host permission; the user does, once).
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { logError } from '../../lib/log-error';
import { MANAGED_TEXT } from '../../lib/managed/managed-text';
import type { ManagedView } from '../../lib/managed/policy';

/** True when the policy sets anything or reported a problem. */
export const hasPolicy = (v: ManagedView) =>
  v.problems.length > 0 ||
  v.serverUrl !== undefined ||
  v.hasInvite ||
  v.defaultFramework !== undefined ||
  v.evidenceSites !== undefined ||
  v.autoOpenPdf !== undefined ||
  v.autoOpenWord !== undefined;

const onOff = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'On' : 'Off');
/** `https://intranet.example.nhs.uk/*` → `https://intranet.example.nhs.uk`. */
const siteName = (pattern: string) => pattern.replace(/\/\*$/, '');

export function ManagedPolicyCard({ view }: { view: ManagedView }) {
  const sites = view.evidenceSites ?? [];
  const [waiting, setWaiting] = useState<string[]>([]);
  const [error, setError] = useState('');
  const key = sites.join(' ');
  useEffect(() => {
    let live = true;
    void Promise.all(sites.map((s) => browser.permissions.contains({ origins: [s] })))
      .then((granted) => live && setWaiting(sites.filter((_s, i) => !granted[i])))
      .catch(logError);
    return () => {
      live = false;
    };
    // `key` stands for `sites` (a new array on every read).
  }, [key]);
  if (!hasPolicy(view)) return null;

  const allow = () => {
    setError('');
    // Asked inside the click: the browser prompts only during a user gesture. The background
    // marks the sites as "show evidence" when the grant arrives.
    void browser.permissions
      .request({ origins: waiting })
      .then((granted) => {
        if (granted) setWaiting([]);
        else setError('The browser did not allow those sites: evidence shows there only when you ask.');
      })
      .catch((e: unknown) => {
        setError(e instanceof Error ? e.message : String(e));
        logError(e);
      });
  };

  const facts: [string, string | undefined][] = [
    ['Sync server', view.serverUrl],
    ['Team invite', view.hasInvite ? 'Provided by your organisation' : undefined],
    ['Default framework', view.defaultFramework?.url],
    ['Open PDFs automatically', onOff(view.autoOpenPdf)],
    ['Open Word documents automatically', onOff(view.autoOpenWord)],
  ];
  return (
    <section class="card" aria-labelledby="managed-heading">
      <h3 id="managed-heading">{MANAGED_TEXT}</h3>
      <p class="muted small">Your organisation set these by policy; they cannot be changed here.</p>
      <dl class="team-facts">
        {facts
          .filter((f): f is [string, string] => f[1] !== undefined)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        {view.evidenceSites && (
          <div>
            <dt>Sites to show evidence on</dt>
            <dd>
              {sites.length === 0 ? (
                'None'
              ) : (
                <ul class="plain-list">
                  {sites.map((s) => (
                    <li key={s}>
                      {siteName(s)}
                      {waiting.includes(s) ? ' — waiting for your Allow' : ''}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        )}
      </dl>
      {waiting.length > 0 && (
        <div class="card-actions">
          <button type="button" class="button" onClick={allow}>
            Allow {waiting.length === 1 ? 'this site' : `these ${waiting.length} sites`}
          </button>
        </div>
      )}
      {error && (
        <p class="error-box" role="alert">
          {error}
        </p>
      )}
      {view.problems.length > 0 && (
        <div class="notice" role="note">
          <strong>Policy values not applied</strong> (tell your IT team):
          <ul>
            {view.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
