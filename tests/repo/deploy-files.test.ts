// The deployment files that cannot run here (no container engine) are at least checked for shape:
// compose.yaml parses and wires PostgreSQL, two read-only non-root servers and the TLS proxy; every
// file it mounts exists; its nginx config is the host config with service-name upstreams; the
// image, the systemd unit and the test share one start command.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');

interface Service {
  build?: { context: string; dockerfile: string };
  read_only?: boolean;
  user?: string;
  tmpfs?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  networks?: string[] | Record<string, { ipv4_address?: string }>;
  healthcheck?: unknown;
  ports?: string[];
}

const compose = parse(read('deploy/compose/compose.yaml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

test('compose: PostgreSQL, two servers and the TLS proxy', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'proxy', 'server-1', 'server-2']);
  const proxyNetworks = (compose.services.proxy?.networks ?? {}) as Record<string, { ipv4_address?: string }>;
  const proxyAddress = proxyNetworks.backend?.ipv4_address;
  expect(proxyAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  for (const name of ['server-1', 'server-2']) {
    const s = compose.services[name] as Service;
    expect(s.read_only).toBe(true);
    expect(s.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(s.tmpfs).toContain('/tmp');
    expect(s.environment?.NODE_ENV).toBe('production');
    expect(s.environment?.DATABASE_URL).toMatch(
      /^postgres:\/\/qsi_clipper:\$\{QSI_DB_PASSWORD[^}]*\}@postgres:5432\//,
    );
    expect(s.environment?.TRUST_PROXY).toBe(proxyAddress);
    expect(s.environment?.DATA_DIR).toBe('/data');
    expect(s.volumes).toContain('server-data:/data');
    expect(s.depends_on?.postgres?.condition).toBe('service_healthy');
    const dockerfile = path.join(root, 'deploy/compose', s.build?.context ?? '', s.build?.dockerfile ?? '');
    expect(fs.existsSync(dockerfile), dockerfile).toBe(true);
  }
  expect(compose.services.proxy?.ports).toContain('443:443');
  expect(compose.services.postgres?.healthcheck).toBeDefined();
  // Every file a service mounts exists (named volumes and the operator's certificate aside).
  for (const s of Object.values(compose.services))
    for (const v of s.volumes ?? []) {
      const src = v.split(':')[0] ?? '';
      if (src === './tls') continue; // the operator's certificate (compose.yaml's first lines)
      if (src.startsWith('.')) expect(fs.existsSync(path.join(root, 'deploy/compose', src)), src).toBe(true);
      else expect(Object.keys(compose.volumes)).toContain(src);
    }
});

test("compose's nginx config is the host one with service-name upstreams", () => {
  const host = read('deploy/nginx-qsi-clipper.conf')
    .replace('server 127.0.0.1:8801 ', 'server server-1:8787 ')
    .replace('server 127.0.0.1:8802 ', 'server server-2:8787 ');
  const composed = read('deploy/compose/nginx.conf').split('\n').slice(2).join('\n');
  expect(composed).toBe(host);
});

test('the image: non-root, read-only friendly, a health check on /healthz, the shared start command', () => {
  const file = read('deploy/Containerfile');
  expect(file).toMatch(/^USER 10001:10001$/m);
  expect(file).toMatch(/^VOLUME \["\/data"\]$/m);
  expect(file).toMatch(/^HEALTHCHECK .* CMD \["node", "deploy\/healthcheck\.mjs"\]$/m);
  expect(read('deploy/healthcheck.mjs')).toContain('/healthz');
  expect(file).toMatch(/^CMD \["\/bin\/sh", "deploy\/start-server\.sh"\]$/m);
  // What the image copies is what .dockerignore lets through.
  const ignore = read('.dockerignore');
  for (const f of [
    'package.json',
    'package-lock.json',
    'server/',
    'shared/',
    'deploy/start-server.sh',
    'deploy/healthcheck.mjs',
  ])
    expect(ignore).toContain(`!${f}`);
  // The systemd unit runs the same node command as the start script.
  const script = read('deploy/start-server.sh');
  expect(script).toContain('exec node --import tsx server/main.ts');
  expect(read('deploy/qsi-clipper@.service')).toMatch(
    /^ExecStart=\/usr\/bin\/node --import tsx server\/main\.ts$/m,
  );
});
