#pragma once
// The memory read bandwidth of this machine: the ceiling of decode speed,
// which reads every weight once per token. Issue #3 states decode figures as
// a percentage of "a plain read of a large buffer" by the same threads; on a
// shared VM that figure moves from minute to minute (this project's 2-core
// VM: 31-35 or 55-57 GB/s), so `cellar bench` measures it beside each run.
#include <cstddef>

#include "util/huge_buffer.h"
#include "util/thread_pool.h"

namespace cellar {

class ReadProbe {
 public:
  // Allocates `bytes` (huge pages where the kernel gives them, like the
  // weights) and writes them once from the pool's threads, so every page is
  // backed by its own memory: reading never-written anonymous memory would
  // read the kernel's shared zero page from cache. Throws
  // std::invalid_argument when bytes is 0, std::bad_alloc when out of memory.
  ReadProbe(size_t bytes, ThreadPool& pool);

  // Reads the whole buffer once, each worker its own contiguous share (one
  // sequential stream per thread, as a plain benchmark read does). Returns GB/s.
  double measure();

  size_t bytes() const { return buf_.size(); }

 private:
  HugeBuffer buf_;  // [bytes]
  ThreadPool& pool_;
};

}  // namespace cellar
