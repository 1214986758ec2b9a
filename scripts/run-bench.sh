#!/usr/bin/env bash
# `make bench`: the engine figures of docs/PERFORMANCE.md. Synthesises
# TinyLlama-1.1B-shaped models (random weights, llama.cpp's tensor types and
# sizes) once into $BENCH_DIR, then runs `cellar bench` on each with and
# without the x16 repack. TYPES, THREADS, REPS override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/cellar
BENCH_DIR=${BENCH_DIR:-${CELLAR_HOME:-$HOME/.cellar}/bench}
TYPES=${TYPES:-"Q4_0 Q8_0 Q4_K_M F16"}
THREADS=${THREADS:-2}
REPS=${REPS:-3}
mkdir -p "$BENCH_DIR"
for t in $TYPES; do
  model=$BENCH_DIR/tinyllama-1.1b-$(echo "$t" | tr 'A-Z' 'a-z').gguf
  [ -f "$model" ] || "$BIN" synth --shape tinyllama-1.1b --type "$t" -o "$model"
  echo "== $t"
  "$BIN" bench -m "$model" -t "$THREADS" -p 128 -n 64 -r "$REPS" --batch 8
  if [ "$t" != F16 ]; then
    echo "-- $t, file layout (--no-repack)"
    "$BIN" bench -m "$model" -t "$THREADS" -p 128 -n 64 -r "$REPS" --batch 8 --no-repack
  fi
done
echo "server: bench/load/run.sh (throughput, TTFT) and bench/load/multiturn.mjs (prompt cache)"
