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

failed=0
for bin in build-fuzz/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=${bin##*/fuzz_}
  corpus=tests/fuzz/corpus/$name
  artifacts=build-fuzz/fuzz-artifacts/$name
  scratch=$(mktemp -d)
  mkdir -p "$corpus" "$artifacts"
  log=build-fuzz/fuzz-$name.log
  echo "fuzz: $name for ${FUZZ_SECONDS}s (corpus $corpus)"
  if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=4096 \
      -artifact_prefix="$artifacts/" "$scratch" "$corpus" >"$log" 2>&1; then
    grep -E "^#[0-9]+.*(DONE|pulse)" "$log" | tail -1
  else
    failed=$((failed + 1))
    echo "!!! fuzz: $name found a failure; input in $artifacts/, log $log"
    tail -n 40 "$log"
  fi
  rm -rf "$scratch"
done
[ "$failed" -eq 0 ]
