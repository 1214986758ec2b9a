#!/usr/bin/env bash
# Starts `cellar serve` on a model and runs the load generator at 1, 8 and 32
# concurrent clients. Usage: bench/load/run.sh [MODEL.gguf] (default: a synth
# TinyLlama-shaped Q4_0 model in $CELLAR_HOME/bench). Environment: PARALLEL
# (slots, default 8), QUEUE (default 64), SECONDS_PER_LEVEL (20), MAX_TOKENS (64),
# THREADS (compute threads, default 0 = all cores), LEVELS (1,8,32).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=build/cellar
CELLAR_HOME=${CELLAR_HOME:-$HOME/.cellar}
model=${1:-$CELLAR_HOME/bench/tinyllama-1.1b-q4_0.gguf}
if [ ! -f "$model" ]; then
  mkdir -p "$(dirname "$model")"
  "$BIN" synth --arch llama --shape tinyllama-1.1b --type Q4_0 -o "$model"
fi
log=$(mktemp)
"$BIN" serve --model "bench=$model" --port 0 --parallel "${PARALLEL:-8}" --queue "${QUEUE:-64}" \
  -t "${THREADS:-0}" --ctx 1024 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; rm -f "$log"' EXIT
port=""
for _ in $(seq 1 600); do
  port=$(grep -oE 'listening on http://[^ ]+' "$log" | grep -oE '[0-9]+$' || true)
  [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
  sleep 0.2
done
echo "model: $model  slots: ${PARALLEL:-8}  threads: ${THREADS:-0}  max_tokens: ${MAX_TOKENS:-64}"
node bench/load/load.mjs --url "http://127.0.0.1:$port" --model bench --levels "${LEVELS:-1,8,32}" \
  --seconds "${SECONDS_PER_LEVEL:-20}" --max-tokens "${MAX_TOKENS:-64}"
