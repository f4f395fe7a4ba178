// Links and exported targets are http(s) only, whatever the spelling of the hostile scheme.
import { describe, expect, test } from 'vitest';
import { clipsToAnnotationCollection } from '../../shared/exports/json-ld';
import { isHttpUrl, safeHref } from '../../shared/safe-url';
import type { Clip } from '../../shared/schemas';
import { HOSTILE_URLS } from '../xss/payloads';

describe('safeHref', () => {
  test.each(HOSTILE_URLS.filter((u) => !u.startsWith('https://')))('refuses %j', (u) => {
    expect(safeHref(u)).toBeUndefined();
    expect(isHttpUrl(u)).toBe(false);
  });

  test.each([
    'https://intranet.example-trust.nhs.uk/policies/a?b=c#d',
    'HTTP://127.0.0.1:8788/x',
    'https://intranet.example-trust.nhs.uk/"><img src=x>',
  ])('keeps %j', (u) => expect(safeHref(u)).toBe(u));
});

describe('JSON-LD export', () => {
  const clip = (id: string, url: string): Clip => ({
    id,
    url,
    docKey: url,
    title: 't',
    selectors: [{ type: 'TextQuoteSelector', exact: 'q' }],
    quote: 'q',
    criteria: [],
    note: '',
    docMeta: {},
    createdBy: { id: 'a', name: 'A' },
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    deleted: false,
  });

  test('leaves out clips whose URL is not http(s) (only a tampered database has them)', () => {
    const doc = clipsToAnnotationCollection(
      [
        clip('00000000-0000-4000-8000-000000000001', 'https://intranet.example/a'),
        clip('00000000-0000-4000-8000-000000000002', 'javascript:alert(1)'),
        clip('00000000-0000-4000-8000-000000000003', ' JAVASCRIPT:alert(1)'),
      ],
      '2026-11-01T10:00:00.000Z',
      'x',
    );
    expect(doc.first.items.map((a) => a.target.source)).toEqual(['https://intranet.example/a']);
  });
});
