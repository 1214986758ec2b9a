#pragma once
// Per-thread scratch for the ISA folders. Their files are compiled with wider
// instruction sets, so they must not instantiate std templates: the linker
// keeps one copy of each inline instantiation, and a copy built with AVX-512
// could be the one generic code calls on a CPU without it. They take their
// buffers from here, a file built for every x86-64.
#include <cstddef>
#include <cstdint>

namespace cellar::kernels {

// At least n values, valid on this thread until its next call.
uint16_t* thread_scratch_u16(size_t n);

}  // namespace cellar::kernels
