#!/usr/bin/env bash
# Fuzz suite: builds the libFuzzer targets (preset `fuzz`, clang) and runs
# each build-fuzz/fuzz/fuzz_<name> for ${CELLAR_FUZZ_SECONDS:-60} seconds on
# tests/fuzz/corpus/<name>/. New interesting inputs go to a scratch folder so
# the committed corpus only changes by hand. Any crash, leak, sanitizer
# report or input slower than 10 s fails the suite; the input is kept in
# build-fuzz/fuzz-artifacts/<name>/ — copy it into the corpus and add a unit
# test when fixing it.
set -uo pipefail
cd "$(dirname "$0")/../.."
FUZZ_SECONDS=${CELLAR_FUZZ_SECONDS:-60}
JOBS=${JOBS:-$(nproc)}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (apt-get install clang)" >&2
  exit 1
fi
cmake --preset fuzz >/dev/null || exit 1
cmake --build build-fuzz --target fuzzers -j "$JOBS" || exit 1

# One fuzzer per core at a time: each still gets its full FUZZ_SECONDS.
fuzz_one() {
  local bin=$1 name=${1##*/fuzz_}
  local corpus=tests/fuzz/corpus/$name artifacts=build-fuzz/fuzz-artifacts/$name
  local log=build-fuzz/fuzz-$name.log scratch
  scratch=$(mktemp -d)
  mkdir -p "$corpus" "$artifacts"
  if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=4096 \
      -artifact_prefix="$artifacts/" "$scratch" "$corpus" >"$log" 2>&1; then
    echo "fuzz: $name for ${FUZZ_SECONDS}s (corpus $corpus): $(grep -E "^#[0-9]+.*(DONE|pulse)" "$log" | tail -1)"
    rm -rf "$scratch"
    return 0
  fi
  echo "!!! fuzz: $name found a failure; input in $artifacts/, log $log"
  tail -n 40 "$log"
  rm -rf "$scratch"
  return 1
}

failed=0
pids=()
for bin in build-fuzz/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  fuzz_one "$bin" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$JOBS" ]; then
    wait "${pids[0]}" || failed=$((failed + 1))
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
[ "$failed" -eq 0 ]
