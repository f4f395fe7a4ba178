#!/bin/sh
# The server's start command, one copy for every way it runs: the container image's CMD
# (deploy/Containerfile) and the test that runs this same command outside a container
# (tests/server/start-command.test.ts). Settings come from the environment (server/env.ts).
# tsx compiles the TypeScript in memory: its disk cache is off so a read-only root filesystem
# (and a read-only TMPDIR) is enough.
set -eu
cd "$(dirname "$0")/.."
export TSX_DISABLE_CACHE=1
exec node --import tsx server/main.ts
