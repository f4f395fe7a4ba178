// The server's merge without a database: one mutation, the record as stored, the actor, the next
// seq and the time in; the result and the record to write out. Results are compared as JSON text
// (key order included), because stored results are replayed verbatim to retrying clients.
import { describe, expect, it } from 'vitest';
import { applyMutation, type StoredRecord, type Writer } from '../../../server/sync/apply-mutation';
import type { Mutation, MutationResult } from '../../../shared/protocol';
import { recordOf } from '../../../shared/records/registry';
import { FRAMEWORK_FORMAT } from '../../../shared/schemas';
import { makeSubmission } from '../submission-fixture';

const NOW = Date.parse('2026-12-06T12:00:00.000Z');
const NOW_ISO = new Date(NOW).toISOString();
const SEQ = 42;
const ID = '0b9a4f3e-8a52-4a7e-9a3c-2f3e0c1d5a77';

const editor: Writer = { memberId: 'm-ed', memberName: 'Eddie', role: 'editor' };
const admin: Writer = { memberId: 'm-ad', memberName: 'Ada', role: 'admin' };

const content = {
  id: ID,
  url: 'https://intranet.example.nhs.uk/policy',
  docKey: 'https://intranet.example.nhs.uk/policy',
  title: 'Policy',
  selectors: [{ type: 'TextQuoteSelector' as const, exact: 'quote' }],
  quote: 'quote',
  criteria: ['demo:B', 'demo:A', 'demo:B'],
  note: '',
  docMeta: {},
  createdBy: { id: 'client-claims', name: 'Someone else' },
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

/** The clip as the server stored it after `content` was created by `editor` at seq 7. */
const storedClipData = {
  ...content,
  criteria: ['demo:A', 'demo:B'],
  createdBy: { id: editor.memberId, name: editor.memberName },
};
const byEditor = { id: editor.memberId, name: editor.memberName };
const colleague: Writer = { memberId: 'm-co', memberName: 'Colin', role: 'editor' };
const clipVersions = {
  url: 7,
  docKey: 7,
  title: 7,
  selectors: 7,
  quote: 7,
  note: 7,
  docMeta: 7,
  criteria: 7,
};

const clip = (over: Partial<StoredRecord> = {}): StoredRecord => ({
  kind: 'clip',
  key: ID,
  seq: 7,
  deleted: false,
  deletedAt: null,
  data: storedClipData,
  versions: clipVersions,
  ...over,
});
const tombstone = (kind: StoredRecord['kind'], key: string): StoredRecord => ({
  kind,
  key,
  seq: 9,
  deleted: true,
  deletedAt: NOW - 1000,
  data: null,
  versions: kind === 'framework' ? {} : clipVersions,
});

const framework = { format: FRAMEWORK_FORMAT, id: 'fw', name: 'Framework', edition: '1', domains: [] };
const storedFramework: StoredRecord = {
  kind: 'framework',
  key: 'fw',
  seq: 11,
  deleted: false,
  deletedAt: null,
  data: framework,
  versions: {},
};

const assessment = (over: Partial<StoredRecord> = {}): StoredRecord => ({
  kind: 'assessment',
  key: 'demo:A',
  seq: 5,
  deleted: false,
  deletedAt: null,
  data: {
    criterionId: 'demo:A',
    rating: 'met',
    owner: 'Oli',
    action: '',
    comment: '',
    dueDate: '2027-01-31',
    updatedAt: '2026-12-01T00:00:00.000Z',
    updatedBy: { id: 'm-x', name: 'X' },
  },
  versions: { rating: 5, owner: 3, dueDate: 5 },
  ...over,
});

const create = (c: object = content): Mutation => ({ mutationId: 1, type: 'clip.create', clip: c as never });
const clipUpdate = (over: Partial<Extract<Mutation, { type: 'clip.update' }>>): Mutation => ({
  mutationId: 2,
  type: 'clip.update',
  id: ID,
  base: {},
  set: {},
  criteriaAdd: [],
  criteriaRemove: [],
  ...over,
});
const assessmentUpdate = (set: Record<string, string>, base: Record<string, number> = {}): Mutation => ({
  mutationId: 3,
  type: 'assessment.update',
  criterionId: 'demo:A',
  base,
  set,
});
const publish = (fw: object = framework): Mutation => ({
  mutationId: 4,
  type: 'framework.publish',
  framework: fw as never,
});
const withdraw: Mutation = { mutationId: 5, type: 'framework.withdraw', frameworkId: 'fw' };
const clipDelete: Mutation = { mutationId: 6, type: 'clip.delete', id: ID };

interface Case {
  name: string;
  mutation: Mutation;
  current?: StoredRecord;
  actor?: Writer;
  result: MutationResult;
  /** The record written; undefined = nothing written. */
  write?: Omit<StoredRecord, 'kind' | 'key' | 'seq'>;
}

const cases: Case[] = [
  // ---- create
  {
    name: 'create: set fields normalised, the creator stamped, every present field versioned',
    mutation: create(),
    result: { mutationId: 1, status: 'applied', seq: SEQ, versions: at(SEQ, clipVersions) },
    write: {
      deleted: false,
      deletedAt: null,
      data: { ...storedClipData, updatedBy: byEditor },
      versions: at(SEQ, clipVersions),
    },
  },
  {
    name: 'create again (the client re-stamped its times): a retry, applied at the stored seq',
    mutation: create({ ...content, createdAt: NOW_ISO, updatedAt: NOW_ISO }),
    current: clip(),
    result: { mutationId: 1, status: 'applied', seq: 7, versions: clipVersions },
  },
  {
    name: 'create again with other content: a conflict on the differing fields',
    mutation: create({ ...content, quote: 'other', note: 'n' }),
    current: clip(),
    result: { mutationId: 1, status: 'conflict', fields: ['quote', 'note'], server: storedClipData },
  },
  {
    name: 'create again by another member: the creator differs',
    mutation: create(),
    current: clip(),
    actor: admin,
    result: { mutationId: 1, status: 'conflict', fields: ['createdBy'], server: storedClipData },
  },
  {
    name: 'create over a tombstone: a conflict on deleted',
    mutation: create(),
    current: tombstone('clip', ID),
    result: { mutationId: 1, status: 'conflict', fields: ['deleted'], server: { deleted: true } },
  },
  // ---- clip update
  {
    name: 'update of a missing clip: not_found',
    mutation: clipUpdate({ set: { note: 'x' } }),
    result: { mutationId: 2, status: 'rejected', code: 'not_found', message: 'No such clip in this team' },
  },
  {
    name: 'update of a deleted clip: a conflict on deleted',
    mutation: clipUpdate({ set: { note: 'x' } }),
    current: tombstone('clip', ID),
    result: { mutationId: 2, status: 'conflict', fields: ['deleted'], server: { deleted: true } },
  },
  {
    name: 'update seen at its version: applied, updatedAt and updatedBy stamped',
    mutation: clipUpdate({ base: { note: 7 }, set: { note: 'x' } }),
    current: clip(),
    result: { mutationId: 2, status: 'applied', seq: SEQ, versions: { ...clipVersions, note: SEQ } },
    write: {
      deleted: false,
      deletedAt: null,
      data: { ...storedClipData, note: 'x', updatedAt: NOW_ISO, updatedBy: byEditor },
      versions: { ...clipVersions, note: SEQ },
    },
  },
  {
    name: "an editor setting the quote of a colleague's clip: forbidden, nothing written",
    mutation: clipUpdate({ base: { quote: 7, note: 7 }, set: { quote: 'forged', note: 'n' } }),
    current: clip(),
    actor: colleague,
    result: {
      mutationId: 2,
      status: 'rejected',
      code: 'forbidden',
      message:
        "Only the clip's author or an admin may change quote; editors may change its note and criteria",
    },
  },
  ...(['url', 'title', 'selectors', 'snapshot'] as const).map(
    (field): Case => ({
      name: `an editor setting ${field} of a colleague's clip: forbidden`,
      mutation: clipUpdate({
        set: {
          url: { url: 'https://elsewhere.example/x' },
          title: { title: 'Other' },
          selectors: { selectors: [{ type: 'TextQuoteSelector' as const, exact: 'other' }] },
          snapshot: { snapshot: { text: 't', sha256: 'a'.repeat(64) } },
        }[field],
      }),
      current: clip(),
      actor: colleague,
      result: {
        mutationId: 2,
        status: 'rejected',
        code: 'forbidden',
        message: `Only the clip's author or an admin may change ${field}; editors may change its note and criteria`,
      },
    }),
  ),
  {
    name: "an editor annotating a colleague's clip (note, criteria, the same quote): applied",
    mutation: clipUpdate({
      base: { note: 7 },
      set: { note: 'seen', quote: 'quote' },
      criteriaAdd: ['demo:C'],
    }),
    current: clip(),
    actor: colleague,
    result: {
      mutationId: 2,
      status: 'applied',
      seq: SEQ,
      versions: { ...clipVersions, note: SEQ, criteria: SEQ },
    },
    write: {
      deleted: false,
      deletedAt: null,
      data: {
        ...storedClipData,
        criteria: ['demo:A', 'demo:B', 'demo:C'],
        note: 'seen',
        updatedAt: NOW_ISO,
        updatedBy: { id: colleague.memberId, name: colleague.memberName },
      },
      versions: { ...clipVersions, note: SEQ, criteria: SEQ },
    },
  },
  {
    name: "an admin correcting the quote of someone's clip: applied",
    mutation: clipUpdate({ base: { quote: 7 }, set: { quote: 'corrected' } }),
    current: clip(),
    actor: admin,
    result: { mutationId: 2, status: 'applied', seq: SEQ, versions: { ...clipVersions, quote: SEQ } },
    write: {
      deleted: false,
      deletedAt: null,
      data: {
        ...storedClipData,
        quote: 'corrected',
        updatedAt: NOW_ISO,
        updatedBy: { id: admin.memberId, name: admin.memberName },
      },
      versions: { ...clipVersions, quote: SEQ },
    },
  },
  {
    name: 'create whose docKey is not the url normalised: rejected',
    mutation: create({ ...content, docKey: 'https://intranet.example.nhs.uk/other' }),
    result: {
      mutationId: 1,
      status: 'rejected',
      code: 'validation_failed',
      message: 'docKey must be the normalised url (shared/doc-key.ts)',
    },
  },
  {
    name: 'the author moving the url without the docKey: rejected, nothing written',
    mutation: clipUpdate({ base: { url: 7 }, set: { url: 'https://intranet.example.nhs.uk/moved' } }),
    current: clip(),
    result: {
      mutationId: 2,
      status: 'rejected',
      code: 'validation_failed',
      message: 'docKey must be the normalised url (shared/doc-key.ts)',
    },
  },
  {
    name: 'create retried over a clip stored before updatedBy existed: a retry',
    mutation: create(),
    current: clip(),
    result: { mutationId: 1, status: 'applied', seq: 7, versions: clipVersions },
  },
  {
    name: 'update from an older base: a conflict, nothing written, no seq in the result',
    mutation: clipUpdate({ base: { note: 6 }, set: { note: 'x' } }),
    current: clip(),
    result: { mutationId: 2, status: 'conflict', fields: ['note'], server: { note: '' } },
  },
  {
    name: 'partial apply: the field seen is written, the other conflicts; the result carries the seq',
    mutation: clipUpdate({ base: { title: 7, quote: 1 }, set: { title: 'T', quote: 'q2' } }),
    current: clip(),
    result: {
      mutationId: 2,
      status: 'conflict',
      fields: ['quote'],
      server: { quote: 'quote' },
      seq: SEQ,
      versions: { ...clipVersions, title: SEQ },
    },
    write: {
      deleted: false,
      deletedAt: null,
      data: { ...storedClipData, title: 'T', updatedAt: NOW_ISO, updatedBy: byEditor },
      versions: { ...clipVersions, title: SEQ },
    },
  },
  {
    name: 'set operations: remove then add, normalised, never a conflict (no base needed)',
    mutation: clipUpdate({ criteriaAdd: ['demo:C', 'demo:0'], criteriaRemove: ['demo:A'] }),
    current: clip(),
    result: { mutationId: 2, status: 'applied', seq: SEQ, versions: { ...clipVersions, criteria: SEQ } },
    write: {
      deleted: false,
      deletedAt: null,
      data: {
        ...storedClipData,
        criteria: ['demo:0', 'demo:B', 'demo:C'],
        updatedAt: NOW_ISO,
        updatedBy: byEditor,
      },
      versions: { ...clipVersions, criteria: SEQ },
    },
  },
  {
    name: 'an update changing nothing: applied at the stored seq, nothing written',
    mutation: clipUpdate({ set: { note: '' }, criteriaAdd: ['demo:A'], criteriaRemove: ['demo:Z'] }),
    current: clip(),
    result: { mutationId: 2, status: 'applied', seq: 7, versions: clipVersions },
  },
  // ---- assessment update
  {
    name: 'assessment with no record: updated from its implicit initial state, writer stamped',
    mutation: assessmentUpdate({ rating: 'met' }),
    result: { mutationId: 3, status: 'applied', seq: SEQ, versions: { rating: SEQ } },
    write: {
      deleted: false,
      deletedAt: null,
      data: {
        criterionId: 'demo:A',
        rating: 'met',
        owner: '',
        action: '',
        comment: '',
        updatedAt: NOW_ISO,
        updatedBy: { id: editor.memberId, name: editor.memberName },
      },
      versions: { rating: SEQ },
    },
  },
  {
    name: 'assessment with no record, set to its initial values: applied at seq 0, nothing written',
    mutation: assessmentUpdate({ rating: 'unrated' }),
    result: { mutationId: 3, status: 'applied', seq: 0, versions: {} },
  },
  {
    name: "assessment due date '' clears the field",
    mutation: assessmentUpdate({ dueDate: '' }, { dueDate: 5 }),
    current: assessment(),
    result: { mutationId: 3, status: 'applied', seq: SEQ, versions: { rating: 5, owner: 3, dueDate: SEQ } },
    write: {
      deleted: false,
      deletedAt: null,
      data: {
        criterionId: 'demo:A',
        rating: 'met',
        owner: 'Oli',
        action: '',
        comment: '',
        updatedAt: NOW_ISO,
        updatedBy: { id: editor.memberId, name: editor.memberName },
      },
      versions: { rating: 5, owner: 3, dueDate: SEQ },
    },
  },
  {
    name: 'assessment conflict: the server value is reported, nothing written',
    mutation: assessmentUpdate({ owner: 'Pat' }, { owner: 2 }),
    current: assessment(),
    result: { mutationId: 3, status: 'conflict', fields: ['owner'], server: { owner: 'Oli' } },
  },
  // ---- delete
  {
    name: 'delete: a tombstone at the next seq, field versions kept',
    mutation: clipDelete,
    current: clip(),
    result: { mutationId: 6, status: 'applied', seq: SEQ },
    write: { deleted: true, deletedAt: NOW, data: null, versions: clipVersions },
  },
  {
    name: 'delete of an unknown record: a no-op success at seq 0',
    mutation: clipDelete,
    result: { mutationId: 6, status: 'applied', seq: 0 },
  },
  {
    name: 'delete of a deleted record: a no-op success at the tombstone seq',
    mutation: clipDelete,
    current: tombstone('clip', ID),
    result: { mutationId: 6, status: 'applied', seq: 9 },
  },
  // ---- frameworks (admins only)
  {
    name: 'publish by an editor: forbidden',
    mutation: publish(),
    result: {
      mutationId: 4,
      status: 'rejected',
      code: 'forbidden',
      message: 'Only team admins publish frameworks',
    },
  },
  {
    name: 'withdraw by an editor: forbidden (even of an unknown framework)',
    mutation: withdraw,
    result: {
      mutationId: 5,
      status: 'rejected',
      code: 'forbidden',
      message: 'Only team admins withdraw frameworks',
    },
  },
  {
    name: 'publish by an admin: the whole record, no field versions',
    mutation: publish(),
    actor: admin,
    result: { mutationId: 4, status: 'applied', seq: SEQ },
    write: { deleted: false, deletedAt: null, data: framework, versions: {} },
  },
  {
    name: 'publish of the same content (other key order): a no-op at the stored seq',
    mutation: publish({ domains: [], name: 'Framework', id: 'fw', edition: '1', format: FRAMEWORK_FORMAT }),
    current: storedFramework,
    actor: admin,
    result: { mutationId: 4, status: 'applied', seq: 11 },
  },
  {
    name: 'publish of new content: replaces the record',
    mutation: publish({ ...framework, edition: '2' }),
    current: storedFramework,
    actor: admin,
    result: { mutationId: 4, status: 'applied', seq: SEQ },
    write: { deleted: false, deletedAt: null, data: { ...framework, edition: '2' }, versions: {} },
  },
  {
    name: 'publish over a withdrawn framework: published again',
    mutation: publish(),
    current: tombstone('framework', 'fw'),
    actor: admin,
    result: { mutationId: 4, status: 'applied', seq: SEQ },
    write: { deleted: false, deletedAt: null, data: framework, versions: {} },
  },
  {
    name: 'withdraw by an admin: a tombstone',
    mutation: withdraw,
    current: storedFramework,
    actor: admin,
    result: { mutationId: 5, status: 'applied', seq: SEQ },
    write: { deleted: true, deletedAt: NOW, data: null, versions: {} },
  },
  {
    name: 'withdraw of a withdrawn framework: a no-op',
    mutation: withdraw,
    current: tombstone('framework', 'fw'),
    actor: admin,
    result: { mutationId: 5, status: 'applied', seq: 9 },
  },
];

/** Every field of `versions` at `seq`. */
function at(seq: number, versions: Record<string, number>) {
  return Object.fromEntries(Object.keys(versions).map((f) => [f, seq]));
}

describe('applyMutation', () => {
  it.each(cases)('$name', (c) => {
    const before = c.current && structuredClone(c.current);
    const out = applyMutation({
      mutation: c.mutation,
      current: c.current,
      actor: c.actor ?? editor,
      seq: SEQ,
      now: NOW,
    });
    expect(out.result).toStrictEqual(c.result);
    // Byte for byte: the result is stored and replayed as JSON text.
    expect(JSON.stringify(out.result)).toBe(JSON.stringify(c.result));
    if (c.write === undefined) {
      expect(out.write).toBeUndefined();
    } else {
      expect(out.write).toStrictEqual({ ...recordOf(c.mutation), seq: SEQ, ...c.write });
      expect(JSON.stringify(out.write?.data)).toBe(JSON.stringify(c.write.data));
    }
    // The current record is never modified in place.
    expect(c.current).toStrictEqual(before);
  });

  it('keys the written record by the mutation', () => {
    expect(
      applyMutation({ mutation: create(), current: undefined, actor: editor, seq: 1, now: NOW }).write,
    ).toMatchObject({
      kind: 'clip',
      key: ID,
    });
    const assessed = applyMutation({
      mutation: assessmentUpdate({ rating: 'met' }),
      current: undefined,
      actor: editor,
      seq: 1,
      now: NOW,
    });
    expect(assessed.write).toMatchObject({ kind: 'assessment', key: 'demo:A' });
    const published = applyMutation({
      mutation: publish(),
      current: undefined,
      actor: admin,
      seq: 1,
      now: NOW,
    });
    expect(published.write).toMatchObject({ kind: 'framework', key: 'fw' });
  });

  it('applies a batch in order: a second patch from the same base conflicts with the first', () => {
    const first = applyMutation({
      mutation: clipUpdate({ base: { note: 7 }, set: { note: 'a' } }),
      current: clip(),
      actor: editor,
      seq: 8,
      now: NOW,
    });
    const second = applyMutation({
      mutation: clipUpdate({ mutationId: 3, base: { note: 7 }, set: { note: 'b' } }),
      current: first.write,
      actor: editor,
      seq: 9,
      now: NOW,
    });
    expect(second.result).toStrictEqual({
      mutationId: 3,
      status: 'conflict',
      fields: ['note'],
      server: { note: 'a' },
    });
    expect(second.write).toBeUndefined();
  });
});

describe('applyMutation: submissions (admins only, immutable)', () => {
  const submission = makeSubmission();
  const createSub = (s: object = submission): Mutation => ({
    mutationId: 7,
    type: 'submission.create',
    submission: s as never,
  });
  const run = (mutation: Mutation, current: StoredRecord | undefined, actor: Writer = admin) =>
    applyMutation({ mutation, current, actor, seq: SEQ, now: NOW });
  const stored = run(createSub(), undefined).write;

  it('refuses editors (create and delete)', () => {
    expect(run(createSub(), undefined, editor).result).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
    });
    expect(
      run({ mutationId: 8, type: 'submission.delete', id: submission.id }, stored, editor).result,
    ).toMatchObject({ status: 'rejected', code: 'forbidden' });
  });

  it('stores an admin create with its creator stamped and no field versions', () => {
    expect(stored).toMatchObject({
      kind: 'submission',
      key: submission.id,
      seq: SEQ,
      deleted: false,
      data: { ...submission, createdBy: { id: admin.memberId, name: admin.memberName } },
      versions: {},
    });
  });

  it('answers a repeated create with the stored seq, refuses other content as immutable', () => {
    const current = { ...(stored as StoredRecord), seq: 12 };
    expect(run(createSub(), current).result).toMatchObject({ status: 'applied', seq: 12 });
    const other = run(createSub({ ...submission, name: 'Changed' }), current);
    expect(other.result).toMatchObject({ status: 'rejected', code: 'immutable' });
    expect(other.write).toBeUndefined();
  });

  it('deletes to a tombstone, after which the id cannot be created again', () => {
    const gone = run({ mutationId: 8, type: 'submission.delete', id: submission.id }, stored);
    expect(gone.write).toMatchObject({ deleted: true, data: null, deletedAt: NOW });
    expect(run(createSub(), gone.write).result).toMatchObject({ status: 'rejected', code: 'immutable' });
  });
});
