// Before the end-to-end tests: make sure Debian's Chromium is there (install it when we are root
// on Debian, otherwise fail with the exact command; never skip silently) and build the extension.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { CHROMIUM } from './chromium';

function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  const isRoot = process.getuid?.() === 0;
  const isDebian = fs.existsSync('/etc/debian_version');
  if (isRoot && isDebian) {
    console.log('[e2e] Chromium is missing: installing Debian chromium (apt-get)…');
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return;
  }
  throw new Error(
    `Chromium not found at ${CHROMIUM}. Install it with: sudo apt-get update && sudo apt-get install -y chromium (or set CHROMIUM=/path/to/chromium).`,
  );
}

export default function setup(): void {
  ensureChromium();
  // The release build (for its manifest checks) and the e2e build granted the loopback demo site.
  execFileSync('npx', ['wxt', 'build'], { stdio: 'pipe' });
  execFileSync('npx', ['wxt', 'build'], {
    stdio: 'pipe',
    env: { ...process.env, QSI_E2E_HOST_PERMISSIONS: '1' },
  });
}
