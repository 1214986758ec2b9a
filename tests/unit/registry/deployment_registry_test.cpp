#include <gtest/gtest.h>

#include "registry/deployment_registry.h"
#include "registry_fixture.h"

namespace cellar::registry::test {
namespace {

class DeploymentTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    for (uint32_t v = 1; v <= 3; ++v) {
      ImportRequest req;
      req.file = tiny("m" + std::to_string(v) + ".gguf", v);
      req.name = "llama";
      ModelRegistry(catalog()).import_file(req, actor("ann"));
    }
    TemplateRegistry(catalog()).set("chat", TemplateSpec{"sys", std::nullopt, {{"temperature", 0.7}, {"top_k", 40}}},
                                    actor("ann"));
  }
  Deployment deploy(int64_t version, std::optional<std::string> reason = std::nullopt) {
    return deployments().deploy({"prod", {"llama", version}, VersionRef{"chat", 1}, {{"temperature", 0.1}}},
                               actor("ann", reason));
  }
  DeploymentRegistry deployments() { return DeploymentRegistry(catalog()); }
};

TEST_F(DeploymentTest, DeployResolvesToTheTarget) {
  Deployment d = deploy(1);
  EXPECT_EQ(d.model.label(), "llama:1");
  EXPECT_EQ(d.prompt_template->label(), "chat:1");
  EXPECT_EQ(d.revision, 1);
  Deployment r = deployments().resolve("prod");
  EXPECT_EQ(r.model.sha256, d.model.sha256);
  EXPECT_TRUE(std::filesystem::exists(r.model_path));
  EXPECT_DOUBLE_EQ(r.effective_parameters()["temperature"].get<double>(), 0.1);  // deployment overrides template
  EXPECT_EQ(r.effective_parameters()["top_k"], 40);
  EXPECT_THROW(deployments().resolve("staging"), NotFound);
}

TEST_F(DeploymentTest, LatestVersionIsResolvedAtDeployTime) {
  Deployment d = deployments().deploy({"prod", {"llama", std::nullopt}, std::nullopt, nlohmann::json::object()},
                                     actor("ann"));
  EXPECT_EQ(d.model.label(), "llama:3");
  EXPECT_FALSE(d.prompt_template);
}

TEST_F(DeploymentTest, RollbackWalksBackOneStepPerCall) {
  deploy(1);
  deploy(2);
  deploy(3);
  EXPECT_EQ(deployments().rollback("prod", actor("bob")).model.label(), "llama:2");
  Deployment back = deployments().rollback("prod", actor("bob", "still slow"));
  EXPECT_EQ(back.model.label(), "llama:1");
  EXPECT_EQ(back.revision, 5);
  EXPECT_EQ(deployments().resolve("prod").model.label(), "llama:1");
  try {
    deployments().rollback("prod", actor("bob"));
    FAIL() << "rolled back past the first deploy";
  } catch (const Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("no earlier target"), std::string::npos);
  }
  // A new deploy after rollbacks, then rollback returns to where we were.
  deploy(3);
  EXPECT_EQ(deployments().rollback("prod", actor("bob")).model.label(), "llama:1");
}

TEST_F(DeploymentTest, HistoryAndAuditRecordEveryStep) {
  deploy(1, "first");
  deploy(2, "new weights");
  deployments().rollback("prod", actor("bob", "latency"));
  auto h = deployments().history("prod");
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].action, "deploy");
  EXPECT_EQ(h[1].model, "llama:2");
  EXPECT_EQ(h[2].action, "rollback");
  EXPECT_EQ(h[2].model, "llama:1");
  EXPECT_EQ(h[2].actor, "bob");
  EXPECT_EQ(h[2].reason, "latency");
  auto rows = catalog().audit().list({std::nullopt, "deployment:prod", std::nullopt});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].action, "deployment.rollback");
  EXPECT_EQ(nlohmann::json::parse(*rows[2].before)["model"], "llama:2");
  EXPECT_EQ(nlohmann::json::parse(*rows[2].after)["model"], "llama:1");
  EXPECT_EQ(nlohmann::json::parse(*rows[2].after)["template"], "chat:1");
  EXPECT_TRUE(catalog().audit().verify().ok);
}

TEST_F(DeploymentTest, RollbackRefusesADeletedVersion) {
  deploy(1);
  deploy(2);
  ModelRegistry(catalog()).remove({"llama", 1}, actor("ann"));
  EXPECT_THROW(deployments().rollback("prod", actor("bob")), Conflict);
  EXPECT_EQ(deployments().resolve("prod").model.label(), "llama:2");
}

TEST_F(DeploymentTest, RejectsUnknownTargetsAndBadParameters) {
  EXPECT_THROW(deployments().deploy({"prod", {"llama", 9}, std::nullopt, {}}, actor("a")), NotFound);
  EXPECT_THROW(deployments().deploy({"prod", {"llama", 1}, VersionRef{"chat", 9}, {}}, actor("a")), NotFound);
  EXPECT_THROW(deployments().deploy({"prod", {"llama", 1}, std::nullopt, {{"temperature", "hot"}}}, actor("a")),
               InvalidInput);
  EXPECT_THROW(deployments().deploy({"pr od", {"llama", 1}, std::nullopt, {}}, actor("a")), InvalidInput);
  EXPECT_FALSE(deployments().find("prod"));
}

TEST_F(DeploymentTest, GenerationTellsAServerToReload) {
  int64_t g = catalog().generation();
  deploy(1);
  EXPECT_GT(catalog().generation(), g);
  g = catalog().generation();
  EXPECT_EQ(catalog().generation(), g);  // polling without changes is stable
  deploy(2);
  EXPECT_GT(catalog().generation(), g);
  EXPECT_EQ(deployments().list().size(), 1u);
}

}  // namespace
}  // namespace cellar::registry::test
