// Every route the app serves is fuzzed (tests/server/fuzz.test.ts) and documented in
// /openapi.json: adding an endpoint without extending both fails here.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { openApiDocument } from '../../server/openapi';
import { fuzzes } from './fuzz-routes';
import { openTestStore } from './helpers';

describe('route coverage', () => {
  it('fuzzes and documents every route of the app', async () => {
    const store = await openTestStore('sqlite');
    const app = createApp({ store, log: () => {} });
    const routes = [
      ...new Set(
        app.routes
          .filter((r) => r.method !== 'ALL')
          .map((r) => `${r.method} ${r.path.replace(/\/$/, '') || '/'}`),
      ),
    ].sort();
    expect(routes.length).toBeGreaterThanOrEqual(18);
    const unfuzzed = routes.filter((r) => {
      const [method = '', path = ''] = r.split(' ');
      return !fuzzes(method, path);
    });
    expect(unfuzzed).toEqual([]);

    const documented = Object.entries(openApiDocument().paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const undocumented = routes.filter(
      (r) =>
        r !== 'GET /openapi.json' &&
        !documented.some((d) => {
          const [dm = '', dp = ''] = d.split(' ');
          const [rm = '', rp = ''] = r.split(' ');
          return dm === rm && dp.replace(/:[^/]+/g, ':') === rp.replace(/:[^/]+/g, ':');
        }),
    );
    expect(undocumented).toEqual([]);
    console.log(`[routes] ${routes.length} routes, all fuzzed and documented: ${routes.join(', ')}`);
  });
});
