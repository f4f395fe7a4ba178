// The container's HEALTHCHECK (deploy/Containerfile): GET /healthz on this process's port; exit 0
// when the server answers 200 (its store answered a ping), 1 otherwise. Node only: the runtime
// image has no curl. Also run by tests/server/start-command.test.ts against the started server.
const port = process.env.PORT || '8787';
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
