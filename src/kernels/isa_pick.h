#pragma once
// The active ISA's version of a kernel that has one function per ISA folder
// (scalar reference, avx2/, avx512/) but no slot in the dispatch table.
#include "kernels/kernels.h"

namespace cellar::kernels {

template <typename Fn>
Fn isa_pick(Fn scalar_fn, Fn avx2_fn, Fn avx512_fn) {
  switch (active_isa()) {
    case Isa::kAvx512:
      return avx512_fn;
    case Isa::kAvx2:
      return avx2_fn;
    default:
      return scalar_fn;
  }
}

}  // namespace cellar::kernels
