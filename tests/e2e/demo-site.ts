// The demo intranet on an ephemeral loopback port, for end-to-end tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveDemo } from '../../demo/serve';

export interface DemoSite {
  origin: string;
  url: (path: string) => string;
  close: () => Promise<void>;
}

export async function startDemoSite(): Promise<DemoSite> {
  const server: Server = await serveDemo(0);
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}/${path.replace(/^\//, '')}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
