// The "what changed since" exports: one formula-safe CSV row per change, and a standalone HTML page
// in which every user text is escaped (a hostile quote or criterion title stays text).
import { describe, expect, it } from 'vitest';
import { changedSince, liveState, submissionState } from '../../../shared/changed-since';
import {
  changedSinceCsv,
  changedSinceHtml,
  changedSinceRows,
} from '../../../shared/exports/changed-since-export';
import { clipOfFrozen, type Submission } from '../../../shared/submissions';
import { makeSubmission, submissionFramework } from '../../server/submission-fixture';

function compare(quoteNow: string, ownerNow: string) {
  const base: Submission = makeSubmission();
  const clips = base.set.clips.map(clipOfFrozen).map((c) => ({ ...c, quote: quoteNow }));
  const assessments = base.set.assessments.map((a) => ({ ...a, owner: ownerNow }));
  return changedSince(
    submissionState(base),
    liveState({ label: 'Now', day: '2026-06-01', framework: submissionFramework, clips, assessments }),
  );
}

describe('changed-since exports', () => {
  it('writes one row per change with before and after', () => {
    const rows = changedSinceRows(compare('Reports are issued within 24 hours.', 'Bea'));
    expect(rows.map((r) => [r.code, r.change, r.before, r.after])).toEqual([
      ['C1', 'Quote edited', 'Reports are issued within 48 hours.', 'Reports are issued within 24 hours.'],
      ['C1', 'Owner changed', 'Ada', 'Bea'],
    ]);
  });

  it('neutralises formulas in the CSV', () => {
    const csv = changedSinceCsv(compare('=HYPERLINK("http://evil")', '+cmd'));
    expect(csv.startsWith('\uFEFFDomain,Standard,Code,Criterion,Change,')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain(",'+cmd,");
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });

  it('escapes user text in the printable page and shows the word diff', () => {
    const html = changedSinceHtml(
      compare('<img src=x onerror=alert(1)> within 24 hours', '<b>Bea</b>'),
      'Since <2026>',
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>Bea');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<title>Since &lt;2026&gt;</title>');
    expect(html).toMatch(/<ins><span class="sr">added: <\/span>[^<]*24/);
    expect(html).not.toMatch(/<script/i);
  });
});
