#!/usr/bin/env bash
# Runs every test suite: release unit + integration tests (ctest), the same
# unit tests under ASan+UBSan, then end-to-end tests with the real clients.
# Ends with one summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
passed=0
failed=0
run_suite() {
  local name=$1; shift
  echo "=== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "!!! $name FAILED"; fi
}

run_suite "ctest (release)" ctest --test-dir build --output-on-failure -j "$JOBS"

if [ "${CELLAR_SKIP_ASAN:-0}" != 1 ]; then
  # Only the unit-test binaries (and the cellar binary some of them drive) are
  # built with sanitizers: that is what runs under them, and it keeps CI short.
  asan_targets="cellar"
  for d in tests/unit/*/; do asan_targets="$asan_targets unit_$(basename "$d")"; done
  run_suite "build (asan)" bash -c "cmake --preset asan >/dev/null && cmake --build --preset asan -j $JOBS --target $asan_targets"
  run_suite "ctest (asan+ubsan, unit)" ctest --test-dir build-asan --output-on-failure -L unit -j "$JOBS"
fi

for extra in scripts/tests.d/*.sh; do
  [ -e "$extra" ] || continue
  run_suite "$(basename "$extra")" bash "$extra"
done

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
