#!/usr/bin/env bash
# End-to-end tests: `cellar serve` on a free loopback port, exercised by the
# official `openai` and `ollama` npm clients (tests/e2e, pinned with a
# lockfile) under node's test runner. Uses the refdata stories260K model, or
# a `cellar synth` model when the reference data is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$PWD/build/cellar
[ -x "$BIN" ] || { echo "e2e: $BIN is missing; run 'make build' first"; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "e2e: SKIPPED (node/npm not installed)"; exit 0; }

WORK=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

refdata=${CELLAR_REFDATA:-$PWD/../shared/refdata}
model=""
if [ -f "$refdata/models/stories260K.gguf" ]; then
  model="$refdata/models/stories260K.gguf"
elif "$BIN" synth --help >/dev/null 2>&1; then
  "$BIN" synth --arch llama --shape tiny --type Q8_0 -o "$WORK/e2e.gguf" >/dev/null
  model="$WORK/e2e.gguf"
else
  echo "e2e: SKIPPED (no refdata model and no 'cellar synth')"
  exit 0
fi

"$BIN" serve --model "e2e=$model" --port 0 --parallel 2 --queue 32 --ctx 512 -t 2 2>"$WORK/server.log" &
pid=$!
port=""
for _ in $(seq 1 300); do
  port=$(grep -oE 'listening on http://[^ ]+' "$WORK/server.log" | grep -oE '[0-9]+$' || true)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "e2e: server did not start"; cat "$WORK/server.log"; exit 1; }
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
  sleep 0.1
done

(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
status=0
(cd tests/e2e && CELLAR_URL="http://127.0.0.1:$port" CELLAR_MODEL=e2e node --test --test-concurrency=1) || status=$?

kill -TERM "$pid"
server_status=0
wait "$pid" || server_status=$?
pid=""
if [ "$server_status" -ne 0 ]; then
  echo "e2e: server exited with $server_status after SIGTERM"
  tail -20 "$WORK/server.log"
  status=1
fi
[ "$status" -eq 0 ] || { echo "--- server log (tail)"; tail -30 "$WORK/server.log"; }
exit "$status"
