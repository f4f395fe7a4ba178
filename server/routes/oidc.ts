// GET /oidc/start and GET /oidc/callback: the browser pages of sign-in with the organisation's
// identity provider. Start sends the browser to the provider (state, nonce, PKCE, and a cookie
// binding the sign-in to this browser); the callback checks all of them, applies the admission
// rule and shows a one-time join code that the extension redeems at POST /v1/join.
// Refusals use the usual error shape (JSON), or a short page when a browser asks for HTML.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../shared/errors';
import { displayNameSchema } from '../../shared/protocol';
import { sha256Hex } from '../auth';
import { rateKey } from '../client-address';
import { type AppEnv, errorBody, peerAddress, RateLimitedError, type RouteDeps, STATUS } from '../http';
import { OIDC_FLOW_TTL_MS, OIDC_GRANT_TTL_MS, type OidcClient, randomSecret } from '../oidc';
import { admit } from '../oidc-config';

const COOKIE = 'qsi_oidc';

const notConfigured = () =>
  new AppError('not_found', 'Sign-in with an identity provider is not configured on this server');

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function refusal(c: Context<AppEnv>, error: AppError) {
  const status = STATUS[error.code];
  if ((c.req.header('accept') ?? '').includes('text/html'))
    return c.html(page('Sign-in refused', `<p>${escapeHtml(error.message)}</p>`), status);
  return c.json(errorBody(error.code, error.message), status);
}

export function oidcRoutes(deps: RouteDeps & { oidc?: OidcClient }) {
  const { oidc } = deps;
  const limit = async (c: Context<AppEnv>) => {
    const ip = peerAddress(c);
    const wait = deps.joinLimiter.take(`oidc:${rateKey(ip)}`);
    if (wait > 0) throw new RateLimitedError(wait);
    return ip;
  };
  const secure = oidc?.settings.redirectUri.startsWith('https://') ?? true;

  return new Hono<AppEnv>()
    .get('/start', async (c) => {
      if (!oidc) throw notConfigured();
      await limit(c);
      if (!(await deps.store.getTeam(oidc.settings.teamId)))
        throw new AppError('unavailable', 'The team for sign-in (OIDC_TEAM) does not exist on this server');
      const { url, state, nonce, codeVerifier } = await oidc.begin();
      const browser = randomSecret();
      await deps.store.startOidcFlow({
        state_hash: sha256Hex(state),
        team_id: oidc.settings.teamId,
        browser_hash: sha256Hex(browser),
        code_verifier: codeVerifier,
        nonce,
        expires_at: deps.now() + OIDC_FLOW_TTL_MS,
      });
      setCookie(c, COOKIE, browser, {
        path: '/oidc',
        httpOnly: true,
        secure,
        sameSite: 'Lax',
        maxAge: OIDC_FLOW_TTL_MS / 1000,
      });
      return c.redirect(url.href, 302);
    })
    .get('/callback', async (c) => {
      if (!oidc) throw notConfigured();
      const ip = await limit(c);
      const fail = async (error: AppError, teamId: string | null = null) => {
        await deps.store.audit({
          action: 'oidc.signin',
          outcome: 'failed',
          teamId,
          detail: error.message.slice(0, 300),
          ip,
        });
        return refusal(c, error);
      };
      const state = c.req.query('state');
      if (!state) return fail(new AppError('bad_request', 'The sign-in answer carries no state'));
      const browser = getCookie(c, COOKIE);
      deleteCookie(c, COOKIE, { path: '/oidc', secure });
      const flow = await deps.store.takeOidcFlow(sha256Hex(state));
      if (!flow)
        return fail(
          new AppError('unauthorized', 'This sign-in is unknown, expired or already used; start again'),
        );
      if (!browser || sha256Hex(browser) !== flow.browser_hash)
        return fail(
          new AppError('unauthorized', 'This sign-in was started in another browser; start again'),
          flow.team_id,
        );
      let claims: Awaited<ReturnType<OidcClient['finish']>>;
      try {
        const query = new URL(c.req.url).search;
        claims = await oidc.finish(query, { state, nonce: flow.nonce, codeVerifier: flow.code_verifier });
      } catch (error) {
        if (error instanceof AppError) return fail(error, flow.team_id);
        throw error;
      }
      const verdict = admit(oidc.settings, claims);
      if (!verdict.ok)
        return fail(new AppError('forbidden', `You may not join this team: ${verdict.reason}`), flow.team_id);
      const name = displayNameSchema.safeParse(
        (claims.name ?? claims.email?.split('@')[0] ?? '').slice(0, 200),
      );
      const code = `qsi-sso-${randomSecret().slice(0, 32)}`;
      await deps.store.createOidcGrant({
        code_hash: sha256Hex(code),
        team_id: flow.team_id,
        subject: claims.subject,
        display_name: name.success ? name.data : 'Member',
        role: verdict.role,
        expires_at: deps.now() + OIDC_GRANT_TTL_MS,
      });
      await deps.store.audit({
        action: 'oidc.signin',
        outcome: 'ok',
        teamId: flow.team_id,
        detail: `subject ${claims.subject.slice(0, 200)} role=${verdict.role}`,
        ip,
      });
      const team = await deps.store.getTeam(flow.team_id);
      return c.html(
        page(
          'Signed in',
          `<p>You may join <strong>${escapeHtml(team?.name ?? 'the team')}</strong>. Copy this one-time code into the QSI Evidence Clipper's "Join a team" form (it works once, for ${OIDC_GRANT_TTL_MS / 60_000} minutes):</p>` +
            `<p><label for="code">Sign-in code</label> <input id="code" readonly size="44" value="${escapeHtml(code)}"></p>` +
            `<p>Then close this tab.</p>`,
        ),
        200,
      );
    });
}
