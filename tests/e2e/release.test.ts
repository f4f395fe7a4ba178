// Release packaging (README, "Release"): `npm run zip` makes the Chrome and Firefox store packages and a
// sources archive; the archive, unpacked in an empty directory (node_modules linked, no network),
// rebuilds byte-identical bundles. Version: package.json is the one source; CHANGELOG has it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

const root = process.cwd();
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { name: string; version: string };
const zipPath = (kind: string) => path.join(root, '.output', `${pkg.name}-${pkg.version}-${kind}.zip`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qsi-release-'));

/** Relative path → sha256 of every file under `dir`. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const unzip = (file: string, dir: string) => execFileSync('unzip', ['-q', '-o', file, '-d', dir]);

// Vitest sets NODE_ENV=test, which makes @preact/preset-vite emit dev JSX with absolute source
// paths; a release is built as production whatever the caller's environment (the zip script says so).
const env = { ...process.env, NODE_ENV: 'production', QSI_E2E_HOST_PERMISSIONS: '' };

beforeAll(() => {
  execFileSync('npm', ['run', 'zip'], { stdio: 'pipe', env });
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('npm run zip makes the Chrome, Firefox and sources packages with the package.json version', () => {
  for (const kind of ['chrome', 'firefox', 'sources']) expect(fs.existsSync(zipPath(kind)), kind).toBe(true);
  for (const [kind, dir] of [
    ['chrome', 'chrome'],
    ['firefox', 'firefox'],
  ] as const) {
    unzip(zipPath(kind), path.join(tmp, dir));
    const manifest = JSON.parse(fs.readFileSync(path.join(tmp, dir, 'manifest.json'), 'utf8'));
    expect(manifest.version).toBe(pkg.version);
    // No path of the build machine in the bundle (a dev-mode build would embed them).
    for (const file of Object.keys(hashes(path.join(tmp, dir))))
      expect(fs.readFileSync(path.join(tmp, dir, file), 'latin1'), file).not.toContain(root);
  }
  expect(fs.readFileSync('CHANGELOG.md', 'utf8')).toMatch(
    new RegExp(`^## \\[${pkg.version}\\] - \\d{4}-\\d\\d-\\d\\d$`, 'm'),
  );
});

test('the sources archive holds only tracked files and rebuilds the same bundles', () => {
  const src = path.join(tmp, 'src');
  unzip(zipPath('sources'), src);
  const listed = Object.keys(hashes(src));
  if (fs.existsSync('.git')) {
    const tracked = new Set(
      execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' }).split('\n'),
    );
    expect(listed.filter((f) => !tracked.has(f))).toEqual([]);
  }
  expect(listed).toContain('package-lock.json');
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(src, 'node_modules'), 'dir');
  execFileSync('npx', ['wxt', 'build'], { cwd: src, stdio: 'pipe', env });
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: src, stdio: 'pipe', env });
  const chrome = hashes(path.join(tmp, 'chrome'));
  expect(Object.keys(chrome).length).toBeGreaterThan(5);
  expect(hashes(path.join(src, '.output/chrome-mv3'))).toEqual(chrome);
  expect(hashes(path.join(src, '.output/firefox-mv2'))).toEqual(hashes(path.join(tmp, 'firefox')));
}, 180_000);

test('the Firefox package passes web-ext lint with zero errors; only the README-explained warnings', () => {
  const out = execFileSync(
    'npx',
    [
      'web-ext',
      'lint',
      '-s',
      path.join(tmp, 'firefox'),
      '--no-input',
      '--no-config-discovery',
      '--output=json',
    ],
    { encoding: 'utf8', env, maxBuffer: 16 * 1024 * 1024 },
  );
  const report = JSON.parse(out) as { summary: { errors: number }; warnings: { code: string }[] };
  expect(report.summary.errors).toBe(0);
  // README "Permissions": DANGEROUS_EVAL is zod's optional fast path (we run zod jitless),
  // UNSAFE_VAR_ASSIGNMENT is Preact's DOM runtime.
  expect([...new Set(report.warnings.map((w) => w.code))].sort()).toEqual([
    'DANGEROUS_EVAL',
    'UNSAFE_VAR_ASSIGNMENT',
  ]);
  console.log(
    `[release] web-ext lint: 0 errors, ${report.warnings.length} warnings (explained in the README)`,
  );
}, 120_000);

test('the store packages hold no remote code loader and no eval', () => {
  // Built output, not only our source: a dependency's dormant loader gets a store rejection too.
  // Allowed, exactly: zod's `Function("")` probe, which jitless mode never calls; pdf.js's probe of
  // the same kind, and its PostScript-function compiler, reached only when `isEvalSupported` is
  // true (the viewer passes `isEvalSupported: false`, and MV3's CSP would refuse it anyway);
  // underscore's (mammoth's) last-resort lookup of the global object, reached only where neither
  // `self` nor `global` exists (never in a browser page).
  const UNDERSCORE_GLOBAL = 'global.global===global&&global||Function(`return this`)()';
  const ZOD_PROBE = 'try{return Function(``),!0}catch{return!1}';
  const PDFJS_PROBE = 'try{new Function("");return!0}catch{return!1}';
  const PDFJS_PS_COMPILER =
    /isEvalSupported\)\{const (\w+)=\(new PostScriptCompiler\)\.compile\([\w,]+\);if\(\1\)return new Function\("src","srcOffset","dest","destOffset",\1\)\}/g;
  const findings: string[] = [];
  for (const dir of ['chrome', 'firefox']) {
    for (const file of Object.keys(hashes(path.join(tmp, dir)))) {
      if (!/\.(m?js|html)$/.test(file)) continue;
      const code = fs
        .readFileSync(path.join(tmp, dir, file), 'utf8')
        .split(ZOD_PROBE)
        .join('')
        .split(PDFJS_PROBE)
        .join('')
        .split(UNDERSCORE_GLOBAL)
        .join('')
        .replace(PDFJS_PS_COMPILER, '');
      const rules: [string, RegExp][] = [
        ['eval', /(^|[^\w$.])eval\s*\(/],
        ['Function constructor', /(^|[^\w$.])(new\s+)?Function\s*\(\s*[`'"]/],
        ['string timer', /set(Timeout|Interval)\s*\(\s*[`'"]/],
        ['importScripts', /importScripts\s*\(/],
        ['script element', /createElement\s*\(\s*[`'"]script[`'"]/],
        ['remote script', /<script[^>]+src\s*=\s*["']?(https?:)?\/\//i],
        ['remote import', /import\s*\(\s*[`'"]https?:/],
      ];
      for (const [name, re] of rules) if (re.test(code)) findings.push(`${dir}/${file}: ${name}`);
    }
  }
  expect(findings).toEqual([]);
});
