// The edits real policy revisions make (docs/anchoring.md): each must relocate the clip onto its
// new wording, as `relocated` (never `exact` for changed text), or find it where it moved.
import { describe, expect, test } from 'vitest';
import { describeText, locateText, normalizeText } from '../../../shared/anchoring';

const PAGE = normalizeText(`
  Introduction. This guidance explains how services meet the accessibility requirements that apply to public websites.
  Scope. The guidance applies to every page and document published by the service, including forms and downloads.
  Success Criterion 1.4.3 requires a contrast ratio of at least 4.5 to 1 for text and images of text that use colour to convey meaning.
  Teams should test pages with assistive technologies before each release and record the results in the audit log.
  Exceptions. Logos and incidental text that is part of an inactive interface component have no contrast requirement.
  Review. The accessibility lead reviews this guidance every year and publishes a summary of the changes made.
`);

function clip(text: string, quote: string) {
  const at = text.indexOf(quote);
  if (at < 0) throw new Error(`no ${quote}`);
  return describeText(text, at, at + quote.length);
}

describe('real revision edits', () => {
  const sentence =
    'Success Criterion 1.4.3 requires a contrast ratio of at least 4.5 to 1 for text and images of text that use colour to convey meaning.';

  test.each([
    ['case only', 'Success Criterion', 'success criterion'],
    ['one word swapped', 'that use colour', 'which use colour'],
    ['a clause inserted', 'for text and images', 'for body text, headings and images'],
    ['punctuation', 'to convey meaning.', 'to convey meaning:'],
  ])('%s: relocated onto the new wording', (_label, from, to) => {
    const after = PAGE.replace(from, to);
    const r = locateText(after, clip(PAGE, sentence));
    const now = sentence.replace(from, to);
    expect(r.status).toBe('relocated');
    expect(after.slice(r.start, r.end)).toBe(now);
  });

  test('a one-letter typo fixed inside the quote: relocated', () => {
    const page = PAGE.replace('assistive technologies', 'assistive technolgies');
    const q =
      'Teams should test pages with assistive technolgies before each release and record the results in the audit log.';
    const r = locateText(PAGE, clip(page, q));
    expect(r.status).toBe('relocated');
    expect(PAGE.slice(r.start, r.end)).toBe(q.replace('technolgies', 'technologies'));
  });

  test('a unique sentence moved unchanged into a new paragraph with new neighbours: found there', () => {
    const q =
      'Logos and incidental text that is part of an inactive interface component have no contrast requirement.';
    const after = normalizeText(
      `${PAGE.replace(`Exceptions. ${q}`, 'Exceptions are listed in the appendix.')}\nAppendix. Some text is exempt. ${q} Ask the lead when unsure.`,
    );
    const r = locateText(after, clip(PAGE, q));
    expect(r.status).toBe('relocated');
    expect(r.start).toBe(after.indexOf(q));
    // A verbatim quote keeps its very range (no punctuation added after it).
    const bare = q.slice(0, -1);
    const r2 = locateText(after, clip(PAGE, bare));
    expect(r2.status).toBe('relocated');
    expect(after.slice(r2.start, r2.end)).toBe(bare);
  });

  test('a unique sentence moved alone into a new paragraph, its old neighbours now adjacent: found', () => {
    const q =
      'Teams should test pages with assistive technologies before each release and record the results in the audit log.';
    const after = normalizeText(`${PAGE.replace(`${q} `, '')}\nTesting. ${q}`);
    const sel = clip(PAGE, q);
    expect(sel[0]).toMatchObject({ unique: true });
    const r = locateText(after, sel);
    expect(r.status).toBe('relocated');
    expect(after.slice(r.start, r.end)).toBe(q);
    // A clip saved without the flag (0.1.0) keeps the old, cautious answer: its neighbourhood
    // left behind means the copy may be another instance.
    const old = sel.map((s) => (s.type === 'TextQuoteSelector' ? { ...s, unique: undefined } : s));
    expect(locateText(after, old).status).toBe('lost');
  });

  test('a sentence that stood twice when clipped, removed at the clip: the other instance is not taken', () => {
    const q =
      'Teams should test pages with assistive technologies before each release and record the results in the audit log.';
    const before = normalizeText(`${PAGE}\nChecklist. ${q}`);
    const sel = clip(before, q);
    expect(sel[0]).not.toHaveProperty('unique');
    const after = before.replace(`${q} `, '');
    expect(locateText(after, sel).status).toBe('lost');
  });

  test('a short quote whose suffix gained a word: still exact where it was', () => {
    const q = 'audit log';
    const after = PAGE.replace('in the audit log.', 'in the audit log today.');
    const r = locateText(after, clip(PAGE, q));
    expect(r.status).not.toBe('lost');
    expect(r.start).toBe(after.indexOf(q));
  });

  test('moved to new neighbours with one word edited: relocated when nothing else looks like it, lost beside a look-alike', () => {
    const q =
      'Logos and incidental text that is part of an inactive interface component have no contrast requirement.';
    const move = (now: string) =>
      normalizeText(
        `${PAGE.replace(`Exceptions. ${q}`, 'Exceptions are listed in the appendix.')}\nAppendix. Some text is exempt. ${now} Ask the lead when unsure.`,
      );
    const slight = q.replace('that is part of', 'that is a part of');
    const after = move(slight);
    const r = locateText(after, clip(PAGE, q));
    expect(r.status).toBe('relocated');
    expect(after.slice(r.start, r.end)).toBe(slight);
    // "Logos" → "Icons" with no other look-alike on the page: the passage edited, shown as
    // moved or changed (the card shows the swapped word) — never `exact`.
    const icons = q.replace('Logos', 'Icons');
    const alone = move(icons);
    const r2 = locateText(alone, clip(PAGE, q));
    expect(r2.status).toBe('relocated');
    expect(alone.slice(r2.start, r2.end)).toBe(icons);
    // Beside another sentence of the same kind ("Badges …"), either could be it: lost, offered.
    const twins = move(`${icons} ${q.replace('Logos', 'Badges')}`);
    const r3 = locateText(twins, clip(PAGE, q));
    expect(r3.status).toBe('lost');
    expect(r3.suggestions?.length).toBeGreaterThan(0);
  });

  test('reworded between its unchanged neighbours: relocated there', () => {
    const q = 'Teams should test pages with assistive technologies before each release';
    const now =
      'Teams should check all new pages and online forms with assistive technologies before every release';
    const after = PAGE.replace(q, now);
    const r = locateText(after, clip(PAGE, q));
    expect(r.status).toBe('relocated');
    expect(after.slice(r.start, r.end)).toBe(now);
    // Below the word stage's usual 0.75: accepted only because both neighbours hold.
    expect(r.quoteSimilarity).toBeLessThan(0.75);
  });

  test('a changed number is not relocated: lost, offered as a suggestion', () => {
    const after = PAGE.replace('4.5 to 1', '7 to 1');
    const r = locateText(after, clip(PAGE, sentence));
    expect(r.status).toBe('lost');
    const s = r.suggestions?.[0];
    expect(s && after.slice(s.start, s.end)).toBe(sentence.replace('4.5 to 1', '7 to 1'));
  });
});
