// An evidence pack sealed by the extension's code verifies with the server's `verify --pack`
// check; a clip changed after sealing, or never synced, does not pass as sealed. The pack names
// each clip's last editor.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildSeal } from '../../../extension/lib/export/evidence-seal';
import { verifyPack } from '../../../server/verify-pack';
import { buildEvidencePack } from '../../../shared/exports/evidence-pack';
import { readSeal, sealScriptElement } from '../../../shared/exports/evidence-seal';
import { demoFramework } from '../../../shared/frameworks/demo';
import {
  localChange,
  localCreate,
  openTeamFixture,
  type Server,
  type TeamFixture,
} from '../../sync/sim/harness';

let server: Server;
let random: () => number;
let joined: TeamFixture['join'];
const at = () => new Date().toISOString();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeEach(async () => {
  ({ server, random, join: joined } = await openTeamFixture(1));
});
afterEach(async () => {
  await server.store.close();
});

it('a pack sealed by the extension verifies against the server; a changed clip does not', async () => {
  const a = await joined('Ann');
  const b = await joined('Bob');
  const criterion = demoFramework.domains[0]?.standards[0]?.criteria[0]?.id ?? '';
  const one = await localCreate(
    a.db,
    random,
    { quote: 'Radiation <b>safety</b>', criteria: [criterion] },
    at(),
  );
  const two = await localCreate(a.db, random, { quote: 'Hand hygiene', criteria: [criterion] }, at());
  await a.engine.syncNow({ force: true });
  await b.engine.syncNow({ force: true });
  await localChange(b.db, one.id, (c) => ({ ...c, note: 'checked by Bob' }));
  await b.engine.syncNow({ force: true });
  await a.engine.syncNow({ force: true });
  // One more clip, not yet synced: shown, not sealed.
  await localCreate(a.db, random, { quote: 'Not yet synced', criteria: [criterion] }, at());

  const clips = await a.db.clips.toArray();
  const pack = buildEvidencePack({
    framework: demoFramework,
    clips,
    assessments: [],
    today: at().slice(0, 10),
    generatedAt: at(),
  });
  const evidence = pack.domains.flatMap((d) =>
    d.standards.flatMap((s) => s.criteria.flatMap((c) => c.evidence)),
  );
  expect(evidence.find((e) => e.id === one.id)?.lastEditor?.name).toBe('Bob');
  expect(evidence.find((e) => e.id === two.id)?.lastEditor).toBeUndefined();

  const head = await a.engine.logHead();
  if (!head.ok) throw new Error(head.error.message);
  const teamId = (await server.store.db.selectFrom('teams').select('id').executeTakeFirstOrThrow())
    .id as string;
  const { seal, unsealed } = await buildSeal({
    teamId,
    logHead: head.value,
    exportedAt: pack.generatedAt,
    clips,
  });
  expect(unsealed).toBe(1);
  expect(seal.clips.map((c) => c.id).sort()).toEqual([one.id, two.id].sort());
  const html = `<!doctype html><h1>Evidence</h1>${sealScriptElement(seal)}`;
  expect(readSeal(html)).toEqual(seal);
  const report = await verifyPack(server.store, html, sha256);
  expect(report.ok, report.lines.join('\n')).toBe(true);
  // The downloadable JSON alone verifies too.
  expect((await verifyPack(server.store, JSON.stringify(seal), sha256)).ok).toBe(true);

  // A clip whose content differs from the log's (edited here, not synced) fails the check.
  const changed = clips.map((c) => (c.id === two.id ? { ...c, quote: 'Hand hygiene (altered)' } : c));
  const forged = await buildSeal({
    teamId,
    logHead: head.value,
    exportedAt: pack.generatedAt,
    clips: changed,
  });
  expect((await verifyPack(server.store, JSON.stringify(forged.seal), sha256)).ok).toBe(false);
  // Unsent changes are left out of the seal rather than sealed as the log never had them.
  const pending = await buildSeal({
    teamId,
    logHead: head.value,
    exportedAt: pack.generatedAt,
    clips: changed,
    pending: new Set([two.id]),
  });
  expect(pending.seal.clips.map((c) => c.id)).toEqual([one.id]);
  expect((await verifyPack(server.store, JSON.stringify(pending.seal), sha256)).ok).toBe(true);
});
