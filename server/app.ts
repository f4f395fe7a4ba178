// The Hono app, built from its dependencies so tests drive it through app.request().
import { Hono } from 'hono';

export interface AppDeps {
  /** Checks that the store answers; throws when it does not. */
  ping: () => Promise<void> | void;
}

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    await deps.ping();
    return c.json({ status: 'ok' });
  });
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((e, c) => {
    console.error(e);
    return c.json({ error: { code: 'internal', message: 'Internal server error' } }, 500);
  });
  return app;
}
