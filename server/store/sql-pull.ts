// The read side of sync: pull (gap-free pages by seq, in one statement) and the team counters the
// long-poll reads. A record's wire form comes from the record registry (shared/records).
import { sql } from 'kysely';
import { AppError } from '../../shared/errors';
import { type Change, PROTOCOL_VERSION, type PullResponse } from '../../shared/protocol';
import { changeOfRecord, isRecordKind, recordKinds, type SyncedRecord } from '../../shared/records/registry';
import { parseJsonObject, parseVersions, type SqlContext } from './sql-context';
import type { SyncStore, TeamHead } from './store';

/** The pull side of the sync store. */
export function sqlPullReads(ctx: SqlContext): Pick<SyncStore, 'pull' | 'teamSeq' | 'teamSeqs'> {
  return {
    /**
     * One statement, hence one snapshot on both backends (a PostgreSQL statement sees one snapshot
     * even under READ COMMITTED): the team row (head, minimum valid cursor) followed by the page of
     * records with seq > cursor. A poll whose cursor is at the `head` read while authenticating it
     * (findDevice) needs no statement at all: nothing can follow the head, and a commit after that
     * read reaches the client on its next pull, as if this poll had come a moment earlier.
     */
    async pull(
      teamId: string,
      cursor: number | null,
      limit: number,
      head?: TeamHead,
      features: ReadonlySet<string> = new Set(),
    ): Promise<PullResponse> {
      const from = cursor ?? 0;
      if (head && from === head.seq) return pageResponse(from, head, [], limit, features);
      const { rows } = await sql<
        PulledRow & { ord: number }
      >`select 0 as ord, '' as kind, '' as key, seq, min_valid_cursor as deleted, cast(null as text) as data, '' as versions
           from teams where id = ${teamId}
         union all
         select * from (
           select 1 as ord, kind, key, seq, deleted, data, versions from records
            where team_id = ${teamId} and seq > ${from} order by seq limit ${limit + 1}
         ) as page
         order by ord, seq`.execute(ctx.read);
      const team = rows[0];
      if (!team || Number(team.ord) !== 0) throw new AppError('not_found', 'Team not found');
      const read = { seq: Number(team.seq), minValidCursor: Number(team.deleted) };
      return pageResponse(from, read, rows.slice(1), limit, features);
    },

    async teamSeq(teamId: string): Promise<number | undefined> {
      const row = await ctx.read
        .selectFrom('teams')
        .select(['seq'])
        .where('id', '=', teamId)
        .executeTakeFirst();
      return row ? Number(row.seq) : undefined;
    },

    async teamSeqs(teamIds: readonly string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      for (let i = 0; i < teamIds.length; i += 500) {
        const rows = await ctx.read
          .selectFrom('teams')
          .select(['id', 'seq'])
          .where('id', 'in', teamIds.slice(i, i + 500))
          .execute();
        for (const r of rows) out.set(r.id, Number(r.seq));
      }
      return out;
    },
  };
}

/** A `records` row as a pull reads it. */
interface PulledRow {
  kind: string;
  key: string;
  seq: number;
  deleted: number;
  data: string | null;
  versions: string;
}

/**
 * The answer to a pull from `from` given the team's counter row and the records after `from`
 * (up to `limit + 1` of them: one more than a page says whether there are more).
 */
function pageResponse(
  from: number,
  team: TeamHead,
  rows: PulledRow[],
  limit: number,
  features: ReadonlySet<string>,
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
  const page = rows.slice(0, limit);
  // Kinds added after 0.1.0 go only to clients that parse them; the cursor still moves past them.
  const changes: Change[] = page
    .map(syncedRecord)
    .filter((r) => {
      const feature = recordKinds[r.kind].feature;
      return feature === undefined || features.has(feature);
    })
    .map((r) => changeOfRecord(withLaterFields(r, features)));
  const lastSeq = page.length ? Number(page[page.length - 1]?.seq) : from;
  return {
    type: 'changes',
    protocolVersion: PROTOCOL_VERSION,
    changes,
    cursor: String(lastSeq),
    hasMore: rows.length > limit,
  };
}

/**
 * A record in the form the client parses: fields added since 0.1.0 (registry `laterFields`) only
 * for clients naming their feature, filled from their fallback on records written before them.
 */
function withLaterFields(record: SyncedRecord, features: ReadonlySet<string>): SyncedRecord {
  const later = recordKinds[record.kind].laterFields;
  if (!later || !record.data) return record;
  const data = { ...record.data };
  for (const { field, feature, fallback } of later) {
    if (!features.has(feature)) delete data[field];
    else if (data[field] === undefined && fallback && data[fallback] !== undefined)
      data[field] = data[fallback];
  }
  return { ...record, data };
}

/** A pulled row decoded. @throws on a kind the registry does not know (a corrupt row). */
function syncedRecord(r: PulledRow): SyncedRecord {
  if (!isRecordKind(r.kind)) throw new Error(`records row of unknown kind ${JSON.stringify(r.kind)}`);
  return {
    kind: r.kind,
    key: r.key,
    seq: Number(r.seq),
    deleted: Number(r.deleted) === 1,
    data: r.data === null ? null : parseJsonObject(r.data),
    versions: parseVersions(r.versions),
  };
}
