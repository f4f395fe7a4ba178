// The repository explains itself: comments point to docs/ in the repository, never to documents
// that are not shipped with it (a handbook beside the checkout, numbered design sections, issues).
import { describe, expect, it } from 'vitest';
import { read, sourceFiles } from './source-files';

const OUTSIDE =
  /\bdesign §|\bdesign\.md\b|\bissues? #?\d+\b|\.\.\/shared\/(?:design|style|toolchain|research)|\btoolchain\.md\b|\bresearch\/[a-z-]+\.md\b/i;

/** The comment part of a line: a line comment, or a line inside a block comment. */
function commentOf(line: string): string {
  const trimmed = line.trim();
  if (/^(\/\/|\/\*|\*)/.test(trimmed)) return trimmed;
  const i = line.indexOf(' // ');
  return i >= 0 ? line.slice(i) : '';
}

/** Comment lines of `text` that cite a document outside the repository. */
function outsideCitations(text: string): string[] {
  return text.split('\n').filter((line) => OUTSIDE.test(commentOf(line)));
}

describe('comments cite only what the repository holds', () => {
  it('detects the citations it bans (negative control)', () => {
    expect(outsideCitations('// merge rules (design §7)')).toHaveLength(1);
    expect(outsideCitations('// the bad inputs issue 2 lists')).toHaveLength(1);
    expect(outsideCitations('// see ../shared/toolchain.md')).toHaveLength(1);
    expect(outsideCitations(' * as the pilot found (issue #9)')).toHaveLength(1);
    expect(outsideCitations('// see docs/anchoring.md; Dexie #233; RFC 8118 §3')).toHaveLength(0);
    expect(outsideCitations("import { x } from '../shared/schemas';")).toHaveLength(0);
  });

  it('no source file cites a document outside the repository', () => {
    const offenders: string[] = [];
    for (const file of [
      ...sourceFiles(['extension', 'server', 'shared', 'tests', 'bench', 'demo', 'scripts']),
      'wxt.config.ts',
      'vitest.config.ts',
    ]) {
      if (file === 'tests/repo/doc-citations.test.ts') continue;
      for (const line of outsideCitations(read(file))) offenders.push(`${file}: ${line.trim()}`);
    }
    expect(offenders).toEqual([]);
  });
});
