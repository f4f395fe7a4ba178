// The OpenID Connect client of the sync server (openid-client): authorization code flow with PKCE,
// run by the server itself (docs/server.md, "Sign-in with the organisation's identity provider").
// The provider's metadata is discovered on first use and kept; a failed discovery is retried on
// the next sign-in.
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { AppError } from '../shared/errors';
import type { OidcSettings, SignInClaims } from './oidc-config';

/** How long a sign-in may take between leaving for the provider and coming back. */
export const OIDC_FLOW_TTL_MS = 10 * 60_000;
/** How long the one-time join code shown after signing in stays redeemable. */
export const OIDC_GRANT_TTL_MS = 10 * 60_000;

export interface OidcClient {
  readonly settings: OidcSettings;
  /** The provider's authorization URL for a new sign-in, and the checks its callback needs. */
  begin(): Promise<{ url: URL; state: string; nonce: string; codeVerifier: string }>;
  /**
   * Redeem the callback's authorization code (PKCE verifier, state and nonce checked, the ID
   * token's signature, issuer, audience and expiry validated by openid-client).
   * @throws AppError unauthorized when the provider or the token says no; unavailable when unreachable.
   */
  finish(
    callbackQuery: string,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<SignInClaims & { subject: string }>;
}

/** A fresh secret for URLs and cookies (256 bits). */
export const randomSecret = () => randomBytes(32).toString('base64url');

/** `now`: the server's clock; its offset from the system clock is the skew ID tokens are judged by. */
export function createOidcClient(settings: OidcSettings, now: () => number): OidcClient {
  let config: Promise<client.Configuration> | undefined;
  const configuration = () => {
    config ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        { [client.clockSkew]: Math.round((now() - Date.now()) / 1000) },
        // client_secret_basic: OpenID Connect's default method, which every provider accepts.
        settings.clientSecret ? client.ClientSecretBasic(settings.clientSecret) : client.None(),
        settings.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        config = undefined;
        throw new AppError(
          'unavailable',
          `The identity provider could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    return config;
  };

  return {
    settings,
    async begin() {
      const cfg = await configuration();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, state, nonce, codeVerifier };
    },

    async finish(callbackQuery, checks) {
      const cfg = await configuration();
      // The address the provider redirected to, as registered (behind a proxy the request's own differs).
      const current = new URL(settings.redirectUri);
      current.search = callbackQuery;
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(cfg, current, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        if (error instanceof TypeError)
          throw new AppError('unavailable', `The identity provider could not be reached: ${error.message}`);
        throw new AppError('unauthorized', `The identity provider's answer was refused: ${describe(error)}`);
      }
      const claims = tokens.claims();
      if (!claims) throw new AppError('unauthorized', 'The identity provider returned no ID token');
      const raw = claims[settings.groupsClaim];
      const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : [];
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return {
        subject: `${claims.iss} ${claims.sub}`,
        sub: claims.sub,
        email: str(claims.email),
        emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined,
        name: str(claims.name) ?? str(claims.preferred_username),
        groups,
      };
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError)
    return error.error_description ? `${error.error}: ${error.error_description}` : error.error;
  if (error instanceof client.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0]?.parameters;
    if (challenge?.error)
      return challenge.error_description
        ? `${challenge.error}: ${challenge.error_description}`
        : challenge.error;
  }
  if (!(error instanceof Error)) return String(error);
  // oauth4webapi's checks name what failed in `code` and `cause` (the claim, or the inner error).
  const { code, cause } = error as Error & { code?: unknown; cause?: unknown };
  const claim =
    cause && typeof cause === 'object' && 'claim' in cause ? ` (claim ${String(cause.claim)})` : '';
  const inner = cause instanceof Error ? ` (${cause.message})` : '';
  return `${error.message}${claim}${inner}${typeof code === 'string' ? ` [${code}]` : ''}`;
}
