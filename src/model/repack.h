#pragma once
// Load-time repacking of matmul weights into the x16 layout
// (kernels/interleave.h) when the active kernels read it faster. The copies
// replace the views into the mapped file; the file pages they came from are
// released, so resident memory stays about one copy of the weights.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/weights.h"

namespace cellar {

// Owns the repacked copies (64-byte aligned).
class RepackedStore {
 public:
  struct Free {
    void operator()(uint8_t* p) const;
  };
  using Buffer = std::unique_ptr<uint8_t, Free>;

  uint8_t* allocate(size_t bytes);  // throws std::bad_alloc
  uint64_t bytes() const { return bytes_; }
  // mlock()s every buffer; false with *err on failure.
  bool lock(std::string* err) const;

 private:
  std::vector<std::pair<Buffer, size_t>> buffers_;
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
