#include "util/huge_buffer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <utility>

namespace cellar {
namespace {

TEST(HugeBuffer, IsZeroFilledWritableAndHugePageAligned) {
  HugeBuffer b(3 * 1000 * 1000 + 7);
  ASSERT_NE(b.data(), nullptr);
  EXPECT_EQ(b.size(), 3u * 1000 * 1000 + 7);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % (2u << 20), 0u);
  for (size_t i = 0; i < b.size(); i += 4093) ASSERT_EQ(b.data()[i], 0) << i;
  std::memset(b.data(), 0xAB, b.size());
  EXPECT_EQ(b.data()[b.size() - 1], 0xAB);
}

TEST(HugeBuffer, MovesOwnership) {
  HugeBuffer a(4096);
  uint8_t* p = a.data();
  HugeBuffer b(std::move(a));
  EXPECT_EQ(b.data(), p);
  EXPECT_EQ(a.data(), nullptr);
  HugeBuffer c;
  c = std::move(b);
  EXPECT_EQ(c.data(), p);
  EXPECT_EQ(c.size(), 4096u);
  EXPECT_EQ(b.size(), 0u);
}

TEST(HugeBuffer, EmptyHasNoMemory) {
  HugeBuffer e(0);
  EXPECT_EQ(e.data(), nullptr);
  EXPECT_TRUE(e.lock(nullptr));
}

}  // namespace
}  // namespace cellar
