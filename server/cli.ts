// Admin CLI for the sync server (run next to the server; SQLite or DATABASE_URL as the server):
//   node --import tsx server/cli.ts <command> …   (see `help` and docs/server.md)
// Prints secrets (invite codes) once; stores only their hashes. Admin actions are audited.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { escapeForTerminal as esc } from '../shared/plain-text';
import { roleSchema, TOMBSTONE_RETENTION_DAYS, teamNameSchema } from '../shared/protocol';
import { newInviteCode, sha256Hex } from './auth';
import { readEnv } from './env';
import { openStore } from './store/open';
import { verifyPack } from './verify-pack';

const HELP = `Usage: node --import tsx server/cli.ts <command> [options]

  team create <name>                       create a team; prints its id and a single-use admin invite
  team list                                teams with member counts and change counters
  invite create <teamId> [--role editor|viewer|admin] [--uses N] [--hours H]
  invite list <teamId>
  invite revoke <teamId> <inviteId>
  member list <teamId>                     members and their devices
  member role <teamId> <memberId> <role>
  member revoke <teamId> <memberId>        remove a member and revoke all its device tokens
  device revoke <teamId> <deviceId>        revoke one device token (effective on its next request)
  backup <file>                            online SQLite backup (VACUUM INTO); refuses to overwrite
  purge [--days ${TOMBSTONE_RETENTION_DAYS}]                        purge tombstones older than N days (>= ${TOMBSTONE_RETENTION_DAYS})
  audit [--team <teamId>] [--limit 50]     latest audit events
  verify [--team <teamId>]                 recompute the change log's hash chains and check every
                                           record row against its last entry; exit 0 and OK when intact
  verify --pack <file>                     check an evidence pack's seal: its log head is in the
                                           team's chain and each clip's content hash matches the log

Environment: DATA_DIR (default ./data) or DATABASE_URL, as for the server.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string', default: 'editor' },
      uses: { type: 'string', default: '1' },
      hours: { type: 'string', default: '72' },
      days: { type: 'string', default: String(TOMBSTONE_RETENTION_DAYS) },
      team: { type: 'string' },
      limit: { type: 'string', default: '50' },
      pack: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, action, ...rest] = positionals;
  if (values.help || !group || group === 'help') {
    console.log(HELP);
    return group ? 0 : 1;
  }
  const store = await openStore(readEnv());
  const fail = (msg: string) => {
    console.error(msg);
    return 1;
  };
  const audit = (teamId: string | null, act: string, detail: string) =>
    store.audit({ teamId, actor: 'cli', action: act, outcome: 'ok', detail });
  const int = (v: string | undefined, name: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer ${min}–${max}`);
    return n;
  };
  const printInvite = (code: string, role: string, hours: number, uses: number) => {
    console.log(`Invite (${role}, ${uses} use${uses === 1 ? '' : 's'}, expires in ${hours} h) — shown once:`);
    console.log(`  ${code}`);
  };
  try {
    const key = `${group} ${action ?? ''}`.trim();
    switch (key) {
      case 'team create': {
        const name = [action === 'create' ? rest.join(' ') : ''].join('').trim();
        if (!name) return fail('Usage: team create <name>');
        const parsed = teamNameSchema.safeParse(name);
        if (!parsed.success)
          return fail(
            `Team name refused: ${parsed.error.issues[0]?.message ?? 'invalid'} (at most 200 characters).`,
          );
        const team = await store.createTeam(parsed.data);
        const { code, codeHash } = newInviteCode();
        await store.createInvite(team.id, {
          role: 'admin',
          maxUses: 1,
          expiresAt: Date.now() + 72 * 3_600_000,
          codeHash,
          createdBy: null,
        });
        await audit(team.id, 'team.create', team.name);
        console.log(`Team "${esc(team.name)}" created: ${team.id}`);
        printInvite(code, 'admin', 72, 1);
        return 0;
      }
      case 'team list': {
        for (const t of await store.listTeams())
          console.log(`${t.id}  ${esc(t.name)}  members=${t.members}  seq=${t.seq}`);
        return 0;
      }
      case 'invite create': {
        const [teamId] = rest;
        if (!teamId || !(await store.getTeam(teamId))) return fail('Unknown team id');
        const role = roleSchema.parse(values.role);
        const uses = int(values.uses, 'uses', 1, 1000);
        const hours = int(values.hours, 'hours', 1, 24 * 30);
        const { code, codeHash } = newInviteCode();
        const inv = await store.createInvite(teamId, {
          role,
          maxUses: uses,
          expiresAt: Date.now() + hours * 3_600_000,
          codeHash,
          createdBy: null,
        });
        await audit(teamId, 'invite.create', `${inv.id} role=${role} uses=${uses}`);
        printInvite(code, role, hours, uses);
        return 0;
      }
      case 'invite list': {
        const [teamId] = rest;
        if (!teamId) return fail('Usage: invite list <teamId>');
        for (const i of await store.listInvites(teamId))
          console.log(
            `${i.id}  ${i.role}  uses=${i.uses}/${i.maxUses}  expires=${i.expiresAt}  by=${i.createdBy ?? 'cli'}${i.revokedAt ? '  REVOKED' : ''}`,
          );
        return 0;
      }
      case 'invite revoke': {
        const [teamId, id] = rest;
        if (!teamId || !id || !(await store.revokeInvite(teamId, id)))
          return fail('No such invite in that team');
        await audit(teamId, 'invite.revoke', id);
        console.log('Invite revoked.');
        return 0;
      }
      case 'member list': {
        const [teamId] = rest;
        if (!teamId) return fail('Usage: member list <teamId>');
        const devices = await store.listDevices(teamId);
        for (const m of await store.listMembers(teamId)) {
          console.log(`${m.id}  ${esc(m.displayName)}  ${m.role}  ${m.status}`);
          for (const d of devices.filter((x) => x.memberId === m.id))
            console.log(
              `    device ${d.id}  "${esc(d.label)}"  last used ${d.lastUsedAt ?? 'never'}${d.revokedAt ? '  REVOKED' : ''}`,
            );
        }
        return 0;
      }
      case 'member role': {
        const [teamId, id, role] = rest;
        if (!teamId || !id || !role) return fail('Usage: member role <teamId> <memberId> <role>');
        const m = await store.setRole(teamId, id, roleSchema.parse(role));
        if (!m) return fail('No such member in that team');
        await audit(teamId, 'member.role', `${id} -> ${m.role}`);
        console.log(`${esc(m.displayName)} is now ${m.role}.`);
        return 0;
      }
      case 'member revoke': {
        const [teamId, id] = rest;
        if (!teamId || !id || !(await store.removeMember(teamId, id)))
          return fail('No such member in that team');
        await audit(teamId, 'member.remove', id);
        console.log('Member removed; all its devices are revoked.');
        return 0;
      }
      case 'device revoke': {
        const [teamId, id] = rest;
        if (!teamId || !id || !(await store.revokeDevice(teamId, id)))
          return fail('No such device in that team');
        await audit(teamId, 'device.revoke', id);
        console.log('Device revoked.');
        return 0;
      }
      default:
        break;
    }
    if (group === 'backup') {
      const target = action;
      if (!target) return fail('Usage: backup <file>');
      const started = Date.now();
      await store.backup(target);
      await audit(null, 'backup', target);
      console.log(`Backup written to ${target} in ${Date.now() - started} ms.`);
      return 0;
    }
    if (group === 'purge') {
      const days = int(values.days, 'days', TOMBSTONE_RETENTION_DAYS, 36_500);
      const n = await store.purgeTombstones(Date.now() - days * 86_400_000);
      await audit(null, 'tombstones.purge', `${n} older than ${days} days`);
      console.log(`Purged ${n} tombstone(s) older than ${days} days.`);
      return 0;
    }
    if (group === 'verify') {
      const started = Date.now();
      if (values.pack) {
        const out = await verifyPack(store, fs.readFileSync(values.pack, 'utf8'), sha256Hex);
        for (const line of out.lines) console.log(esc(line));
        return out.ok ? 0 : 1;
      }
      if (values.team && !(await store.getTeam(values.team))) return fail('Unknown team id');
      const report = await store.verifyLog(values.team);
      const ms = Date.now() - started;
      const p = report.problem;
      if (p) {
        console.error(
          esc(
            `BROKEN: team ${p.teamId}, first broken entry seq ${p.seq ?? '(none)'}${p.kind ? ` (${p.kind} ${p.key})` : ''}: ${p.reason}`,
          ),
        );
        console.error(`Checked ${report.entries} log entries and ${report.records} records in ${ms} ms.`);
        return 3;
      }
      console.log(
        `OK: ${report.teams} team(s), ${report.entries} log entries, ${report.records} records verified in ${ms} ms.`,
      );
      return 0;
    }
    if (group === 'audit') {
      const limit = int(values.limit, 'limit', 1, 10_000);
      for (const e of await store.listAudit(limit, values.team))
        console.log(
          esc(
            `${e.ts}  ${e.outcome.padEnd(6)}  ${e.action}  team=${e.teamId ?? '-'}  actor=${e.actor ?? '-'}  ${e.detail}`,
          ),
        );
      return 0;
    }
    return fail(`Unknown command "${key}".\n\n${HELP}`);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    await store.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
