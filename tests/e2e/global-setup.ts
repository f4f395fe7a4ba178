// Before the end-to-end tests: make sure Debian's Chromium, firefox-esr and unzip are there (install them
// when we are root on Debian, otherwise fail with the exact command; never skip silently) and
// build the extension.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { CHROMIUM } from './chromium';
import { FIREFOX } from './firefox';

function ensureTool(binary: string, aptPackage: string, envVar?: string): void {
  if (fs.existsSync(binary)) return;
  const isRoot = process.getuid?.() === 0;
  const isDebian = fs.existsSync('/etc/debian_version');
  if (isRoot && isDebian) {
    console.log(`[e2e] ${aptPackage} is missing: installing it (apt-get)…`);
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-q', aptPackage], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return;
  }
  throw new Error(
    `${aptPackage} not found at ${binary}. Install it with: sudo apt-get update && sudo apt-get install -y ${aptPackage}${envVar ? ` (or set ${envVar}=/path/to/${aptPackage})` : ''}.`,
  );
}

export default function setup(): void {
  ensureTool(CHROMIUM, 'chromium', 'CHROMIUM');
  ensureTool(FIREFOX, 'firefox-esr', 'FIREFOX');
  ensureTool('/usr/bin/unzip', 'unzip'); // the release and export checks read the zips
  // The release build (for its manifest checks) and the e2e build granted the loopback demo site.
  execFileSync('npx', ['wxt', 'build'], { stdio: 'pipe' });
  execFileSync('npx', ['wxt', 'build'], {
    stdio: 'pipe',
    env: { ...process.env, QSI_E2E_HOST_PERMISSIONS: '1' },
  });
  // The same grant for the Firefox smoke test (MV2: the host goes into `permissions`), and Word
  // auto-open on from the start (extension/lib/config.ts says why).
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], {
    stdio: 'pipe',
    env: { ...process.env, QSI_E2E_HOST_PERMISSIONS: '1', WXT_E2E_DOCX_AUTO_OPEN: '1' },
  });
}
