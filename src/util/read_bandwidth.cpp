#include "util/read_bandwidth.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace cellar {
namespace {

// Worker ith's share [begin, end) of n bytes, split on 64-byte lines.
std::pair<size_t, size_t> share(size_t n, int ith, int nth) {
  const size_t lines = n / 64;
  const size_t begin = lines * ith / nth * 64, end = ith + 1 == nth ? n : lines * (ith + 1) / nth * 64;
  return {begin, end};
}

// Four independent sums so that the loads, not an add chain, set the pace;
// the compiler vectorizes the loop with the baseline ISA, whose 16-byte loads
// still ask for lines far faster than DRAM delivers them.
uint64_t sum_words(const uint8_t* p, size_t n) {
  const size_t words = n / 8;
  uint64_t s[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= words; i += 4) {
    for (int k = 0; k < 4; ++k) {
      uint64_t v;
      std::memcpy(&v, p + 8 * (i + k), 8);
      s[k] += v;
    }
  }
  for (; i < words; ++i) {
    uint64_t v;
    std::memcpy(&v, p + 8 * i, 8);
    s[0] += v;
  }
  uint64_t total = s[0] + s[1] + s[2] + s[3];
  for (size_t b = 8 * words; b < n; ++b) total += p[b];
  return total;
}

}  // namespace

ReadProbe::ReadProbe(size_t bytes, ThreadPool& pool) : pool_(pool) {
  if (bytes == 0) throw std::invalid_argument("read probe: the buffer must not be empty");
  buf_ = HugeBuffer(bytes);
  pool_.run([&](int ith, int nth) {
    const auto [begin, end] = share(buf_.size(), ith, nth);
    std::memset(buf_.data() + begin, 0x5A, end - begin);
  });
}

double ReadProbe::measure() {
  std::atomic<uint64_t> sink{0};
  const auto t0 = std::chrono::steady_clock::now();
  pool_.run([&](int ith, int nth) {
    const auto [begin, end] = share(buf_.size(), ith, nth);
    sink.fetch_add(sum_words(buf_.data() + begin, end - begin), std::memory_order_relaxed);
  });
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Every byte is 0x5A: a wrong sum means a share was skipped or read twice.
  if (sink.load() != 0x5A5A5A5A5A5A5A5Aull * (buf_.size() / 8) + 0x5Aull * (buf_.size() % 8)) {
    throw std::logic_error("read probe: the buffer was not read exactly once");
  }
  return static_cast<double>(buf_.size()) / std::max(s, 1e-9) / 1e9;
}

}  // namespace cellar
