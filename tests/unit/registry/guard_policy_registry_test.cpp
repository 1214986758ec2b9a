#include "registry/guard_policy_registry.h"

#include <gtest/gtest.h>

#include "registry/deployment_registry.h"
#include "registry_fixture.h"

namespace cellar::registry::test {
namespace {

class GuardPolicyTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    ImportRequest req;
    req.file = tiny("m.gguf", 1);
    req.name = "llama";
    ModelRegistry(catalog()).import_file(req, actor("ann"));
    for (const char* name : {"prod", "lab"}) {
      DeploymentRegistry(catalog()).deploy({name, {"llama", 1}, std::nullopt, nlohmann::json::object()}, actor("ann"));
    }
  }
  GuardPolicyRegistry policies() { return GuardPolicyRegistry(catalog()); }
};

TEST_F(GuardPolicyTest, RoundTripsPerDeployment) {
  EXPECT_FALSE(policies().find("prod"));
  nlohmann::json block = {{"injection", "block"}, {"threshold", 0.4}, {"redact_output", true}};
  nlohmann::json flag = {{"injection", "flag"}};
  policies().set("prod", block, actor("ann"));
  policies().set("lab", flag, actor("bob"));
  EXPECT_EQ(policies().find("prod"), block);
  Catalog reopened(home());
  auto all = GuardPolicyRegistry(reopened).list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all["prod"], block);
  EXPECT_EQ(all["lab"], flag);
}

TEST_F(GuardPolicyTest, EveryChangeIsAuditedWithBeforeAndAfter) {
  int64_t gen = catalog().generation();
  policies().set("prod", {{"injection", "flag"}}, actor("ann"));
  policies().set("prod", {{"injection", "block"}}, actor("bob", "incident 42"));
  EXPECT_GT(catalog().generation(), gen);
  auto rows = catalog().audit().list({std::nullopt, "deployment:prod", std::nullopt});
  std::vector<AuditEntry> changes;
  for (const auto& r : rows) {
    if (r.action == "deployment.guard_policy") changes.push_back(r);
  }
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].actor, "ann");
  EXPECT_EQ(changes[0].before, std::nullopt);
  EXPECT_EQ(nlohmann::json::parse(*changes[0].after)["injection"], "flag");
  EXPECT_EQ(changes[1].actor, "bob");
  EXPECT_EQ(changes[1].reason, "incident 42");
  EXPECT_EQ(nlohmann::json::parse(*changes[1].before)["injection"], "flag");
  EXPECT_EQ(nlohmann::json::parse(*changes[1].after)["injection"], "block");
  EXPECT_TRUE(catalog().audit().verify().ok);
}

TEST_F(GuardPolicyTest, UnknownDeploymentAndNonObjectsAreRejected) {
  EXPECT_THROW(policies().set("nope", {{"injection", "flag"}}, actor("ann")), NotFound);
  EXPECT_THROW(policies().set("prod", nlohmann::json::array(), actor("ann")), InvalidInput);
  size_t audit_rows = catalog().audit().list({}).size();
  EXPECT_THROW(policies().set("nope", {{"injection", "flag"}}, actor("ann")), NotFound);
  EXPECT_EQ(catalog().audit().list({}).size(), audit_rows);  // a refused change leaves no audit row
}

}  // namespace
}  // namespace cellar::registry::test
