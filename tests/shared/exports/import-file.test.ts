import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BACKUP_FORMAT, buildBackup } from '../../../shared/exports/backup';
import { stableUuid } from '../../../shared/exports/ids';
import { parseImportFile } from '../../../shared/exports/import-file';
import {
  clipsToAnnotationCollection,
  criterionIdFromIri,
  criterionIri,
} from '../../../shared/exports/json-ld';
import { demoFramework } from '../../../shared/frameworks/demo';
import { type Clip, clipSchema } from '../../../shared/schemas';
import { demoAssessments, demoClips } from '../../e2e/dashboard-fixtures';

const ctx = {
  author: { id: 'me', name: 'Me' },
  now: '2026-11-29T12:00:00.000Z',
  criterionForTag: (t: string) => (t === 'DEMO-CL-01' ? 'demo:DEMO-CL-01' : undefined),
};

const byId = (a: Clip, b: Clip) => a.id.localeCompare(b.id);

describe('W3C JSON-LD', () => {
  test('criterion IRIs round-trip', () => {
    for (const id of ['demo:DEMO-LM-01', 'x:A/B(1)', 'f:é ü'])
      expect(criterionIdFromIri(criterionIri(id))).toBe(id);
    expect(criterionIdFromIri('http://example.org/tag')).toBeUndefined();
  });

  test('export → import is lossless for live clips', () => {
    const clips = demoClips();
    clips[0] = {
      ...clips[0],
      history: [{ selectors: clips[0]?.selectors ?? [], replacedAt: ctx.now }],
    } as Clip;
    const doc = clipsToAnnotationCollection(clips, ctx.now, 'x');
    expect(doc.type).toBe('AnnotationCollection');
    expect(doc.total).toBe(10);
    const r = parseImportFile(JSON.stringify(doc), ctx);
    expect(r.ok).toBe(true);
    if (r.ok) expect([...r.plan.clips].sort(byId)).toEqual([...clips].sort(byId));
  });

  test('a foreign annotation without our extension still imports', () => {
    const r = parseImportFile(
      JSON.stringify({
        '@context': 'http://www.w3.org/ns/anno.jsonld',
        id: 'http://example.org/anno/1',
        type: 'Annotation',
        creator: { id: 'http://example.org/u/1', name: 'Ann' },
        body: [
          { type: 'TextualBody', value: 'Good evidence', purpose: 'commenting' },
          { type: 'TextualBody', value: 'policy', purpose: 'tagging' },
          { type: 'SpecificResource', purpose: 'classifying', source: criterionIri('demo:DEMO-PE-02') },
        ],
        target: {
          source: 'https://intranet.example/p?utm_source=x#frag',
          selector: [
            { type: 'TextQuoteSelector', exact: 'Chaperones are offered', prefix: 'A ', suffix: ' B' },
            { type: 'FragmentSelector', value: 'x' },
          ],
        },
      }),
      ctx,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.plan.clips[0];
    expect(c?.id).toBe(stableUuid('http://example.org/anno/1'));
    expect(c?.criteria).toEqual(['demo:DEMO-PE-02']);
    expect(c?.note).toBe('Good evidence\n\nTags: policy');
    expect(c?.docKey).toBe('https://intranet.example/p');
    expect(c?.createdBy).toEqual({ id: 'http://example.org/u/1', name: 'Ann' });
    expect(clipSchema.safeParse(c).success).toBe(true);
  });
});

describe('Hypothesis', () => {
  test('converts an export, keeps the legacy RangeSelector, maps tags, skips replies and page notes', () => {
    const baseline = JSON.parse(fs.readFileSync('tests/corpus/hypothesis-baselines/minimal.json', 'utf8'));
    const row = {
      ...baseline.rows[0],
      uri: 'http://localhost/minimal.html',
      tags: ['DEMO-CL-01', 'misc'],
      text: 'n',
      user: 'acct:ann@hypothes.is',
      created: '2024-01-02T10:11:12.345678+00:00',
      updated: '2024-01-03T10:11:12.345678+00:00',
      document: { title: ['Minimal'] },
    };
    const file = {
      export_date: '2024-01-04',
      export_userid: 'acct:ann@hypothes.is',
      client_version: '1.0',
      annotations: [
        row,
        { ...row, id: 'reply', references: ['test'] },
        { ...row, id: 'pagenote', target: [{ source: row.uri }] },
      ],
    };
    const r = parseImportFile(JSON.stringify(file), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.format).toBe('hypothesis');
    expect(r.plan.skipped.map((s) => s.reason)).toEqual(['reply', 'page note (no quoted passage)']);
    const c = r.plan.clips[0];
    expect(c?.selectors.map((s) => s.type)).toEqual([
      'RangeSelector',
      'TextPositionSelector',
      'TextQuoteSelector',
    ]);
    expect(c?.quote).toBe('Two');
    expect(c?.criteria).toEqual(['demo:DEMO-CL-01']);
    expect(c?.note).toBe('n\n\nHypothesis tags: misc');
    expect(c?.createdBy.name).toBe('ann');
    expect(c?.title).toBe('Minimal');
    expect(c?.createdAt).toBe('2024-01-02T10:11:12.345678+00:00');
  });

  test('the API search answer without a uri is refused with a clear message', () => {
    const raw = fs.readFileSync('tests/corpus/hypothesis-baselines/minimal.json', 'utf8');
    const r = parseImportFile(raw, ctx);
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.error).toMatch(/Hypothesis annotation 1 is malformed: uri/);
  });
});

describe('backup and malformed files', () => {
  test('backup round trip', () => {
    const b = buildBackup({
      exportedAt: ctx.now,
      activeFrameworkId: 'demo',
      frameworks: [demoFramework],
      assessments: demoAssessments(),
      clips: [...demoClips(), { ...(demoClips()[0] as Clip), id: stableUuid('gone'), deleted: true }],
    });
    const r = parseImportFile(JSON.stringify(b), ctx);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.plan.clips).toEqual(b.clips);
      expect(r.plan.assessments).toEqual(b.assessments);
      expect(r.plan.frameworks).toEqual([demoFramework]);
      expect(r.plan.activeFrameworkId).toBe('demo');
    }
  });

  test.each([
    ['not JSON', '{"a":', /not valid JSON/],
    ['unknown JSON', '{"hello":1}', /Unrecognised file/],
    [
      'other backup version',
      JSON.stringify({ format: 'qsi-evidence-clipper/backup@9' }),
      /Unsupported backup format/,
    ],
    [
      'damaged backup',
      JSON.stringify({
        format: BACKUP_FORMAT,
        exportedAt: ctx.now,
        frameworks: [],
        assessments: [],
        clips: [{ id: 'x' }],
      }),
      /The backup is damaged: clips\.0\./,
    ],
    [
      'annotation with a javascript: target',
      JSON.stringify({
        type: 'Annotation',
        target: { source: 'javascript:alert(1)', selector: { type: 'TextQuoteSelector', exact: 'x' } },
      }),
      /Annotation 1 cannot be imported: url: must be an http\(s\) URL/,
    ],
    [
      'annotation without a quote',
      JSON.stringify({ type: 'Annotation', target: 'https://a.example/' }),
      /no TextQuoteSelector/,
    ],
  ])('%s is refused', (_n, text, message) => {
    const r = parseImportFile(text, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
