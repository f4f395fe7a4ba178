// "Sign in with your organisation": opens the sync server's sign-in page in a new tab. The server
// runs the OpenID Connect sign-in with the organisation's identity provider and ends on a page
// showing a one-time code (qsi-sso-…) that the user pastes into the join form; the extension
// needs no extra permission for this (docs/server.md, "Sign-in with the organisation's identity
// provider").
import browser from 'webextension-polyfill';
import { logError } from '../../lib/log-error';
import { normaliseServerUrl } from '../../lib/sync/api';

export function SignInButton({ serverUrl, onError }: { serverUrl: string; onError: (m: string) => void }) {
  const open = () => {
    const base = normaliseServerUrl(serverUrl);
    if (!base) {
      onError('Enter the server address first (https://…; http:// only for localhost or 127.0.0.1).');
      return;
    }
    onError('');
    browser.tabs.create({ url: `${base}/oidc/start` }).catch((e: unknown) => {
      onError(`Could not open the sign-in page: ${e instanceof Error ? e.message : String(e)}`);
      logError(e);
    });
  };
  return (
    <button type="button" class="button secondary" onClick={open} aria-describedby="invite-code-hint">
      Sign in with your organisation
    </button>
  );
}
