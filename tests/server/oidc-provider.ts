// A real OpenID Connect provider for the tests (oidc-provider, with its development login and
// consent pages), and a small cookie-keeping browser that walks through them with fetch.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestUser {
  email: string;
  name: string;
  groups: string[];
  emailVerified?: boolean;
}

export const TEST_USERS: Record<string, TestUser> = {
  alice: { email: 'alice@trust.nhs.uk', name: 'Alice Radiographer', groups: ['clipper-editors'] },
  root: { email: 'root@trust.nhs.uk', name: 'Rita Admin', groups: ['clipper-admins', 'clipper-editors'] },
  vic: { email: 'vic@trust.nhs.uk', name: 'Vic Viewer', groups: [] },
  mallory: { email: 'mallory@elsewhere.example', name: 'Mallory', groups: ['clipper-editors'] },
};

export const TEST_CLIENT_ID = 'qsi-clipper';
/** A confidential client (client_secret_basic), as an operator with a client secret registers. */
export const TEST_SECRET_CLIENT = { id: 'qsi-clipper-confidential', secret: 'test-only-client-secret' };

export interface TestProvider {
  issuer: string;
  close(): Promise<void>;
}

/** Start a provider on 127.0.0.1 with one public client (PKCE required) for `redirectUris`. */
export async function startTestProvider(redirectUris: string[]): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      {
        client_id: TEST_SECRET_CLIENT.id,
        client_secret: TEST_SECRET_CLIENT.secret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    // The ID token carries the profile claims even in the code flow, as Entra ID's does.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['test-only-cookie-key'] },
    async findAccount(_ctx, id) {
      const user = TEST_USERS[id];
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: user?.email ?? `${id}@unknown.example`,
            email_verified: user?.emailVerified ?? true,
            name: user?.name ?? id,
            groups: user?.groups ?? [],
          };
        },
      };
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies by host, as a browser keeps them (paths and expiry dates are not needed here). */
export class CookieJar {
  private jars = new Map<string, Map<string, string>>();
  header(url: string): string {
    const jar = this.jars.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
  store(url: string, res: Response) {
    const host = new URL(url).host;
    const jar = this.jars.get(host) ?? new Map<string, string>();
    this.jars.set(host, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  }
}

type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

/**
 * From the provider's authorization URL, sign in as `login` and consent, following redirects,
 * until the provider sends the browser to the redirect URI: @returns that URL (not fetched).
 */
export async function signInAtProvider(authUrl: string, login: string, jar: CookieJar): Promise<string> {
  const go: Fetcher = async (url, init) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) },
    });
    jar.store(url, res);
    return res;
  };
  let url = authUrl;
  let init: RequestInit = { method: 'GET' };
  for (let step = 0; step < 20; step++) {
    const res = await go(url, init);
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url).href;
      if (!next.startsWith(new URL(authUrl).origin)) return next;
      url = next;
      init = { method: 'GET' };
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form at ${url} (${res.status}): ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1] ?? 'login';
    const form = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      form.set('login', login);
      form.set('password', 'any');
    }
    url = new URL(action, url).href;
    init = {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw new Error('the provider did not redirect back');
}
