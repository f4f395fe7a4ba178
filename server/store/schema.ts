// Kysely table types: the one SQL layer both backends share (SQLite and PostgreSQL).
// Times are epoch milliseconds; JSON payloads are TEXT so both dialects treat them as opaque.

export interface TeamsTable {
  id: string;
  name: string;
  /** The team's gap-free change counter: incremented inside every write transaction. */
  seq: number;
  /** Cursors below this predate purged tombstones and must resync. */
  min_valid_cursor: number;
  created_at: number;
  /** Hash of the team's newest change-log entry; null before the first (server/sync/change-log.ts). */
  log_hash: string | null;
  /** Characters of the team's stored record JSON (the storage quota counts these). */
  bytes: number;
}

export interface MembersTable {
  id: string;
  team_id: string;
  display_name: string;
  role: string;
  status: string;
  created_at: number;
  /** `issuer sub` of a member who joined by signing in (migration 0006); null for invite joins. */
  oidc_subject?: string | null;
}

export interface DevicesTable {
  id: string;
  team_id: string;
  member_id: string;
  /** SHA-256 (hex) of the token's secret part; the token itself is never stored. */
  token_hash: string;
  label: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface InvitesTable {
  id: string;
  team_id: string;
  /** SHA-256 (hex) of the invite code. */
  code_hash: string;
  role: string;
  max_uses: number;
  uses: number;
  expires_at: number;
  created_by: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface ClientsTable {
  team_id: string;
  client_id: string;
  member_id: string;
  last_mutation_id: number;
  updated_at: number;
}

export interface MutationResultsTable {
  team_id: string;
  client_id: string;
  mutation_id: number;
  /** The JSON result returned the first time, replayed verbatim for retried mutations. */
  result: string;
  created_at: number;
}

/** Clips, assessments and frameworks: one table so a pull is one ordered range scan. */
export interface RecordsTable {
  team_id: string;
  kind: string;
  key: string;
  seq: number;
  deleted: number;
  deleted_at: number | null;
  data: string | null;
  versions: string;
  updated_at: number;
}

export interface AuditTable {
  id: string;
  ts: number;
  team_id: string | null;
  actor: string | null;
  action: string;
  outcome: string;
  detail: string;
  ip: string | null;
}

/** The results of one pushed batch, for replay (ids first_id..last_id of one client). */
export interface PushResultsTable {
  team_id: string;
  client_id: string;
  first_id: number;
  last_id: number;
  /** JSON array of MutationResult, in mutation-id order. */
  results: string;
  created_at: number;
}

/** One write of one record: the team's hash-chained change log (server/sync/change-log.ts). */
export interface ChangeLogTable {
  team_id: string;
  seq: number;
  kind: string;
  key: string;
  at: number;
  /** Member id of the writer; null for migrated entries whose record named none. */
  by: string | null;
  type: string;
  /** JSON: { field: { from, to } }. */
  changes: string;
  state_hash: string;
  hash: string;
}

/** A sign-in in progress: what the callback checks (state, PKCE verifier, nonce, browser cookie). */
export interface OidcFlowsTable {
  /** SHA-256 (hex) of the state parameter. */
  state_hash: string;
  team_id: string;
  /** SHA-256 (hex) of the cookie set on the browser that started the sign-in. */
  browser_hash: string;
  code_verifier: string;
  nonce: string;
  expires_at: number;
}

/** A completed sign-in: a one-time join code (qsi-sso-…) for the person it admitted. */
export interface OidcGrantsTable {
  /** SHA-256 (hex) of the join code. */
  code_hash: string;
  team_id: string;
  /** `issuer sub`. */
  subject: string;
  display_name: string;
  role: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface Database {
  oidc_flows: OidcFlowsTable;
  oidc_grants: OidcGrantsTable;
  change_log: ChangeLogTable;
  teams: TeamsTable;
  members: MembersTable;
  devices: DevicesTable;
  invites: InvitesTable;
  clients: ClientsTable;
  mutation_results: MutationResultsTable;
  push_results: PushResultsTable;
  records: RecordsTable;
  audit_events: AuditTable;
}
