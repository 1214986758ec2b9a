#!/usr/bin/env bash
# The ISA folders (src/kernels/avx2, src/kernels/avx512) are compiled with
# wider instruction sets than the rest. An inline function or template of
# external linkage instantiated there (a std::vector method, a shared helper)
# is a weak symbol the linker may pick for every caller, so a CPU without
# that instruction set could run the wide copy and die on SIGILL. This check
# fails when the release build's ISA objects define any weak code symbol.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Objects of sources that still exist (a build tree can keep stale ones).
objs=""
for o in build/CMakeFiles/cellar_kernels.dir/src/kernels/avx2/*.o build/CMakeFiles/cellar_kernels.dir/src/kernels/avx512/*.o; do
  [ -e "$o" ] || continue
  src=${o#build/CMakeFiles/cellar_kernels.dir/}
  if [ -e "${src%.o}" ]; then objs="$objs $o"; fi
done
if [ -z "$objs" ]; then
  echo "isa-symbols: no ISA object files under build/ (run make build first)" >&2
  exit 1
fi
# W/V: weak (inline functions, templates); u: GNU unique. DW.ref.* is unwind data, not code.
weak=$(nm -C --defined-only $objs | grep -E ' [WVu] ' | grep -v ' DW\.ref\.' || true)
if [ -n "$weak" ]; then
  echo "isa-symbols: weak symbols in ISA objects (give them internal linkage or move them to a generic file):" >&2
  echo "$weak" >&2
  exit 1
fi
echo "isa-symbols: $(echo "$objs" | wc -w) ISA objects, no weak symbols"
