// docKey: one key per document however the page was reached; never one key for two documents.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { docKey, isTrackingParam } from '../../shared/doc-key';

describe('docKey', () => {
  test.each([
    [
      'lower-cases scheme and host',
      'HTTPS://Intranet.Northshire.NHS.UK/Policies/MRI.html',
      'https://intranet.northshire.nhs.uk/Policies/MRI.html',
    ],
    ['drops the default port', 'https://intranet.example:443/a', 'https://intranet.example/a'],
    ['drops the default http port', 'http://intranet.example:80/a', 'http://intranet.example/a'],
    ['keeps a non-default port', 'http://127.0.0.1:8788/a.html', 'http://127.0.0.1:8788/a.html'],
    ['drops the fragment', 'https://i.example/p.html#section-3', 'https://i.example/p.html'],
    [
      'drops a text fragment',
      'https://i.example/p.html#:~:text=patient%20identification',
      'https://i.example/p.html',
    ],
    [
      'drops utm_* and click ids',
      'https://i.example/p?utm_source=mail&utm_Medium=x&fbclid=1&gclid=2&msclkid=3&id=42',
      'https://i.example/p?id=42',
    ],
    [
      'drops mailchimp and GA params',
      'https://i.example/p?mc_cid=a&mc_eid=b&_ga=c&_gl=d',
      'https://i.example/p',
    ],
    [
      'tracking names are case-insensitive',
      'https://i.example/p?UTM_SOURCE=x&FBCLID=y',
      'https://i.example/p',
    ],
    [
      'keeps identity params, sorted',
      'https://dms.example/view.aspx?page=3&DocumentId=QP-114&sourcedoc=%7BABC%7D',
      'https://dms.example/view.aspx?DocumentId=QP-114&page=3&sourcedoc=%7BABC%7D',
    ],
    [
      'keeps ref (a DMS document reference)',
      'https://dms.example/doc?ref=IMG-POL-004',
      'https://dms.example/doc?ref=IMG-POL-004',
    ],
    ['repeated names keep value order', 'https://i.example/p?b=2&a=1&b=1', 'https://i.example/p?a=1&b=2&b=1'],
    ['empty query leaves no ?', 'https://i.example/p?', 'https://i.example/p'],
    [
      'index.html reduced to its folder',
      'https://i.example/policies/index.html',
      'https://i.example/policies/',
    ],
    ['index.htm reduced to its folder', 'https://i.example/INDEX.HTM', 'https://i.example/'],
    [
      'other file names kept',
      'https://i.example/policies/index.aspx',
      'https://i.example/policies/index.aspx',
    ],
    ['no trailing-slash folding', 'https://i.example/policies', 'https://i.example/policies'],
    ['path case kept', 'https://i.example/Policies/MRI-Safety', 'https://i.example/Policies/MRI-Safety'],
    ['percent-escapes upper-cased', 'https://i.example/a%2fb%c3%a9', 'https://i.example/a%2Fb%C3%A9'],
    [
      'jsessionid path parameter dropped',
      'https://i.example/doc;jsessionid=ABC123?id=1',
      'https://i.example/doc?id=1',
    ],
    ['session query params dropped', 'https://i.example/doc?PHPSESSID=x&id=1', 'https://i.example/doc?id=1'],
    ['credentials dropped', 'https://user:pw@i.example/doc', 'https://i.example/doc'],
    ['www kept', 'https://www.example.nhs.uk/x', 'https://www.example.nhs.uk/x'],
    ['not a URL: trimmed, fragment dropped', '  not a url#frag ', 'not a url'],
  ])('%s', (_name, input, expected) => {
    expect(docKey(input)).toBe(expected);
  });

  test('is idempotent', () => {
    fc.assert(
      fc.property(fc.webUrl({ withFragments: true, withQueryParameters: true }), (url) => {
        const once = docKey(url);
        expect(docKey(once)).toBe(once);
      }),
    );
  });

  test('adding tracking parameters or a fragment never changes the key', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true }),
        fc.constantFrom('utm_source', 'utm_campaign', 'fbclid', 'gclid', 'mc_eid', '_ga'),
        fc.string({ minLength: 1, maxLength: 8 }),
        (url, name, value) => {
          const u = new URL(url);
          u.searchParams.append(name, value);
          u.hash = 'section';
          expect(docKey(u.href)).toBe(docKey(url));
        },
      ),
    );
  });

  test('isTrackingParam', () => {
    expect(isTrackingParam('utm_term')).toBe(true);
    expect(isTrackingParam('docid')).toBe(false);
    expect(isTrackingParam('ref')).toBe(false);
  });
});
