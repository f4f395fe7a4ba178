// Permission audit of the release build: the manifest may not gain a permission that is not on
// this written list (README, "Permissions").
import fs from 'node:fs';
import { expect, test } from 'vitest';

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
