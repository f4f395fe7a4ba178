// `npm start`: build the extension for Chrome (MV3) and Firefox, start the sync server on SQLite
// under ./data/ and the demo intranet, then print how to load the extension.
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { serveDemo } from '../demo/serve';

const root = path.resolve(import.meta.dirname, '..');
const run = (args: string[]) => execFileSync('npx', args, { cwd: root, stdio: 'inherit' });

console.log('Building the extension (Chrome MV3 and Firefox)…');
run(['wxt', 'build']);
run(['wxt', 'build', '-b', 'firefox']);

// A demo team on first start, so "Join a team" in the dashboard can be tried at once.
const dataDir = path.join(root, 'data');
const cli = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
const teamNote = cli('team', 'list').trim()
  ? 'Teams already exist in ./data: create an invite with `npm run server:cli -- invite create <teamId>`.'
  : `A demo team was created. Join it from Dashboard → Team with server http://127.0.0.1:8787 and:\n${cli('team', 'create', 'Demo imaging team')}`;

const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, HOST: '127.0.0.1', PORT: '8787', DATA_DIR: dataDir },
});
const demo = await serveDemo(8788);

console.log(`
QSI Evidence Clipper is running.
  Sync server    http://127.0.0.1:8787/healthz   (SQLite in ./data/)
  Demo intranet  http://127.0.0.1:8788/

Load the extension:
  Chrome / Edge  open chrome://extensions (edge://extensions), turn on Developer mode,
                 "Load unpacked" → ${path.join(root, '.output/chrome-mv3')}
  Firefox        open about:debugging#/runtime/this-firefox, "Load Temporary Add-on…"
                 → ${path.join(root, '.output/firefox-mv2/manifest.json')}

${teamNote}
Press Ctrl+C to stop.`);

const stop = () => {
  server.kill('SIGTERM');
  demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => {
  if (code) {
    console.error(`The sync server exited with code ${code}.`);
    demo.close();
    process.exit(code);
  }
});
