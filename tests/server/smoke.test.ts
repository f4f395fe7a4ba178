import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { call, createApp, createTeam, makeClip, openTestStore } from './helpers';

describe('smoke', () => {
  it('joins, pushes, pulls', async () => {
    const store = await openTestStore('sqlite');
    const app = createApp({ store, log: () => {} });
    const { admin } = await createTeam(store, app);
    const clip = makeClip();
    const push = await call(app, 'POST', '/v1/push', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'client-0001',
      mutations: [{ mutationId: 1, type: 'clip.create', clip }],
    });
    expect(push.status, JSON.stringify(push.json)).toBe(200);
    const pull = await call(app, 'POST', '/v1/pull', admin.token, {
      protocolVersion: PROTOCOL_VERSION,
      cursor: null,
    });
    expect(pull.status).toBe(200);
    console.log(JSON.stringify(push.json), JSON.stringify(pull.json).slice(0, 300));
    await store.close();
  });
});
