// Permission audit of the release build: the manifest may not gain a permission that is not on
// this written list (README, "Permissions").
import fs from 'node:fs';
import { expect, test } from 'vitest';
import { POLICY_KEYS } from '../../extension/lib/managed/policy';

const ALLOWED_PERMISSIONS = {
  storage: 'clips, frameworks and settings in IndexedDB / storage.local',
  activeTab: 'clip on demand in the tab the user acted on',
  scripting: 'inject the content script on demand and register it for granted sites',
  contextMenus: 'the "Clip as evidence" context-menu item',
  alarms: 'periodic background sync; the weekly reminder notification',
};

/** Asked for at run time only, when the user turns the feature on. */
const ALLOWED_OPTIONAL_PERMISSIONS = {
  notifications: 'the weekly "due soon" reminder, when the user turns it on in the dashboard',
};

const manifest = () => JSON.parse(fs.readFileSync('.output/chrome-mv3/manifest.json', 'utf8'));

test('the release manifest asks only for the audited permissions', () => {
  const m = manifest();
  expect([...m.permissions].sort()).toEqual(Object.keys(ALLOWED_PERMISSIONS).sort());
  expect(m.host_permissions ?? []).toEqual([]);
  expect(m.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
  expect([...m.optional_permissions].sort()).toEqual(Object.keys(ALLOWED_OPTIONAL_PERMISSIONS).sort());
  expect(m.content_scripts ?? []).toEqual([]);
  expect(JSON.stringify(m)).not.toContain('<all_urls>');
  expect(m.content_security_policy).toBeUndefined();
  expect(m.web_accessible_resources ?? []).toEqual([]);
});

test('the keyboard command is declared and changeable', () => {
  const m = manifest();
  expect(m.commands['clip-selection'].description).toMatch(/clip/i);
  expect(m.commands['clip-selection'].suggested_key.default).toBeTruthy();
});

test("the release manifest declares the managed-policy schema and no fixed id (only the e2e build's key)", () => {
  const m = manifest();
  expect(m.key).toBeUndefined();
  expect(m.storage).toEqual({ managed_schema: 'managed-schema.json' });
  const schema = JSON.parse(fs.readFileSync('.output/chrome-mv3/managed-schema.json', 'utf8'));
  // The schema Chrome checks policies against names exactly what the extension validates.
  expect(Object.keys(schema.properties).sort()).toEqual([...POLICY_KEYS].sort());
  const e2e = JSON.parse(fs.readFileSync('.output-e2e/chrome-mv3/manifest.json', 'utf8'));
  expect(typeof e2e.key).toBe('string');
});
