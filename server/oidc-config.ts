// Sign-in with the organisation's OpenID Connect provider: the OIDC_* settings, checked with the
// rest of the environment, and turned into the rules sign-in applies (who may join, with which role).
import { z } from 'zod';
import { type Role, roleSchema } from '../shared/protocol';

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const oidcEnvShape = {
  /** The provider's issuer URL (discovery: `<issuer>/.well-known/openid-configuration`). */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Confidential clients only; without it the server is a public client (PKCE, no secret). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** This server's public callback address, registered at the provider: https://…/oidc/callback. */
  OIDC_REDIRECT_URI: z.url().optional(),
  /** The id of the team people join by signing in (`npm run server:cli -- team list`). */
  OIDC_TEAM: z.uuid().optional(),
  /** Email domains admitted (e.g. `trust.nhs.uk`); compared with the ID token's `email` claim. */
  OIDC_ALLOWED_DOMAINS: list,
  /** Groups admitted (any of them); compared with the groups claim. */
  OIDC_REQUIRED_GROUPS: list,
  OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  /** `group=role` pairs, e.g. `clipper-admins=admin,clipper-editors=editor`; the highest role wins. */
  OIDC_ROLE_MAP: list,
  /** The role when no mapped group matches; `none` refuses such users. */
  OIDC_DEFAULT_ROLE: z.enum(['admin', 'editor', 'viewer', 'none']).default('viewer'),
  OIDC_SCOPES: z.string().default('openid email profile'),
  /** Development and tests only: allow an http:// issuer. */
  OIDC_ALLOW_HTTP: z.enum(['0', '1']).default('0'),
};

type OidcEnv = z.infer<z.ZodObject<typeof oidcEnvShape>>;

/** Either no OIDC_* setting or a complete, usable set (a half-configured sign-in is refused at start). */
export function checkOidcEnv(env: OidcEnv, ctx: z.RefinementCtx) {
  const any = env.OIDC_ISSUER || env.OIDC_CLIENT_ID || env.OIDC_REDIRECT_URI || env.OIDC_TEAM;
  if (!any) return;
  for (const key of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_REDIRECT_URI', 'OIDC_TEAM'] as const)
    if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when OIDC is configured' });
  if (env.OIDC_ALLOWED_DOMAINS.length === 0 && env.OIDC_REQUIRED_GROUPS.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['OIDC_ALLOWED_DOMAINS'],
      message: 'set OIDC_ALLOWED_DOMAINS or OIDC_REQUIRED_GROUPS (else anyone the provider knows could join)',
    });
  for (const pair of env.OIDC_ROLE_MAP)
    if (!parseRolePair(pair))
      ctx.addIssue({ code: 'custom', path: ['OIDC_ROLE_MAP'], message: `"${pair}" is not group=role` });
  for (const key of ['OIDC_ISSUER', 'OIDC_REDIRECT_URI'] as const) {
    const url = env[key];
    if (url && !url.startsWith('https://') && env.OIDC_ALLOW_HTTP !== '1')
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'must be https:// (OIDC_ALLOW_HTTP=1 for tests)',
      });
  }
}

function parseRolePair(pair: string): [string, Role] | undefined {
  const at = pair.lastIndexOf('=');
  const role = roleSchema.safeParse(pair.slice(at + 1).trim());
  const group = pair.slice(0, at).trim();
  return at > 0 && group && role.success ? [group, role.data] : undefined;
}

/** What sign-in needs, parsed from the environment. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  teamId: string;
  allowedDomains: string[];
  requiredGroups: string[];
  groupsClaim: string;
  roleMap: [string, Role][];
  defaultRole: Role | 'none';
  scopes: string;
  allowHttp: boolean;
}

/** undefined when sign-in is not configured (checkOidcEnv has already refused a partial set). */
export function oidcSettings(env: OidcEnv): OidcSettings | undefined {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_REDIRECT_URI || !env.OIDC_TEAM) return undefined;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    redirectUri: env.OIDC_REDIRECT_URI,
    teamId: env.OIDC_TEAM,
    allowedDomains: env.OIDC_ALLOWED_DOMAINS.map((d) => d.toLowerCase()),
    requiredGroups: env.OIDC_REQUIRED_GROUPS,
    groupsClaim: env.OIDC_GROUPS_CLAIM,
    roleMap: env.OIDC_ROLE_MAP.map(parseRolePair).filter((p) => p !== undefined),
    defaultRole: env.OIDC_DEFAULT_ROLE,
    scopes: env.OIDC_SCOPES,
    allowHttp: env.OIDC_ALLOW_HTTP === '1',
  };
}

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/** The claims sign-in reads from a validated ID token. */
export interface SignInClaims {
  sub: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
  groups: string[];
}

/**
 * Whether these claims admit the person, and with which role: the email domain (when domains are
 * set) and the groups (when groups are set) must both match; the role is the highest mapped one, else the default role.
 */
export function admit(
  s: OidcSettings,
  claims: SignInClaims,
): { ok: true; role: Role } | { ok: false; reason: string } {
  if (s.allowedDomains.length > 0) {
    const email = claims.email?.toLowerCase();
    const domain = email?.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : undefined;
    if (!domain) return { ok: false, reason: 'the sign-in carried no email address' };
    if (claims.emailVerified === false) return { ok: false, reason: 'the email address is not verified' };
    if (!s.allowedDomains.includes(domain))
      return { ok: false, reason: `email domain ${domain} is not admitted` };
  }
  if (s.requiredGroups.length > 0 && !claims.groups.some((g) => s.requiredGroups.includes(g)))
    return { ok: false, reason: 'not in an admitted group' };
  let role: Role | undefined;
  for (const [group, mapped] of s.roleMap)
    if (claims.groups.includes(group) && (!role || RANK[mapped] > RANK[role])) role = mapped;
  role ??= s.defaultRole === 'none' ? undefined : s.defaultRole;
  if (!role) return { ok: false, reason: 'no group of this user maps to a role' };
  return { ok: true, role };
}
