// Team & sync settings: join a team with a server address and an invite code (or, under the
// organisation's policy, with the name only: server and invite locked), or show
// the team, this member, the sync status, rejections, and leave. Talks to the background only
// through send-to-background; the device token never reaches this page.
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ManagedNote } from '../../components/managed-note';
import { formatWhen, SyncStatusLine } from '../../components/sync-status';
import type { ClipperDb } from '../../lib/db';
import { logError } from '../../lib/log-error';
import { readManagedView } from '../../lib/managed/managed-view';
import type { ManagedView } from '../../lib/managed/policy';
import { markSyncOrigin, serverPermissionPattern } from '../../lib/origin-grants';
import { sendToBackground } from '../../lib/send-to-background';
import { readMeta, readSyncOverview, SYNC_META, storagePersistSchema } from '../../lib/sync/state';
import { useLiveQuery } from '../../lib/use-live-query';
import { ManagedPolicyCard } from './managed-policy';
import { SignInButton } from './sign-in-button';
import './team-view.css';

async function loadTeam(db: ClipperDb) {
  const [overview, storage, managed] = await Promise.all([
    readSyncOverview(db),
    readMeta(db, SYNC_META.storage, storagePersistSchema),
    readManagedView(db),
  ]);
  return { ...overview, storage, managed };
}
type TeamData = Awaited<ReturnType<typeof loadTeam>>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function TeamView({ db }: { db: ClipperDb }) {
  const data = useLiveQuery(() => loadTeam(db), [db]);
  if (data === undefined) return <p aria-live="polite">Loading…</p>;
  return (
    <section aria-labelledby="team-heading">
      <div class="view-head">
        <h2 id="team-heading">Team</h2>
        <p class="muted">
          Share clips and assessments with your team through your organisation's sync server. Without a team,
          everything stays on this device.
        </p>
      </div>
      {data.team ? <JoinedTeam data={data} /> : <JoinForm managed={data.managed} />}
      <ManagedPolicyCard view={data.managed} />
      {data.storage && !data.storage.granted && (
        <p class="notice" role="note">
          <strong>Storage may be cleared:</strong> the browser has not made this extension's storage
          persistent{data.storage.error ? ` (${data.storage.error})` : ''}. Under storage pressure it could
          delete local data, including changes not yet sent — keep syncing with your team.
        </p>
      )}
    </section>
  );
}

/** `rejoin`: this device's token was revoked or expired; joining the same team again keeps the
 * unsent changes, so the form is offered in place (prefilled) rather than after leaving. */
function JoinForm({
  rejoin,
  managed,
}: {
  rejoin?: { serverUrl: string; name: string; teamName: string };
  /** The organisation's policy: its server address and invite replace the typed ones. */
  managed: ManagedView;
}) {
  const [typedServerUrl, setServerUrl] = useState(rejoin?.serverUrl ?? '');
  const serverUrl = managed.serverUrl ?? typedServerUrl;
  const managedInvite = managed.serverUrl !== undefined && managed.hasInvite;
  const [inviteCode, setInviteCode] = useState('');
  const [displayName, setDisplayName] = useState(rejoin?.name ?? '');
  const [deviceLabel, setDeviceLabel] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [joined, setJoined] = useState('');

  const onSubmit = (e: Event) => {
    e.preventDefault();
    setJoined('');
    const pattern = serverPermissionPattern(serverUrl);
    if (!pattern) {
      setError('Enter the server address as https://… (http:// only for localhost or 127.0.0.1).');
      return;
    }
    const code = inviteCode.trim();
    const signedIn = !managedInvite && code.startsWith('qsi-sso-');
    if (!managedInvite && !code.startsWith('qsi-inv-') && !signedIn) {
      setError('That is not an invite or sign-in code: codes start with qsi-inv- or qsi-sso-.');
      return;
    }
    // After signing in, the name comes from the organisation's directory.
    if (!signedIn && !displayName.trim()) {
      setError('Enter your name as teammates should see it.');
      return;
    }
    setError('');
    setBusy(true);
    // The server's host is granted for sync only, never as "always show evidence" there: recorded
    // first, so the background never registers the content script on it.
    // Whether the host was granted before is read first (answered before the prompt's answer).
    const marked = browser.permissions
      .contains({ origins: [pattern] })
      .then((grantedBefore) => markSyncOrigin(pattern, grantedBefore));
    // Asked inside the click, before any await: the browser only prompts during a user gesture.
    const permitted = browser.permissions.request({ origins: [pattern] });
    void permitted
      .then(async (granted) => {
        await marked;
        if (!granted) {
          setError(
            'The browser did not allow access to that server, so the extension cannot sync with it. Join again and choose Allow.',
          );
          return;
        }
        const r = await sendToBackground('joinTeam', {
          serverUrl: serverUrl.trim(),
          inviteCode: managedInvite ? '' : code,
          displayName: displayName.trim() || 'Member',
          deviceLabel: deviceLabel.trim(),
          ...(managedInvite ? { managed: true } : {}),
        });
        if (!r.ok) setError(r.error.message || 'Joining failed.');
        else {
          setInviteCode('');
          setJoined(`Joined ${r.value.teamName} as ${r.value.memberName}.`);
        }
      })
      .catch((e: unknown) => {
        setError(`Joining failed: ${e instanceof Error ? e.message : String(e)}`);
        logError(e);
      })
      .finally(() => setBusy(false));
  };

  return (
    <form class="card" onSubmit={onSubmit} aria-labelledby="join-heading" noValidate>
      <h3 id="join-heading">{rejoin ? `Join ${rejoin.teamName} again` : 'Join a team'}</h3>
      <p class="muted small">
        {managedInvite
          ? 'Your organisation set up the team: enter your name as teammates should see it. Clips already on this device are shared with the team when you join.'
          : rejoin
            ? 'Ask your team admin for a new invite code. Changes waiting on this device are sent once you are back in.'
            : 'Your team admin gives you the server address and an invite code, or tells you to sign in with your organisation. Clips already on this device are shared with the team when you join.'}
      </p>
      <div class="form-grid">
        <div>
          <label class="field">
            <span>Server address</span>
            <input
              class="input"
              type="url"
              name="serverUrl"
              placeholder="https://qsi.example.nhs.uk"
              autoComplete="url"
              required
              value={serverUrl}
              disabled={managed.serverUrl !== undefined}
              aria-describedby={managed.serverUrl !== undefined ? 'managed-server-note' : undefined}
              onInput={(e) => setServerUrl(e.currentTarget.value)}
            />
          </label>
          {managed.serverUrl !== undefined && <ManagedNote id="managed-server-note" />}
        </div>
        <div>
          <label class="field">
            <span>Invite code</span>
            <input
              class="input"
              type="text"
              name="inviteCode"
              placeholder={managedInvite ? 'Provided by your organisation' : 'qsi-inv-…'}
              autoComplete="off"
              spellcheck={false}
              required={!managedInvite}
              value={managedInvite ? '' : inviteCode}
              disabled={managedInvite}
              aria-describedby={managedInvite ? 'managed-invite-note' : 'invite-code-hint'}
              onInput={(e) => setInviteCode(e.currentTarget.value)}
            />
          </label>
          {managedInvite ? (
            <ManagedNote id="managed-invite-note" detail="the invite is provided by policy" />
          ) : (
            <span id="invite-code-hint" class="muted small">
              Or the qsi-sso-… code shown after “Sign in with your organisation” (no name needed then).
            </span>
          )}
        </div>
        <label class="field">
          <span>Your name</span>
          <input
            class="input"
            type="text"
            name="displayName"
            autoComplete="name"
            maxLength={200}
            required
            value={displayName}
            onInput={(e) => setDisplayName(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Device label (optional)</span>
          <input
            class="input"
            type="text"
            name="deviceLabel"
            placeholder="e.g. Office PC"
            maxLength={200}
            value={deviceLabel}
            onInput={(e) => setDeviceLabel(e.currentTarget.value)}
          />
        </label>
      </div>
      {error && (
        <p class="error-box" role="alert">
          {error}
        </p>
      )}
      {joined && (
        <p class="ok" role="status">
          {joined}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Joining…' : rejoin ? 'Join again' : 'Join team'}
        </button>
        <SignInButton serverUrl={serverUrl} onError={setError} />
      </div>
    </form>
  );
}

function JoinedTeam({ data }: { data: TeamData }) {
  const { team, status, rejections, conflicts, managed } = data;
  // The organisation keeps this device in its team: leaving is locked (a revoked device can rejoin).
  const leaveLocked = !!team && managed.hasInvite && managed.serverUrl === team.serverUrl;
  const elsewhere = !!team && managed.serverUrl !== undefined && managed.serverUrl !== team.serverUrl;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState(false);
  if (!team) return null;

  const syncNow = async () => {
    setBusy(true);
    setError('');
    setMessage('');
    const r = await sendToBackground('syncNow', {});
    setBusy(false);
    if (!r.ok) setError(r.error.message);
    else if (r.value.state === 'synced' || r.value.state === 'pending')
      setMessage(
        `Sync finished: ${plural(r.value.pushed, 'change')} sent, ${plural(r.value.pulled, 'change')} received.`,
      );
    // Otherwise the status line above already says why the sync did not complete.
  };

  const leave = async (discardPending: boolean) => {
    setBusy(true);
    setError('');
    const r = await sendToBackground('leaveTeam', { discardPending });
    setBusy(false);
    if (!r.ok) setError(r.error.message);
    else setConfirming(false);
  };

  return (
    <>
      <section class="card" aria-labelledby="team-name">
        <h3 id="team-name">{team.teamName}</h3>
        <dl class="team-facts">
          <div>
            <dt>You</dt>
            <dd>
              {team.memberName} ({team.role})
            </dd>
          </div>
          <div>
            <dt>Server</dt>
            <dd>
              {team.serverUrl}
              {managed.serverUrl === team.serverUrl && <ManagedNote id="managed-joined-server-note" />}
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <SyncStatusLine view={status} lastSynced={false} />
            </dd>
          </div>
          <div>
            <dt>Changes waiting to be sent</dt>
            <dd>{status.pending}</dd>
          </div>
          <div>
            <dt>Last synced</dt>
            <dd>{status.lastSyncedAt ? formatWhen(status.lastSyncedAt) : 'Not yet'}</dd>
          </div>
        </dl>
        {elsewhere && (
          <p class="notice" role="note">
            <strong>Your organisation's team server is {managed.serverUrl}.</strong> This device moves there
            by itself once its changes have reached {team.teamName} and the browser allows that server; or
            leave this team and join from here.
          </p>
        )}
        {conflicts.length > 0 && (
          <p class="notice">
            <strong>{plural(conflicts.length, 'conflict')} to resolve.</strong>{' '}
            <a href="#/conflicts">Review conflicts</a>
          </p>
        )}
        {error && (
          <p class="error-box" role="alert">
            {error}
          </p>
        )}
        {message && !error && <p class="muted small">{message}</p>}
        {!confirming && (
          <div class="card-actions">
            <button type="button" class="button" disabled={busy} onClick={() => void syncNow()}>
              {busy ? 'Syncing…' : 'Sync now'}
            </button>
            <button
              type="button"
              class="button secondary"
              disabled={busy || leaveLocked}
              aria-describedby={leaveLocked ? 'managed-leave-note' : undefined}
              onClick={() => setConfirming(true)}
            >
              Leave team
            </button>
            {leaveLocked && <ManagedNote id="managed-leave-note" detail="this device stays in its team" />}
          </div>
        )}
        {confirming && (
          <section class="leave-confirm" aria-labelledby="leave-heading">
            <h4 id="leave-heading">Leave {team.teamName}?</h4>
            <p>
              Your clips stay on this device, but teammates' changes stop arriving and this device is signed
              out.
            </p>
            {status.pending > 0 ? (
              <>
                <p class="notice">
                  <strong>
                    {plural(status.pending, 'change has', 'changes have')} not reached the team yet.
                  </strong>{' '}
                  Sync first to share them, or leave and discard them (they stay on this device, but the team
                  will never receive them).
                </p>
                <div class="card-actions">
                  <button type="button" class="button" disabled={busy} onClick={() => void syncNow()}>
                    Sync now
                  </button>
                  <button
                    type="button"
                    class="button danger"
                    disabled={busy}
                    onClick={() => void leave(true)}
                  >
                    Leave and discard {plural(status.pending, 'change')}
                  </button>
                  <button type="button" class="button secondary" onClick={() => setConfirming(false)}>
                    Cancel
                  </button>
                </div>
              </>
            ) : (
              <div class="card-actions">
                <button type="button" class="button danger" disabled={busy} onClick={() => void leave(false)}>
                  Yes, leave team
                </button>
                <button type="button" class="button secondary" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            )}
          </section>
        )}
      </section>
      {status.state === 'revoked' && (
        <JoinForm
          rejoin={{ serverUrl: team.serverUrl, name: team.memberName, teamName: team.teamName }}
          managed={managed}
        />
      )}
      {rejections.length > 0 && (
        <section class="card" aria-labelledby="rejections-heading">
          <h3 id="rejections-heading">Changes the server refused</h3>
          <p class="muted small">
            These changes were not accepted and are not shared with the team. The local copy is kept.
          </p>
          <div class="table-scroll">
            <table class="clip-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Change</th>
                  <th scope="col">Record</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {rejections.map((r) => (
                  <tr key={r.mutationId}>
                    <td class="nowrap">{formatWhen(r.at)}</td>
                    <td>{r.type}</td>
                    <td>{r.recordKey}</td>
                    <td>
                      {r.message} <span class="muted">({r.code})</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
