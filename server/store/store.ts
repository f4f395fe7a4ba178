// The storage port of the sync server (tldraw's storage-interface pattern): the routes depend on
// these interfaces only; SQLite and PostgreSQL implement them over one Kysely layer (sql-store.ts).
// Three parts by concept: teams and members, the sync log and its records, administration. The
// merge of a mutation into its record is not storage: it lives in server/sync/apply-mutation.ts.

import type {
  DeviceInfo,
  InviteInfo,
  MemberInfo,
  Mutation,
  MutationResult,
  PullResponse,
  Role,
  TeamInfo,
} from '../../shared/protocol';
import type { RecordKind } from '../../shared/records/registry';
import type { Framework } from '../../shared/schemas';
import type { SubmissionContent } from '../../shared/submissions';
import type { LogEntry, VerifyProblem } from '../sync/change-log';
import type { OidcFlowsTable, OidcGrantsTable } from './schema';

/** The authenticated caller: every store call that touches team data is scoped by `teamId`. */
export interface Actor {
  teamId: string;
  memberId: string;
  memberName: string;
  role: Role;
  deviceId: string;
}

/** A team's counter row: the newest seq, and the oldest cursor still served (older ones resync). */
export interface TeamHead {
  seq: number;
  minValidCursor: number;
}

/** What a bearer token resolves to (the hash is compared by the caller in constant time). */
export interface DeviceAuth {
  device: DeviceInfo & { tokenHash: string };
  member: MemberInfo;
  team: TeamInfo;
  /** The team's counter row, read in the same statement (lets a no-change pull skip its query). */
  head: TeamHead;
}

export interface AuditEvent {
  teamId?: string | null;
  actor?: string | null;
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
  detail?: string;
  ip?: string | null;
}

export interface AuditRow extends Required<AuditEvent> {
  id: string;
  ts: string;
}

export interface PushOutcome {
  results: MutationResult[];
  lastMutationId: number;
}

/** A mutation as received: already parsed (`ok`) or rejected by validation with a message. */
export type IncomingMutation =
  | { ok: true; mutation: Mutation }
  | { ok: false; mutationId: number; message: string };

/**
 * Told when a team's counter moved (`seq` is its new head). `status(false)`: changes committed by
 * other processes may be missed until `status(true)` (the PostgreSQL listener is reconnecting);
 * whatever moved in between is only seen by reading the counters again.
 */
export interface ChangeListener {
  change(teamId: string, seq: number): void;
  status(live: boolean): void;
}

/**
 * Where a process learns that a team's counter moved: commits of this process at once, and on
 * PostgreSQL those of every other process too (LISTEN/NOTIFY; see docs/server.md, "Wait").
 */
export interface ChangeFeed {
  /** False while changes of other processes may be missed (before LISTEN, or reconnecting). */
  readonly live: boolean;
  /** @returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;
}

export interface StoreHooks {
  /** Test-only fault injection: runs inside every write transaction just before COMMIT. */
  beforeCommit?: () => Promise<void> | void;
}

/** The connection itself. */
export interface StoreConnection {
  readonly dialect: 'sqlite' | 'postgres';
  /** Counter moves of this process's commits, and of other processes' where the backend can tell. */
  readonly changes: ChangeFeed;
  /** Checks that the database answers. @throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Teams, invites, members and their devices (sql-teams.ts). */
export interface TeamStore {
  createTeam(name: string): Promise<TeamInfo>;
  listTeams(): Promise<(TeamInfo & { seq: number; members: number })[]>;
  getTeam(teamId: string): Promise<TeamInfo | undefined>;

  createInvite(
    teamId: string,
    input: { role: Role; maxUses: number; expiresAt: number; codeHash: string; createdBy: string | null },
  ): Promise<InviteInfo>;
  listInvites(teamId: string): Promise<InviteInfo[]>;
  /** @returns false when the invite does not exist in this team. */
  revokeInvite(teamId: string, inviteId: string): Promise<boolean>;
  /**
   * Redeem an invite atomically (uses < maxUses, not expired, not revoked) and create the member
   * and its first device. @returns undefined when the code is not redeemable.
   */
  redeemInvite(input: {
    codeHash: string;
    displayName: string;
    deviceLabel: string;
    deviceId: string;
    tokenHash: string;
  }): Promise<{ team: TeamInfo; member: MemberInfo; device: DeviceInfo } | undefined>;
  /** Add a device (token) for an existing member (CLI: "issue a token"). */
  addDevice(
    teamId: string,
    memberId: string,
    input: { deviceId: string; tokenHash: string; label: string },
  ): Promise<DeviceInfo | undefined>;

  /** Resolve a device id to its device, member and team (revoked ones included; caller checks). */
  findDevice(deviceId: string): Promise<DeviceAuth | undefined>;
  /** Record use of device tokens (batched by the caller: one statement for many devices). */
  touchDevices(deviceIds: string[]): Promise<void>;

  listMembers(teamId: string): Promise<MemberInfo[]>;
  listDevices(teamId: string): Promise<DeviceInfo[]>;
  /** @returns the updated member, undefined when not in this team. @throws AppError conflict for the last admin. */
  setRole(teamId: string, memberId: string, role: Role): Promise<MemberInfo | undefined>;
  /** Remove a member and revoke all its devices. @returns false when not in this team. */
  removeMember(teamId: string, memberId: string): Promise<boolean>;
  /** @returns false when the device is not in this team. */
  revokeDevice(teamId: string, deviceId: string): Promise<boolean>;
}

/** The sync log: push, pull and the records they carry, frameworks among them (sql-sync.ts). */
export interface SyncStore {
  /** Apply a push batch exactly once and in order (see sql-sync.ts for the algorithm). */
  push(actor: Actor, clientId: string, mutations: IncomingMutation[]): Promise<PushOutcome>;
  /**
   * Changes with seq > cursor, in seq order; `resync` when the cursor predates retention.
   * `head`: the team's counter row as read by findDevice for this request; when the cursor is at
   * it, the empty answer needs no further query.
   */
  pull(
    teamId: string,
    cursor: number | null,
    limit: number,
    head?: TeamHead,
    features?: ReadonlySet<string>,
  ): Promise<PullResponse>;

  /** A record's change-log entries, oldest first (empty when it never existed in this team). */
  recordHistory(teamId: string, kind: RecordKind, key: string): Promise<LogEntry[]>;
  /** The team's change-log head: the newest entry's seq and hash (0 and the genesis hash before any). */
  logHead(teamId: string): Promise<{ seq: number; hash: string } | undefined>;
  /** One change-log entry and its stored hash. */
  logEntryAt(teamId: string, seq: number): Promise<{ entry: LogEntry; hash: string } | undefined>;
  /**
   * Recompute every team's (or one team's) hash chain and compare each record row with its last
   * entry. @returns counts and the first problem found, if any.
   */
  verifyLog(
    teamId?: string,
  ): Promise<{ teams: number; entries: number; records: number; problem?: VerifyProblem }>;

  /**
   * The team's head sequence (one short read outside any transaction; the long-poll checks it).
   * @returns undefined when the team does not exist.
   */
  teamSeq(teamId: string): Promise<number | undefined>;
  /** The head sequences of several teams in one read (the long-poll's safety net); missing teams are left out. */
  teamSeqs(teamIds: readonly string[]): Promise<Map<string, number>>;

  /** Published (not withdrawn) frameworks of the team. */
  listFrameworks(teamId: string): Promise<{ id: string; name: string; edition?: string; seq: number }[]>;
  getFramework(teamId: string, frameworkId: string): Promise<Framework | undefined>;
  /** Publish or withdraw a framework (admin): the same write path and seq as a pushed mutation. */
  changeFramework(
    actor: Actor,
    change: { publish: Framework } | { withdraw: string },
  ): Promise<MutationResult>;
  /**
   * Freeze or delete a submission (admin): the same write path, seq and change log as a pushed
   * mutation. A create of an existing id with other content is `rejected` (`immutable`).
   */
  changeSubmission(
    actor: Actor,
    change: { create: SubmissionContent } | { delete: string },
  ): Promise<MutationResult>;
}

/** Retention, the audit log and backups (sql-admin.ts). */
export interface AdminStore {
  /** Purge tombstones deleted before `olderThan` (epoch ms) and raise the teams' minimum cursor. */
  purgeTombstones(olderThan: number): Promise<number>;

  audit(event: AuditEvent): Promise<void>;
  listAudit(limit: number, teamId?: string): Promise<AuditRow[]>;

  /** Online backup to a new file (SQLite only). @throws AppError on PostgreSQL. */
  backup(targetPath: string): Promise<void>;
}

export type OidcFlow = OidcFlowsTable;

export type OidcRedeemResult =
  | { ok: true; team: TeamInfo; member: MemberInfo; device: DeviceInfo; created: boolean }
  | { ok: false; reason: 'unknown' | 'removed' };

/** Sign-in with the organisation's identity provider (sql-oidc.ts). */
export interface OidcStore {
  /** Keep a sign-in in progress (and drop expired ones and expired join codes). */
  startOidcFlow(flow: OidcFlow): Promise<void>;
  /** Take a sign-in in progress by its state digest: returned once, then gone; undefined when unknown. */
  takeOidcFlow(stateHash: string): Promise<OidcFlow | undefined>;
  createOidcGrant(grant: Omit<OidcGrantsTable, 'created_at' | 'used_at'>): Promise<void>;
  /**
   * Redeem a one-time join code: unknown, used or expired → `unknown`; a member of that subject
   * removed by an admin → `removed` (signing in does not undo a removal). Otherwise the member
   * (created, or found and given the role sign-in mapped) and a new device.
   */
  redeemOidcGrant(input: {
    codeHash: string;
    deviceLabel: string;
    deviceId: string;
    tokenHash: string;
  }): Promise<OidcRedeemResult>;
}

/** Everything the routes, the CLI and maintenance use: one object with all four parts. */
export interface Store extends StoreConnection, TeamStore, SyncStore, AdminStore, OidcStore {}
