#include "kernels/scratch.h"

#include <vector>

namespace cellar::kernels {

uint16_t* thread_scratch_u16(size_t n) {
  thread_local std::vector<uint16_t> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}

}  // namespace cellar::kernels
