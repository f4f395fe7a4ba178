// The Store over Kysely, shared by SQLite and PostgreSQL. Every write runs in one transaction that
// first takes the team's counter row (BEGIN IMMEDIATE on SQLite, SELECT … FOR UPDATE on
// PostgreSQL), so seqs are handed out in commit order and a pull never skips a change (design §7).
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type InferResult, type Kysely, sql, type Transaction } from 'kysely';
import { AppError } from '../../shared/errors';
import {
  canonicalJson,
  initialVersions,
  type MergeState,
  mergePatch,
  normaliseSet,
  sameValue,
} from '../../shared/merge';
import {
  type Change,
  clipScalarFields,
  type DeviceInfo,
  type InviteInfo,
  type MemberInfo,
  type Mutation,
  type MutationResult,
  PROTOCOL_VERSION,
  type PullResponse,
  type Role,
  roleSchema,
  type TeamInfo,
} from '../../shared/protocol';
import type { Framework } from '../../shared/schemas';
import type { RecordRows } from './record-rows';
import type { Database, DevicesTable, InvitesTable, MembersTable } from './schema';
import type {
  Actor,
  AuditEvent,
  AuditRow,
  DeviceAuth,
  IncomingMutation,
  PushOutcome,
  Store,
  StoreHooks,
  TeamHead,
} from './store';

type Db = Kysely<Database>;
type Tx = Kysely<Database> | Transaction<Database>;

export interface SqlStoreOptions {
  db: Db;
  /** A second connection for the hot read paths (SQLite); defaults to `db`. Reads of committed
   *  data only, so it must see what `db` committed (a WAL reader does). */
  readDb?: Db;
  dialect: 'sqlite' | 'postgres';
  /** How push reads and upserts `records` rows (record-rows.ts). */
  records: RecordRows;
  now: () => number;
  hooks?: StoreHooks;
  /** Called by close() after the Kysely instance is destroyed. */
  onClose?: () => Promise<void> | void;
  /** SQLite: online backup. */
  backup?: (targetPath: string) => Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const CLIP_VERSIONED = [...clipScalarFields, 'criteria'] as const;
/** Transient PostgreSQL errors worth one more try: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

function memberInfo(m: MembersTable): MemberInfo {
  return {
    id: m.id,
    displayName: m.display_name,
    role: roleSchema.parse(m.role),
    status: m.status === 'removed' ? 'removed' : 'active',
    createdAt: iso(m.created_at),
  };
}

function deviceInfo(d: DevicesTable): DeviceInfo {
  return {
    id: d.id,
    memberId: d.member_id,
    label: d.label,
    createdAt: iso(d.created_at),
    lastUsedAt: isoOrNull(d.last_used_at),
    revokedAt: isoOrNull(d.revoked_at),
  };
}

function inviteInfo(i: InvitesTable): InviteInfo {
  return {
    id: i.id,
    role: roleSchema.parse(i.role),
    maxUses: i.max_uses,
    uses: i.uses,
    expiresAt: iso(i.expires_at),
    createdAt: iso(i.created_at),
    revokedAt: isoOrNull(i.revoked_at),
  };
}

function parseJsonObject(text: string | null): Record<string, unknown> {
  if (!text) return {};
  const v: unknown = JSON.parse(text);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function parseVersions(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parseJsonObject(text))) if (typeof v === 'number') out[k] = v;
  return out;
}

/** A device with its member and its team's counter row: what authenticating a request needs. */
function deviceQuery(db: Db, deviceId: string) {
  return db
    .selectFrom('devices')
    .innerJoin('members', 'members.id', 'devices.member_id')
    .innerJoin('teams', 'teams.id', 'devices.team_id')
    .select([
      'devices.id as d_id',
      'devices.team_id as d_team_id',
      'devices.member_id as d_member_id',
      'devices.token_hash as d_token_hash',
      'devices.label as d_label',
      'devices.created_at as d_created_at',
      'devices.last_used_at as d_last_used_at',
      'devices.revoked_at as d_revoked_at',
      'members.id as m_id',
      'members.team_id as m_team_id',
      'members.display_name as m_display_name',
      'members.role as m_role',
      'members.status as m_status',
      'members.created_at as m_created_at',
      'teams.id as t_id',
      'teams.name as t_name',
      'teams.seq as t_seq',
      'teams.min_valid_cursor as t_min_valid_cursor',
    ])
    .where('devices.id', '=', deviceId);
}
type DeviceRow = InferResult<ReturnType<typeof deviceQuery>>[number];

/** One record as held in memory during a push (the final state is upserted at the end). */
interface WorkingRecord {
  kind: string;
  key: string;
  seq: number;
  deleted: boolean;
  deletedAt: number | null;
  data: Record<string, unknown> | null;
  versions: Record<string, number>;
  dirty: boolean;
}

/** Hands out the team's next seq numbers inside a write transaction. */
interface SeqCounter {
  value: number;
  next(): number;
}

export class SqlStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly #db: Db;
  readonly #read: Db;
  readonly #records: RecordRows;
  readonly #deviceSql: string;
  readonly #now: () => number;
  readonly #hooks: StoreHooks;
  readonly #opts: SqlStoreOptions;

  constructor(opts: SqlStoreOptions) {
    this.#db = opts.db;
    this.#read = opts.readDb ?? opts.db;
    this.dialect = opts.dialect;
    this.#records = opts.records;
    this.#deviceSql = deviceQuery(this.#read, '').compile().sql;
    this.#now = opts.now;
    this.#hooks = opts.hooks ?? {};
    this.#opts = opts;
  }

  /** The raw Kysely instance (tests and the CLI inspect tables through it). */
  get db(): Db {
    return this.#db;
  }

  async ping() {
    await sql`select 1`.execute(this.#db);
  }

  async close() {
    await this.#db.destroy();
    await this.#opts.onClose?.();
  }

  // ------------------------------------------------------------------ transactions

  /**
   * Run `fn` in a write transaction holding team `teamId`'s counter row.
   * 1. BEGIN (IMMEDIATE on SQLite: the write lock is taken now, so no SQLITE_BUSY upgrade later).
   * 2. Read the team row, `FOR UPDATE` on PostgreSQL: writers of one team queue here.
   * 3. `fn` stamps changed rows with `counter.next()`.
   * 4. Store the counter and COMMIT; any error rolls everything back, counter included.
   */
  async #write<T>(teamId: string, fn: (tx: Tx, counter: SeqCounter) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#db.connection().execute(async (conn) => {
          await sql.raw(this.dialect === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
          try {
            const team = await conn
              .selectFrom('teams')
              .select(['seq'])
              .where('id', '=', teamId)
              .$if(this.dialect === 'postgres', (q) => q.forUpdate())
              .executeTakeFirst();
            if (!team) throw new AppError('not_found', 'Team not found');
            const counter: SeqCounter = {
              value: Number(team.seq),
              next() {
                this.value += 1;
                return this.value;
              },
            };
            const start = counter.value;
            const result = await fn(conn, counter);
            if (counter.value !== start) {
              await conn.updateTable('teams').set({ seq: counter.value }).where('id', '=', teamId).execute();
            }
            await this.#hooks.beforeCommit?.();
            await sql.raw('commit').execute(conn);
            return result;
          } catch (error) {
            await sql
              .raw('rollback')
              .execute(conn)
              .catch(() => undefined);
            throw error;
          }
        });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt < 3 && typeof code === 'string' && RETRYABLE.has(code)) continue;
        throw error;
      }
    }
  }

  // ------------------------------------------------------------------ teams, invites, members

  async createTeam(name: string): Promise<TeamInfo> {
    const id = randomUUID();
    await this.#db
      .insertInto('teams')
      .values({ id, name, seq: 0, min_valid_cursor: 0, created_at: this.#now() })
      .execute();
    return { id, name };
  }

  async listTeams() {
    const rows = await this.#db
      .selectFrom('teams')
      .leftJoin('members', (j) =>
        j.onRef('members.team_id', '=', 'teams.id').on('members.status', '=', 'active'),
      )
      .select(['teams.id', 'teams.name', 'teams.seq'])
      .select((eb) => eb.fn.count<number>('members.id').as('members'))
      .groupBy(['teams.id', 'teams.name', 'teams.seq'])
      .orderBy('teams.name')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, seq: Number(r.seq), members: Number(r.members) }));
  }

  async getTeam(teamId: string): Promise<TeamInfo | undefined> {
    const row = await this.#db
      .selectFrom('teams')
      .select(['id', 'name'])
      .where('id', '=', teamId)
      .executeTakeFirst();
    return row ? { id: row.id, name: row.name } : undefined;
  }

  async createInvite(
    teamId: string,
    input: { role: Role; maxUses: number; expiresAt: number; codeHash: string; createdBy: string | null },
  ): Promise<InviteInfo> {
    const row: InvitesTable = {
      id: randomUUID(),
      team_id: teamId,
      code_hash: input.codeHash,
      role: input.role,
      max_uses: input.maxUses,
      uses: 0,
      expires_at: input.expiresAt,
      created_by: input.createdBy,
      created_at: this.#now(),
      revoked_at: null,
    };
    await this.#db.insertInto('invites').values(row).execute();
    return inviteInfo(row);
  }

  async listInvites(teamId: string): Promise<InviteInfo[]> {
    const rows = await this.#db
      .selectFrom('invites')
      .selectAll()
      .where('team_id', '=', teamId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(inviteInfo);
  }

  revokeInvite(teamId: string, inviteId: string): Promise<boolean> {
    return this.#revoke('invites', teamId, inviteId);
  }

  /** Marks a team's invite or device revoked; true when it exists (revoked now or before). */
  async #revoke(table: 'invites' | 'devices', teamId: string, id: string): Promise<boolean> {
    const res = await this.#db
      .updateTable(table)
      .set({ revoked_at: this.#now() })
      .where('team_id', '=', teamId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) > 0) return true;
    const exists = await this.#db
      .selectFrom(table)
      .select('id')
      .where('team_id', '=', teamId)
      .where('id', '=', id)
      .executeTakeFirst();
    return exists !== undefined;
  }

  async redeemInvite(input: {
    codeHash: string;
    displayName: string;
    deviceLabel: string;
    deviceId: string;
    tokenHash: string;
  }) {
    const found = await this.#db
      .selectFrom('invites')
      .select(['team_id'])
      .where('code_hash', '=', input.codeHash)
      .executeTakeFirst();
    if (!found) return undefined;
    return this.#write(found.team_id, async (tx) => {
      const now = this.#now();
      // Re-read under the team lock: concurrent redemptions of a single-use code serialise here.
      const invite = await tx
        .selectFrom('invites')
        .selectAll()
        .where('code_hash', '=', input.codeHash)
        .executeTakeFirst();
      if (!invite || invite.revoked_at !== null || invite.expires_at <= now || invite.uses >= invite.max_uses)
        return undefined;
      await tx
        .updateTable('invites')
        .set({ uses: invite.uses + 1 })
        .where('id', '=', invite.id)
        .execute();
      const member: MembersTable = {
        id: randomUUID(),
        team_id: invite.team_id,
        display_name: input.displayName,
        role: invite.role,
        status: 'active',
        created_at: now,
      };
      await tx.insertInto('members').values(member).execute();
      const device: DevicesTable = {
        id: input.deviceId,
        team_id: invite.team_id,
        member_id: member.id,
        token_hash: input.tokenHash,
        label: input.deviceLabel,
        created_at: now,
        last_used_at: now,
        revoked_at: null,
      };
      await tx.insertInto('devices').values(device).execute();
      const team = await tx
        .selectFrom('teams')
        .select(['id', 'name'])
        .where('id', '=', invite.team_id)
        .executeTakeFirstOrThrow();
      return {
        team: { id: team.id, name: team.name },
        member: memberInfo(member),
        device: deviceInfo(device),
      };
    });
  }

  async addDevice(
    teamId: string,
    memberId: string,
    input: { deviceId: string; tokenHash: string; label: string },
  ) {
    const member = await this.#db
      .selectFrom('members')
      .select(['id', 'status'])
      .where('team_id', '=', teamId)
      .where('id', '=', memberId)
      .executeTakeFirst();
    if (member?.status !== 'active') return undefined;
    const device: DevicesTable = {
      id: input.deviceId,
      team_id: teamId,
      member_id: memberId,
      token_hash: input.tokenHash,
      label: input.label,
      created_at: this.#now(),
      last_used_at: null,
      revoked_at: null,
    };
    await this.#db.insertInto('devices').values(device).execute();
    return deviceInfo(device);
  }

  async findDevice(deviceId: string): Promise<DeviceAuth | undefined> {
    // Built once (building it cost more than running it); its one parameter is the device id.
    const { rows } = await this.#read.executeQuery<DeviceRow>(CompiledQuery.raw(this.#deviceSql, [deviceId]));
    const row = rows[0];
    if (!row) return undefined;
    const device: DevicesTable = {
      id: row.d_id,
      team_id: row.d_team_id,
      member_id: row.d_member_id,
      token_hash: row.d_token_hash,
      label: row.d_label,
      created_at: Number(row.d_created_at),
      last_used_at: row.d_last_used_at === null ? null : Number(row.d_last_used_at),
      revoked_at: row.d_revoked_at === null ? null : Number(row.d_revoked_at),
    };
    return {
      device: { ...deviceInfo(device), tokenHash: device.token_hash },
      member: memberInfo({
        id: row.m_id,
        team_id: row.m_team_id,
        display_name: row.m_display_name,
        role: row.m_role,
        status: row.m_status,
        created_at: Number(row.m_created_at),
      }),
      team: { id: row.t_id, name: row.t_name },
      head: { seq: Number(row.t_seq), minValidCursor: Number(row.t_min_valid_cursor) },
    };
  }

  async touchDevices(deviceIds: string[]) {
    for (let i = 0; i < deviceIds.length; i += 500)
      await this.#db
        .updateTable('devices')
        .set({ last_used_at: this.#now() })
        .where('id', 'in', deviceIds.slice(i, i + 500))
        .execute();
  }

  async listMembers(teamId: string): Promise<MemberInfo[]> {
    const rows = await this.#db
      .selectFrom('members')
      .selectAll()
      .where('team_id', '=', teamId)
      .orderBy('created_at')
      .execute();
    return rows.map(memberInfo);
  }

  async listDevices(teamId: string): Promise<DeviceInfo[]> {
    const rows = await this.#db
      .selectFrom('devices')
      .selectAll()
      .where('team_id', '=', teamId)
      .orderBy('created_at')
      .execute();
    return rows.map(deviceInfo);
  }

  /** The last active admin may be neither demoted nor removed (the team would be unmanageable). */
  async #assertNotLastAdmin(tx: Tx, teamId: string, memberId: string) {
    const admins = await tx
      .selectFrom('members')
      .select('id')
      .where('team_id', '=', teamId)
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .execute();
    if (admins.length === 1 && admins[0]?.id === memberId)
      throw new AppError('conflict', 'The last admin of a team cannot be demoted or removed');
  }

  async setRole(teamId: string, memberId: string, role: Role) {
    return this.#write(teamId, async (tx) => {
      const m = await tx
        .selectFrom('members')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('id', '=', memberId)
        .executeTakeFirst();
      if (!m) return undefined;
      if (m.role === 'admin' && role !== 'admin') await this.#assertNotLastAdmin(tx, teamId, memberId);
      await tx.updateTable('members').set({ role }).where('id', '=', memberId).execute();
      return memberInfo({ ...m, role });
    });
  }

  async removeMember(teamId: string, memberId: string) {
    return this.#write(teamId, async (tx) => {
      const m = await tx
        .selectFrom('members')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('id', '=', memberId)
        .executeTakeFirst();
      if (!m) return false;
      if (m.status === 'active' && m.role === 'admin') await this.#assertNotLastAdmin(tx, teamId, memberId);
      const now = this.#now();
      await tx.updateTable('members').set({ status: 'removed' }).where('id', '=', memberId).execute();
      await tx
        .updateTable('devices')
        .set({ revoked_at: now })
        .where('member_id', '=', memberId)
        .where('revoked_at', 'is', null)
        .execute();
      return true;
    });
  }

  revokeDevice(teamId: string, deviceId: string) {
    return this.#revoke('devices', teamId, deviceId);
  }

  // ------------------------------------------------------------------ push

  /**
   * Apply a batch in one write transaction:
   * 1. Bind `clientId` to the member on first use; another member's client id is refused (403).
   * 2. Ids ≤ the client's `last_mutation_id` were processed before: replay the stored result
   *    (or `rejected: stale_mutation` when the id was skipped over), never apply again.
   * 3. Newer ids are applied in order; each ends `applied`, `conflict` or `rejected`, and a
   *    rejected one is recorded as processed so it never blocks the queue.
   * 4. Results, changed records and the new `last_mutation_id` commit together, so a crash
   *    leaves either the whole batch or none of it.
   */
  async push(actor: Actor, clientId: string, incoming: IncomingMutation[]): Promise<PushOutcome> {
    return this.#write(actor.teamId, async (tx, counter) => {
      const now = this.#now();
      const client = await tx
        .selectFrom('clients')
        .select(['member_id', 'last_mutation_id'])
        .where('team_id', '=', actor.teamId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      if (client && client.member_id !== actor.memberId)
        throw new AppError('forbidden', 'This client id belongs to another member');
      const last = client ? Number(client.last_mutation_id) : 0;
      const idOf = (m: IncomingMutation) => (m.ok ? m.mutation.mutationId : m.mutationId);

      const replayIds = incoming.map(idOf).filter((id) => id <= last);
      const stored = replayIds.length
        ? await this.#storedResults(tx, actor.teamId, clientId, replayIds)
        : new Map<number, MutationResult>();

      const fresh = incoming.filter((m) => idOf(m) > last);
      const records = await this.#loadRecords(tx, actor.teamId, fresh);
      const results: MutationResult[] = [];
      const newResults: MutationResult[] = [];
      for (const m of incoming) {
        const id = idOf(m);
        if (id <= last) {
          results.push(
            stored.get(id) ?? {
              mutationId: id,
              status: 'rejected',
              code: 'stale_mutation',
              message: `mutation ${id} arrived after mutation ${last} of this client was processed`,
            },
          );
          continue;
        }
        const result = m.ok
          ? this.#apply(actor, m.mutation, records, counter, now)
          : ({ mutationId: id, status: 'rejected', code: 'validation_failed', message: m.message } as const);
        results.push(result);
        newResults.push(result);
      }
      if (fresh.length === 0) return { results, lastMutationId: last };

      await this.#saveRecords(
        tx,
        actor.teamId,
        [...records.values()].filter((r) => r.dirty),
        now,
      );
      await tx
        .insertInto('push_results')
        .values({
          team_id: actor.teamId,
          client_id: clientId,
          first_id: newResults[0]?.mutationId ?? 0,
          last_id: newResults[newResults.length - 1]?.mutationId ?? 0,
          results: JSON.stringify(newResults),
          created_at: now,
        })
        .execute();
      const lastMutationId = idOf(fresh[fresh.length - 1] as IncomingMutation);
      if (client) {
        await tx
          .updateTable('clients')
          .set({ last_mutation_id: lastMutationId, updated_at: now })
          .where('team_id', '=', actor.teamId)
          .where('client_id', '=', clientId)
          .execute();
      } else {
        await tx
          .insertInto('clients')
          .values({
            team_id: actor.teamId,
            client_id: clientId,
            member_id: actor.memberId,
            last_mutation_id: lastMutationId,
            updated_at: now,
          })
          .execute();
      }
      return { results, lastMutationId };
    });
  }

  /** The stored results of already-processed mutation ids (batches overlapping them, then the
   *  per-mutation table written before migration 0003). */
  async #storedResults(tx: Tx, teamId: string, clientId: string, ids: number[]) {
    const stored = new Map<number, MutationResult>();
    const wanted = new Set(ids);
    const lo = Math.min(...ids);
    const hi = Math.max(...ids);
    const batches = await tx
      .selectFrom('push_results')
      .select('results')
      .where('team_id', '=', teamId)
      .where('client_id', '=', clientId)
      .where('first_id', '<=', hi)
      .where('last_id', '>=', lo)
      .execute();
    for (const b of batches)
      for (const r of JSON.parse(b.results) as MutationResult[])
        if (wanted.has(r.mutationId)) stored.set(r.mutationId, r);
    const missing = ids.filter((id) => !stored.has(id));
    for (let i = 0; i < missing.length; i += 500) {
      const rows = await tx
        .selectFrom('mutation_results')
        .select(['mutation_id', 'result'])
        .where('team_id', '=', teamId)
        .where('client_id', '=', clientId)
        .where('mutation_id', 'in', missing.slice(i, i + 500))
        .execute();
      for (const r of rows) stored.set(Number(r.mutation_id), JSON.parse(r.result) as MutationResult);
    }
    return stored;
  }

  static #recordKey(m: Mutation): [string, string] {
    switch (m.type) {
      case 'clip.create':
        return ['clip', m.clip.id];
      case 'clip.update':
      case 'clip.delete':
        return ['clip', m.id];
      case 'assessment.update':
        return ['assessment', m.criterionId];
      case 'framework.publish':
        return ['framework', m.framework.id];
      case 'framework.withdraw':
        return ['framework', m.frameworkId];
    }
  }

  async #loadRecords(tx: Tx, teamId: string, incoming: IncomingMutation[]) {
    const map = new Map<string, WorkingRecord>();
    const wanted = new Map<string, Set<string>>();
    for (const m of incoming) {
      if (!m.ok) continue;
      const [kind, key] = SqlStore.#recordKey(m.mutation);
      const set = wanted.get(kind) ?? new Set<string>();
      set.add(key);
      wanted.set(kind, set);
    }
    for (const [kind, keys] of wanted) {
      for (const r of await this.#records.load(tx, teamId, kind, [...keys])) {
        map.set(`${kind}\u0000${r.key}`, {
          kind,
          key: r.key,
          seq: Number(r.seq),
          deleted: Number(r.deleted) === 1,
          deletedAt: r.deleted_at === null ? null : Number(r.deleted_at),
          data: r.data === null ? null : parseJsonObject(r.data),
          versions: parseVersions(r.versions),
          dirty: false,
        });
      }
    }
    return map;
  }

  async #saveRecords(tx: Tx, teamId: string, dirty: WorkingRecord[], now: number) {
    await this.#records.save(
      tx,
      dirty.map((r) => ({
        team_id: teamId,
        kind: r.kind,
        key: r.key,
        seq: r.seq,
        deleted: r.deleted ? 1 : 0,
        deleted_at: r.deletedAt,
        data: r.data === null ? null : JSON.stringify(r.data),
        versions: JSON.stringify(r.versions),
        updated_at: now,
      })),
    );
  }

  /** Apply one validated mutation to the in-memory records (pure apart from `counter`). */
  #apply(
    actor: Actor,
    m: Mutation,
    records: Map<string, WorkingRecord>,
    counter: SeqCounter,
    now: number,
  ): MutationResult {
    const [kind, key] = SqlStore.#recordKey(m);
    const mapKey = `${kind}\u0000${key}`;
    const rec = records.get(mapKey);
    const put = (r: Omit<WorkingRecord, 'seq' | 'dirty'>) => {
      const seq = counter.next();
      const next: WorkingRecord = { ...r, seq, dirty: true };
      records.set(mapKey, next);
      return next;
    };
    const rejected = (code: string, message: string): MutationResult => ({
      mutationId: m.mutationId,
      status: 'rejected',
      code,
      message,
    });
    switch (m.type) {
      case 'clip.create': {
        const data: Record<string, unknown> = {
          ...m.clip,
          criteria: normaliseSet(m.clip.criteria),
          createdBy: { id: actor.memberId, name: actor.memberName },
        };
        if (rec) {
          if (rec.deleted)
            return {
              mutationId: m.mutationId,
              status: 'conflict',
              fields: ['deleted'],
              server: { deleted: true },
            };
          const differing = Object.keys(data).filter(
            (f) => f !== 'updatedAt' && f !== 'createdAt' && !sameValue(data[f], rec.data?.[f]),
          );
          if (differing.length === 0)
            return { mutationId: m.mutationId, status: 'applied', seq: rec.seq, versions: rec.versions };
          return {
            mutationId: m.mutationId,
            status: 'conflict',
            fields: differing,
            server: rec.data ?? {},
          };
        }
        const seqPreview = counter.value + 1;
        const created = put({
          kind,
          key,
          deleted: false,
          deletedAt: null,
          data,
          versions: initialVersions(data, CLIP_VERSIONED, seqPreview),
        });
        return { mutationId: m.mutationId, status: 'applied', seq: created.seq, versions: created.versions };
      }
      case 'clip.update':
      case 'assessment.update': {
        let state: MergeState;
        if (m.type === 'clip.update') {
          if (!rec) return rejected('not_found', 'No such clip in this team');
          if (rec.deleted || !rec.data)
            return {
              mutationId: m.mutationId,
              status: 'conflict',
              fields: ['deleted'],
              server: { deleted: true },
            };
          state = { data: rec.data, versions: rec.versions };
        } else {
          state = rec?.data
            ? { data: rec.data, versions: rec.versions }
            : {
                data: { criterionId: m.criterionId, rating: 'unrated', owner: '', action: '', comment: '' },
                versions: {},
              };
        }
        const set: Record<string, unknown> = { ...m.set };
        if (m.type === 'assessment.update' && set.dueDate === '') set.dueDate = undefined;
        const sets =
          m.type === 'clip.update'
            ? { criteria: { add: m.criteriaAdd, remove: m.criteriaRemove } }
            : undefined;
        const seqPreview = counter.value + 1;
        const out = mergePatch(state, { base: m.base, set, sets }, seqPreview);
        let seq = rec?.seq ?? 0;
        let versions = state.versions;
        if (out.changed) {
          const data =
            m.type === 'clip.update'
              ? { ...out.data, updatedAt: iso(now) }
              : {
                  ...out.data,
                  updatedAt: iso(now),
                  updatedBy: { id: actor.memberId, name: actor.memberName },
                };
          const saved = put({ kind, key, deleted: false, deletedAt: null, data, versions: out.versions });
          seq = saved.seq;
          versions = saved.versions;
        }
        if (out.conflicts.length > 0)
          return {
            mutationId: m.mutationId,
            status: 'conflict',
            fields: out.conflicts,
            server: out.server,
            ...(out.changed ? { seq, versions } : {}),
          };
        return { mutationId: m.mutationId, status: 'applied', seq, versions };
      }
      case 'clip.delete':
      case 'framework.withdraw': {
        if (m.type === 'framework.withdraw' && actor.role !== 'admin')
          return rejected('forbidden', 'Only team admins withdraw frameworks');
        // Deleting an unknown or deleted record is a no-op success (idempotent, never a retry loop).
        if (!rec || rec.deleted) return { mutationId: m.mutationId, status: 'applied', seq: rec?.seq ?? 0 };
        const gone = put({ kind, key, deleted: true, deletedAt: now, data: null, versions: rec.versions });
        return { mutationId: m.mutationId, status: 'applied', seq: gone.seq };
      }
      case 'framework.publish': {
        if (actor.role !== 'admin') return rejected('forbidden', 'Only team admins publish frameworks');
        const data = m.framework as unknown as Record<string, unknown>;
        if (rec && !rec.deleted && canonicalJson(rec.data) === canonicalJson(data))
          return { mutationId: m.mutationId, status: 'applied', seq: rec.seq };
        const saved = put({ kind, key, deleted: false, deletedAt: null, data, versions: {} });
        return { mutationId: m.mutationId, status: 'applied', seq: saved.seq };
      }
    }
  }

  // ------------------------------------------------------------------ frameworks

  async listFrameworks(teamId: string) {
    const rows = await this.#db
      .selectFrom('records')
      .select(['key', 'seq', 'data'])
      .where('team_id', '=', teamId)
      .where('kind', '=', 'framework')
      .where('deleted', '=', 0)
      .orderBy('key')
      .execute();
    return rows.map((r) => {
      const d = parseJsonObject(r.data);
      return {
        id: r.key,
        name: typeof d.name === 'string' ? d.name : r.key,
        ...(typeof d.edition === 'string' ? { edition: d.edition } : {}),
        seq: Number(r.seq),
      };
    });
  }

  async getFramework(teamId: string, frameworkId: string): Promise<Framework | undefined> {
    const row = await this.#db
      .selectFrom('records')
      .select(['data'])
      .where('team_id', '=', teamId)
      .where('kind', '=', 'framework')
      .where('key', '=', frameworkId)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    return row?.data ? (JSON.parse(row.data) as Framework) : undefined;
  }

  async changeFramework(actor: Actor, change: { publish: Framework } | { withdraw: string }) {
    const mutation: Mutation =
      'publish' in change
        ? { mutationId: 1, type: 'framework.publish', framework: change.publish }
        : { mutationId: 1, type: 'framework.withdraw', frameworkId: change.withdraw };
    return this.#write(actor.teamId, async (tx, counter) => {
      const records = await this.#loadRecords(tx, actor.teamId, [{ ok: true, mutation }]);
      const result = this.#apply(actor, mutation, records, counter, this.#now());
      await this.#saveRecords(
        tx,
        actor.teamId,
        [...records.values()].filter((r) => r.dirty),
        this.#now(),
      );
      return result;
    });
  }

  // ------------------------------------------------------------------ pull

  /**
   * One statement, hence one snapshot on both backends (a PostgreSQL statement sees one snapshot
   * even under READ COMMITTED): the team row (head, minimum valid cursor) followed by the page of
   * records with seq > cursor. A poll whose cursor is at the `head` read while authenticating it
   * (findDevice) needs no statement at all: nothing can follow the head, and a commit after that
   * read reaches the client on its next pull, as if this poll had come a moment earlier.
   */
  async pull(teamId: string, cursor: number | null, limit: number, head?: TeamHead): Promise<PullResponse> {
    const from = cursor ?? 0;
    if (head && from === head.seq) return pageResponse(from, head, [], limit);
    const { rows } = await sql<{
      ord: number;
      kind: string;
      key: string;
      seq: number;
      deleted: number;
      data: string | null;
      versions: string;
    }>`select 0 as ord, '' as kind, '' as key, seq, min_valid_cursor as deleted, cast(null as text) as data, '' as versions
         from teams where id = ${teamId}
       union all
       select * from (
         select 1 as ord, kind, key, seq, deleted, data, versions from records
          where team_id = ${teamId} and seq > ${from} order by seq limit ${limit + 1}
       ) as page
       order by ord, seq`.execute(this.#read);
    const team = rows[0];
    if (!team || Number(team.ord) !== 0) throw new AppError('not_found', 'Team not found');
    const read = { seq: Number(team.seq), minValidCursor: Number(team.deleted) };
    return pageResponse(from, read, rows.slice(1), limit);
  }

  async teamSeq(teamId: string): Promise<number | undefined> {
    const row = await this.#read
      .selectFrom('teams')
      .select(['seq'])
      .where('id', '=', teamId)
      .executeTakeFirst();
    return row ? Number(row.seq) : undefined;
  }

  // ------------------------------------------------------------------ retention, audit, backup

  async purgeTombstones(olderThan: number): Promise<number> {
    // Replay results older than the retention window go too: a client that stale must resync anyway.
    await this.#db.deleteFrom('mutation_results').where('created_at', '<', olderThan).execute();
    await this.#db.deleteFrom('push_results').where('created_at', '<', olderThan).execute();
    const teams = await this.#db
      .selectFrom('records')
      .select('team_id')
      .distinct()
      .where('deleted', '=', 1)
      .where('deleted_at', '<', olderThan)
      .execute();
    let purged = 0;
    for (const { team_id } of teams) {
      purged += await this.#write(team_id, async (tx) => {
        const max = await tx
          .selectFrom('records')
          .select((eb) => [eb.fn.max<number>('seq').as('max'), eb.fn.count<number>('key').as('n')])
          .where('team_id', '=', team_id)
          .where('deleted', '=', 1)
          .where('deleted_at', '<', olderThan)
          .executeTakeFirst();
        if (!max || max.max === null) return 0;
        await tx
          .deleteFrom('records')
          .where('team_id', '=', team_id)
          .where('deleted', '=', 1)
          .where('deleted_at', '<', olderThan)
          .execute();
        // A cursor below the newest purged tombstone may have missed it: such pulls must resync.
        await tx
          .updateTable('teams')
          .set((eb) => ({
            min_valid_cursor: sql<number>`case when ${eb.ref('min_valid_cursor')} > ${Number(max.max)} then ${eb.ref('min_valid_cursor')} else ${Number(max.max)} end`,
          }))
          .where('id', '=', team_id)
          .execute();
        return Number(max.n);
      });
    }
    return purged;
  }

  async audit(event: AuditEvent) {
    await this.#db
      .insertInto('audit_events')
      .values({
        id: randomUUID(),
        ts: this.#now(),
        team_id: event.teamId ?? null,
        actor: event.actor ?? null,
        action: event.action,
        outcome: event.outcome,
        detail: (event.detail ?? '').replace(/[\r\n\t]/g, ' ').slice(0, 500),
        ip: event.ip ?? null,
      })
      .execute();
  }

  async listAudit(limit: number, teamId?: string): Promise<AuditRow[]> {
    const rows = await this.#db
      .selectFrom('audit_events')
      .selectAll()
      .$if(teamId !== undefined, (q) => q.where('team_id', '=', teamId ?? ''))
      .orderBy('ts', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      ts: iso(Number(r.ts)),
      teamId: r.team_id,
      actor: r.actor,
      action: r.action,
      outcome: r.outcome === 'ok' ? 'ok' : r.outcome === 'denied' ? 'denied' : 'failed',
      detail: r.detail,
      ip: r.ip,
    }));
  }

  async backup(targetPath: string) {
    if (!this.#opts.backup) throw new AppError('bad_request', 'Backups are made with pg_dump on PostgreSQL');
    await this.#opts.backup(targetPath);
  }
}

/**
 * The answer to a pull from `from` given the team's counter row and the records after `from`
 * (up to `limit + 1` of them: one more than a page says whether there are more).
 */
function pageResponse(
  from: number,
  team: TeamHead,
  records: Parameters<typeof toChange>[0][],
  limit: number,
): PullResponse {
  if (from > 0 && from < team.minValidCursor)
    return {
      type: 'resync',
      protocolVersion: PROTOCOL_VERSION,
      reason: 'Your cursor predates the tombstone retention window; download the team again.',
    };
  if (from > team.seq)
    return {
      type: 'resync',
      protocolVersion: PROTOCOL_VERSION,
      reason: 'Your cursor is ahead of the server (restored database?); download the team again.',
    };
  const page = records.slice(0, limit);
  const changes: Change[] = page.map((r) => toChange(r));
  const lastSeq = page.length ? Number(page[page.length - 1]?.seq) : from;
  return {
    type: 'changes',
    protocolVersion: PROTOCOL_VERSION,
    changes,
    cursor: String(lastSeq),
    hasMore: records.length > limit,
  };
}

function toChange(r: {
  kind: string;
  key: string;
  seq: number;
  deleted: number;
  data: string | null;
  versions: string;
}): Change {
  const seq = Number(r.seq);
  const deleted = Number(r.deleted) === 1;
  const data = r.data === null ? null : parseJsonObject(r.data);
  const versions = parseVersions(r.versions);
  if (r.kind === 'clip')
    return { kind: 'clip', seq, id: r.key, deleted, clip: deleted ? null : (data as never), versions };
  if (r.kind === 'assessment') return { kind: 'assessment', seq, assessment: data as never, versions };
  return { kind: 'framework', seq, frameworkId: r.key, deleted, framework: deleted ? null : (data as never) };
}
