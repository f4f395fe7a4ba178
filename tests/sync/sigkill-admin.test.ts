// SIGKILL during the admin writes added after the push suite: framework publishes
// (PUT /v1/frameworks/:id, new ids and re-publishes of one id) and invite creation. A real server
// process is killed at random moments and restarted; after every kill each acknowledged write is
// on disk, and a framework is always one whole version, never a mix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { headers } from '../server/helpers';
import {
  crashLoop,
  freePort,
  joinOverHttp,
  onDisk,
  type ServerProcess,
  seedTeamOffline,
  startServer,
  Writers,
} from './server-process';

const CYCLES = 20;
const CRITERIA = 30;

/** A framework whose every criterion title carries its version: a mix of versions is detectable. */
function framework(id: string, version: number) {
  return {
    format: 'qsi-evidence-clipper/framework@1',
    id,
    name: `${id} v${version}`,
    domains: [
      {
        id: 'd',
        title: 'Domain',
        standards: [
          {
            id: 'd.s',
            title: 'Standard',
            criteria: Array.from({ length: CRITERIA }, (_, i) => ({
              id: `${id}:C-${i}`,
              code: `C-${i}`,
              title: `Criterion ${i} of v${version}`,
            })),
          },
        ],
      },
    ],
  };
}

describe('SIGKILL during admin writes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-sigkill-admin-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged publish and invite, and whole frameworks, across ${CYCLES} kills`, async () => {
    const store = await openSqliteStore({ file: path.join(dir, 'clipper.sqlite') });
    const [code = ''] = await seedTeamOffline(store, 'Admin crash team', ['admin']);
    await store.close();

    const env = { DATA_DIR: dir, PORT: String(await freePort()) };
    server = await startServer(env);
    const base = server.url;
    const token = await joinOverHttp(base, code, 'Admin');

    const ackedFrameworks = new Set<string>();
    const ackedInvites = new Set<string>();
    let sharedAcked = 0;
    let running = true;
    let acks = 0;
    let publishAcks = 0;
    const writers = new Writers();

    const publish = async (id: string, version: number) => {
      const r = await fetch(`${base}/v1/frameworks/${id}`, {
        method: 'PUT',
        headers: headers(token),
        body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, framework: framework(id, version) }),
      });
      if (r.status !== 200) throw new Error(`publish ${r.status}`);
    };
    // Client 1: new frameworks, then re-publishes of "shared" with a rising version (an outbox:
    // the same write is retried until acknowledged).
    const publisher = (async () => {
      let n = 0;
      while (running) {
        const id = `fw-${n}`;
        const version = n;
        await writers.attempt(async () => {
          await publish(id, 0);
          ackedFrameworks.add(id);
          await publish('shared', version);
          sharedAcked = Math.max(sharedAcked, version);
          publishAcks++;
          n++;
        });
      }
    })();
    // Client 2: invites.
    const inviter = (async () => {
      while (running) {
        await writers.attempt(async () => {
          const r = await fetch(`${base}/v1/invites`, {
            method: 'POST',
            headers: headers(token),
            body: JSON.stringify({
              protocolVersion: PROTOCOL_VERSION,
              role: 'viewer',
              maxUses: 1,
              expiresInHours: 1,
            }),
          });
          if (r.status !== 201) throw new Error(`invite ${r.status}`);
          ackedInvites.add(((await r.json()) as { invite: { id: string } }).invite.id);
          acks++;
        });
      }
    })();

    const checkDisk = () =>
      onDisk(path.join(dir, 'clipper.sqlite'), (db) => {
        const rows = db.prepare("select key, data from records where kind = 'framework'").all() as {
          key: string;
          data: string;
        }[];
        const stored = new Map(rows.map((r) => [r.key, JSON.parse(r.data) as ReturnType<typeof framework>]));
        for (const id of ackedFrameworks)
          expect(stored.has(id), `acknowledged publish ${id} lost`).toBe(true);
        for (const [id, f] of stored) {
          const version = Number(/ v(\d+)$/.exec(f.name)?.[1]);
          const titles = f.domains[0]?.standards[0]?.criteria.map((c) => c.title) ?? [];
          expect(titles.length, `framework ${id} incomplete`).toBe(CRITERIA);
          expect(new Set(titles.map((t) => t.split(' of ')[1])), `framework ${id} mixes versions`).toEqual(
            new Set([`v${version}`]),
          );
          if (id === 'shared') expect(version).toBeGreaterThanOrEqual(sharedAcked);
        }
        const invites = new Set(
          (db.prepare('select id from invites').all() as { id: string }[]).map((r) => r.id),
        );
        for (const id of ackedInvites) expect(invites.has(id), `acknowledged invite ${id} lost`).toBe(true);
      });

    const killedInFlight = await crashLoop({
      cycles: CYCLES,
      server,
      env,
      progress: () => [acks, publishAcks],
      inFlight: () => writers.inFlight,
      checkDisk,
      onRestart: (s) => {
        server = s;
      },
    });
    running = false;
    await Promise.all([publisher, inviter]);
    checkDisk();
    expect(ackedFrameworks.size).toBeGreaterThanOrEqual(CYCLES / 2);
    expect(killedInFlight).toBeGreaterThanOrEqual(CYCLES / 2);
    console.log(
      `[sigkill-admin] ${CYCLES} kills (${killedInFlight} with a write in flight): ${ackedFrameworks.size} publishes + ${sharedAcked} re-publishes, ${ackedInvites.size} invites acknowledged, all on disk, no mixed framework`,
    );
  }, 120_000);
});
