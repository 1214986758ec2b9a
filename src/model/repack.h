#pragma once
// Load-time repacking of matmul weights into the x16 layout
// (kernels/interleave.h) when the active kernels read it faster. The copies
// replace the views into the mapped file; the file pages they came from are
// released, so resident memory stays about one copy of the weights.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/weights.h"
#include "util/huge_buffer.h"

namespace cellar {

// Owns the repacked copies (64-byte aligned), carved from huge-page arenas
// (util/huge_buffer.h).
class RepackedStore {
 public:
  // One arena for the allocations that follow (their total, each rounded to 64 bytes).
  void reserve(size_t bytes);                   // throws std::bad_alloc
  uint8_t* allocate(size_t bytes);              // throws std::bad_alloc
  uint64_t bytes() const { return bytes_; }     // handed out
  // mlock()s every arena; false with *err on failure.
  bool lock(std::string* err) const;

 private:
  std::vector<HugeBuffer> arenas_;
  size_t used_ = 0;  // bytes handed out of arenas_.back()
  uint64_t bytes_ = 0;
};

// Repacks every layer matrix and the output head that the active ISA runs
// faster as x16, using up to `n_threads` threads. Returns the number of
// matrices repacked; `released` gets the file ranges no longer read.
int repack_weights(ModelWeights& w, RepackedStore& store, int n_threads,
                   std::vector<std::pair<const void*, size_t>>* released = nullptr);

// mlock()s [p, p + n) widened to whole pages; false with *err on failure.
bool lock_range(const void* p, size_t n, std::string* err);

}  // namespace cellar
