#include <gtest/gtest.h>

#include "registry/progress_format.h"

namespace cellar::registry {
namespace {

TEST(ProgressFormat, BarShowsPercentBytesRateAndEta) {
  // 1 GiB of 4 GiB in 2 s: 512 MiB/s, 3 GiB left -> 6 s.
  std::string bar = format_progress_bar(1ull << 30, 4ull << 30, 2.0, 20);
  EXPECT_EQ(bar, "[=====>              ]  25%  1.0 GiB / 4.0 GiB  512.0 MiB/s  ETA 0:06");
}

TEST(ProgressFormat, BarBeforeAnyRateAndWhenDone) {
  EXPECT_NE(format_progress_bar(0, 100, 0.0, 10).find("ETA --:--"), std::string::npos);
  EXPECT_EQ(format_progress_bar(100, 100, 1.0, 4), "[====] 100%  100 B / 100 B  100 B/s  ETA 0:00");
}

TEST(ProgressFormat, PlainLineAndDurations) {
  EXPECT_EQ(format_progress_line(50, 200), "hashing: 25% (50 B of 200 B)");
  EXPECT_EQ(format_duration(65), "1:05");
  EXPECT_EQ(format_duration(3723), "1:02:03");
  EXPECT_EQ(format_duration(-4), "0:00");
}

}  // namespace
}  // namespace cellar::registry
