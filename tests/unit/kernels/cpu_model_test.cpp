// The CPU line `cellar inspect --cpu` and `cellar bench` print.
#include <gtest/gtest.h>

#include "kernels/kernels.h"

namespace cellar::kernels {
namespace {

TEST(CpuModel, NamesBrandVendorFamilyAndModel) {
  EXPECT_EQ(describe_cpu("AMD EPYC", "AuthenticAMD", 25, 17), "AMD EPYC (AuthenticAMD, family 25, model 17)");
}

// Regression: an empty brand string used to print the vendor twice.
TEST(CpuModel, EmptyBrandDoesNotRepeatTheVendor) {
  const std::string s = describe_cpu("", "GenuineIntel", 6, 85);
  EXPECT_EQ(s, "CPU without a brand string (GenuineIntel, family 6, model 85)");
  EXPECT_EQ(s.find("GenuineIntel"), s.rfind("GenuineIntel"));
}

TEST(CpuModel, ThisMachineHasAFamilyAndModel) {
  const std::string s = cpu_model();
  EXPECT_NE(s.find(", family "), std::string::npos) << s;
  EXPECT_NE(s.find(", model "), std::string::npos) << s;
}

}  // namespace
}  // namespace cellar::kernels
