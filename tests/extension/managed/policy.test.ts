// The managed policy's validation: each value on its own, bad ones reported (never echoed) and left
// out, good ones kept; the page-safe view never carries the invite code.
import { describe, expect, test } from 'vitest';
import {
  frameworkIdFromUrl,
  managedViewOf,
  parseManagedPolicy,
  sitePattern,
} from '../../../extension/lib/managed/policy';

const SERVER = 'https://qsi.trust.nhs.uk';
const INVITE = `qsi-inv-${'a'.repeat(32)}`;

describe('parseManagedPolicy', () => {
  test('a complete, valid policy', () => {
    const { policy, problems } = parseManagedPolicy({
      serverUrl: `${SERVER}/`,
      inviteCode: ` ${INVITE} `,
      defaultFramework: `${SERVER}/v1/frameworks/trust-qsi`,
      evidenceSites: ['https://intranet.trust.nhs.uk', 'https://intranet.trust.nhs.uk/', 'http://docs.local'],
      autoOpenPdf: true,
      autoOpenWord: false,
    });
    expect(problems).toEqual([]);
    expect(policy).toEqual({
      serverUrl: SERVER,
      inviteCode: INVITE,
      defaultFramework: { url: `${SERVER}/v1/frameworks/trust-qsi`, id: 'trust-qsi' },
      evidenceSites: ['https://intranet.trust.nhs.uk/*', 'http://docs.local/*'],
      autoOpenPdf: true,
      autoOpenWord: false,
    });
  });

  test.each([
    [{}, {}, []],
    [undefined, {}, []],
    [[1], {}, ['The policy is not an object.']],
    [{ serverUrl: 'http://qsi.trust.nhs.uk' }, {}, ['serverUrl is not an https://']],
    [{ serverUrl: 42 }, {}, ['serverUrl is not an https://']],
    [
      { serverUrl: SERVER, inviteCode: 'secret-typo' },
      { serverUrl: SERVER },
      ['inviteCode is not an invite code'],
    ],
    [{ inviteCode: INVITE }, {}, ['inviteCode needs a valid serverUrl']],
    [
      { serverUrl: SERVER, defaultFramework: 'https://evil.example/v1/frameworks/x' },
      { serverUrl: SERVER },
      ['defaultFramework must be a framework address on serverUrl'],
    ],
    [{ evidenceSites: 'https://a.example' }, {}, ['evidenceSites must be a list']],
    [
      {
        evidenceSites: [
          'https://a.example',
          'ftp://b.example',
          'https://*.example',
          'https://c.example:8443',
        ],
      },
      { evidenceSites: ['https://a.example/*'] },
      ['evidenceSites[1]', 'evidenceSites[2]', 'evidenceSites[3]'],
    ],
    [
      { autoOpenPdf: 'yes', autoOpenWord: true },
      { autoOpenWord: true },
      ['autoOpenPdf must be true or false'],
    ],
    [{ serverURL: SERVER }, {}, ['Unknown policy "serverURL"']],
  ])('%j → %j, problems %j', (raw, expected, problemStarts) => {
    const { policy, problems } = parseManagedPolicy(raw);
    expect(policy).toEqual(expected);
    expect(problems).toHaveLength(problemStarts.length);
    problemStarts.forEach((start, i) => {
      expect(problems[i]).toContain(start);
    });
  });

  test('a refused invite code is never repeated in the report', () => {
    const { problems } = parseManagedPolicy({ serverUrl: SERVER, inviteCode: 'qsi-inv-short-but-secret' });
    expect(problems.join(' ')).not.toContain('short-but-secret');
  });
});

test('sitePattern and frameworkIdFromUrl', () => {
  expect(sitePattern('https://Intranet.Trust.nhs.uk')).toBe('https://intranet.trust.nhs.uk/*');
  expect(sitePattern('https://intranet.trust.nhs.uk/policies')).toBeUndefined();
  expect(sitePattern('not a url')).toBeUndefined();
  expect(frameworkIdFromUrl(`${SERVER}/v1/frameworks/qsi-2021`, SERVER)).toBe('qsi-2021');
  expect(frameworkIdFromUrl(`${SERVER}/v1/frameworks/a/b`, SERVER)).toBeUndefined();
  expect(frameworkIdFromUrl(`${SERVER}/v1/frameworks/%E0%A4%A`, SERVER)).toBeUndefined();
  expect(frameworkIdFromUrl(`${SERVER}.evil.example/v1/frameworks/x`, SERVER)).toBeUndefined();
});

test('the view for pages says an invite is set, never what it is', () => {
  const view = managedViewOf({ serverUrl: SERVER, inviteCode: INVITE }, []);
  expect(view).toEqual({ serverUrl: SERVER, hasInvite: true, problems: [] });
  expect(JSON.stringify(view)).not.toContain('qsi-inv-');
});
