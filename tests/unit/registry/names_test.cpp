#include <gtest/gtest.h>

#include "registry/errors.h"
#include "registry/names.h"

namespace cellar::registry {
namespace {

TEST(Names, AcceptsTheSafeCharacterSet) {
  for (const std::string& ok : {std::string("a"), std::string("Llama-3.1_8B.q4"), std::string("0model"),
                                std::string(64, 'x')}) {
    EXPECT_TRUE(is_valid_name(ok)) << ok;
  }
}

TEST(Names, RejectsEverythingElse) {
  for (const char* bad : {"", "-lead", ".hidden", "_x", "a b", "a/b", "../x", "a:b", "naïve", "a;rm", "x\n"}) {
    EXPECT_FALSE(is_valid_name(bad)) << bad;
    EXPECT_THROW(require_valid_name("model", bad), InvalidInput) << bad;
  }
  EXPECT_FALSE(is_valid_name(std::string(65, 'x')));
}

TEST(Names, ErrorMessageNamesKindAndPattern) {
  try {
    require_valid_name("deployment", "a b");
    FAIL();
  } catch (const InvalidInput& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("deployment"), std::string::npos);
    EXPECT_NE(msg.find(kNamePattern), std::string::npos);
  }
}

TEST(Names, ParsesVersionReferences) {
  auto latest = parse_version_ref("model", "llama");
  EXPECT_EQ(latest.name, "llama");
  EXPECT_FALSE(latest.version);
  auto v3 = parse_version_ref("model", "llama-3.1:3");
  EXPECT_EQ(v3.name, "llama-3.1");
  EXPECT_EQ(v3.version, 3);
  EXPECT_EQ(v3.to_string(), "llama-3.1:3");
  for (const char* bad : {"llama:", "llama:0", "llama:-1", "llama:x", ":3", "a b:1", "llama:1:2", "llama:1x"}) {
    EXPECT_THROW(parse_version_ref("model", bad), InvalidInput) << bad;
  }
}

}  // namespace
}  // namespace cellar::registry
