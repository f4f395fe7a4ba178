// Who last changed a clip: the engine keeps `updatedBy` from pulls, and the library's
// "edited by … on …" line names a colleague's edit, never the author's own.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { editedByText, lastEditByOther } from '../../../extension/entrypoints/dashboard/edited-by';
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

beforeEach(async () => {
  ({ server, random, join: joined } = await openTeamFixture(1));
});
afterEach(async () => {
  await server.store.close();
});

it("keeps updatedBy from a pull and shows a colleague's edit", async () => {
  const a = await joined('Ann');
  const b = await joined('Bob');
  const clip = await localCreate(a.db, random, { quote: 'Radiation safety' }, at());
  await a.engine.syncNow({ force: true });
  const own = await a.db.clips.get(clip.id);
  expect(own?.updatedBy?.name ?? 'Ann').toBe('Ann');
  expect(own && editedByText(own)).toBeUndefined();

  await b.engine.syncNow({ force: true });
  await localChange(b.db, clip.id, (c) => ({ ...c, note: 'checked by Bob' }));
  await b.engine.syncNow({ force: true });
  await a.engine.syncNow({ force: true });
  const got = await a.db.clips.get(clip.id);
  expect(got?.note).toBe('checked by Bob');
  expect(got?.createdBy.name).toBe('Ann');
  expect(got?.updatedBy?.name).toBe('Bob');
  expect(got && editedByText(got)).toBe(`edited by Bob on ${got?.updatedAt.slice(0, 10)}`);
});

it('shows nothing for clips without an editor (0.1.0 data) or edited by their author', () => {
  const ann = { id: 'a', name: 'Ann' };
  expect(lastEditByOther({ createdBy: ann, updatedAt: '2026-12-06T10:00:00.000Z' })).toBeUndefined();
  expect(
    lastEditByOther({ createdBy: ann, updatedBy: ann, updatedAt: '2026-12-06T10:00:00.000Z' }),
  ).toBeUndefined();
  expect(
    lastEditByOther({
      createdBy: ann,
      updatedBy: { id: 'b', name: '<b>Bob' },
      updatedAt: '2026-12-06T10:00:00.000Z',
    }),
  ).toEqual({ name: '<b>Bob', date: '2026-12-06' });
});
