// Submissions through the real sync engine and server app: an admin freezes the evidence from its
// own database, every member pulls it read-only, editors cannot freeze or delete, a delete reaches
// every member as a tombstone, and a client that does not name the `submissions` feature (0.1.0)
// keeps syncing without ever being sent one.

import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSubmission } from '../../../extension/lib/submissions/freeze';
import type { FetchLike } from '../../../extension/lib/sync/api';
import { clipContentText } from '../../../shared/exports/evidence-seal';
import { demoFramework } from '../../../shared/frameworks/demo';
import { canonicalJson } from '../../../shared/merge';
import { FEATURES_HEADER, pullResponseSchema } from '../../../shared/protocol';
import { submissionSetText } from '../../../shared/submissions';
import {
  createInvite,
  localAssess,
  localCreate,
  openTeamFixture,
  type Server,
  type TeamFixture,
} from '../../sync/sim/harness';

let server: Server;
let random: () => number;
let joined: TeamFixture['join'];
let teamId: string;
const at = () => new Date().toISOString();
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

beforeEach(async () => {
  ({ server, random, join: joined } = await openTeamFixture(7));
  teamId = (await server.store.listTeams())[0]?.id ?? '';
});
afterEach(async () => {
  await server.store.close();
});

describe('submissions over sync', () => {
  it('an admin freezes; members pull it read-only; editors are refused; a delete reaches everyone', async () => {
    const admin = await joined('Ada');
    const editor = await joined('Eve', server.fetch, await createInvite(server.store, teamId, 'editor'));
    const fw = demoFramework;
    await admin.db.frameworks.put(fw);
    const [c1, c2] = fw.domains[0]?.standards[0]?.criteria ?? [];
    const kept = await localCreate(
      admin.db,
      random,
      { quote: 'Kept as evidence', criteria: [c1?.id ?? ''] },
      at(),
    );
    await localCreate(admin.db, random, { quote: 'Not in this framework', criteria: ['other:X'] }, at());
    await localAssess(admin.db, c2?.id ?? '', { rating: 'amber', owner: 'Ada' }, at());
    await admin.engine.syncNow({ force: true });

    const content = await buildSubmission(admin.db, {
      id: crypto.randomUUID(),
      name: 'Annual submission 2026',
      frameworkId: fw.id,
      now: new Date('2026-03-01T09:00:00Z'),
    });
    if (!content) throw new Error('no submission built');
    expect(content.set.clips.map((c) => c.id)).toEqual([kept.id]);
    // Hashed as the clip stands after its sync (the team's author stamped on it).
    const synced = await admin.db.clips.get(kept.id);
    expect(synced?.createdBy.name).toBe('Ada');
    expect(content.set.clips[0]?.contentHash).toBe(sha(clipContentText(synced ?? {})));
    expect(content.set.assessments.map((a) => a.criterionId)).toEqual([c2?.id]);
    expect(content.setHash).toBe(sha(submissionSetText(content.set)));

    expect((await editor.engine.createSubmission(content)).ok).toBe(false);
    const made = await admin.engine.createSubmission(content);
    expect(made.ok).toBe(true);
    for (const c of [admin, editor]) {
      await c.engine.syncNow({ force: true });
      const got = await c.db.submissions.get(content.id);
      expect(canonicalJson({ ...got, createdBy: undefined })).toBe(canonicalJson(content));
      expect(got?.createdBy?.name).toBe('Ada');
      expect(await c.db.outbox.count()).toBe(0);
    }
    // Immutable: the same id with other content is refused as a conflict.
    const again = await admin.engine.createSubmission({ ...content, name: 'Renamed' });
    expect(again.ok || again.error.code).toBe('conflict');

    const refused = await editor.engine.deleteSubmission(content.id);
    expect(refused.ok || refused.error.code).toBe('forbidden');
    expect((await admin.engine.deleteSubmission(content.id)).ok).toBe(true);
    for (const c of [admin, editor]) {
      await c.engine.syncNow({ force: true });
      expect(await c.db.submissions.count()).toBe(0);
    }
  });

  it('a client without the submissions feature syncs on and is never sent one', async () => {
    const admin = await joined('Ada');
    const fw = demoFramework;
    await admin.db.frameworks.put(fw);
    const content = await buildSubmission(admin.db, {
      id: crypto.randomUUID(),
      name: 'Before the old client joined',
      frameworkId: fw.id,
      now: new Date(),
    });
    if (!content) throw new Error('no submission built');
    expect((await admin.engine.createSubmission(content)).ok).toBe(true);
    // The 0.1.0 client: names only what it knew (nothing), and parses every pull page strictly.
    const bodies: string[] = [];
    const oldFetch: FetchLike = async (url, init) => {
      const headers = { ...(init?.headers as Record<string, string>) };
      delete headers[FEATURES_HEADER];
      const res = await server.fetch(url, { ...init, headers });
      const text = await res.text();
      if (url.endsWith('/v1/pull')) bodies.push(text);
      return new Response(text, { status: res.status, headers: res.headers });
    };
    const old = await joined('Old', oldFetch);
    await localCreate(admin.db, random, { quote: 'After the freeze', criteria: [] }, at());
    await admin.engine.syncNow({ force: true });
    expect((await old.engine.syncNow({ force: true })).state).toBe('synced');
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) {
      const page = pullResponseSchema.parse(JSON.parse(b));
      expect(page.type === 'changes' && page.changes.some((c) => c.kind === 'submission')).toBe(false);
    }
    expect(await old.db.submissions.count()).toBe(0);
    expect((await old.db.clips.toArray()).map((c) => c.quote)).toContain('After the freeze');
  });
});
