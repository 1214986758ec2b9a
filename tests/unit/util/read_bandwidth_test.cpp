#include "util/read_bandwidth.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace cellar {
namespace {

// Sizes that do not split evenly into lines, words or threads: measure()
// checks the sum of every byte, so a share skipped or read twice throws.
TEST(ReadProbe, ReadsEveryByteOnceForAnySizeAndThreadCount) {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (size_t bytes : {size_t{1}, size_t{7}, size_t{64 * 3 + 5}, size_t{(1u << 20) + 13}}) {
      ReadProbe probe(bytes, pool);
      EXPECT_EQ(probe.bytes(), bytes);
      const double gb_s = probe.measure();
      EXPECT_TRUE(std::isfinite(gb_s)) << bytes << " bytes, " << threads << " threads";
      EXPECT_GT(gb_s, 0) << bytes << " bytes, " << threads << " threads";
    }
  }
}

TEST(ReadProbe, RejectsAnEmptyBuffer) {
  ThreadPool pool(1);
  EXPECT_THROW(ReadProbe(0, pool), std::invalid_argument);
}

}  // namespace
}  // namespace cellar
