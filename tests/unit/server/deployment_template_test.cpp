// A deployment's prompt template reaches the served model whole: its chat
// template override renders the chats and its default sampling parameters
// (with the deployment's own over them) are what requests start from; a
// redeploy that changes only the parameters keeps the loaded model.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "gguf/gguf_file.h"
#include "model/synth.h"
#include "registry/deployment_registry.h"
#include "registry/model_registry.h"
#include "registry/template_registry.h"
#include "server/deployment_watcher.h"
#include "server/engine_backend.h"
#include "engine_test_support.h"
#include "support/test_support.h"
#include "tokenizer/tokenizer.h"

namespace cellar::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kChatTemplate = "{% for m in messages %}<{{ m.role }}>{{ m.content }}|{% endfor %}";

class DeploymentTemplate : public ::testing::Test {
 protected:
  void SetUp() override {
    registry::Catalog catalog(home());
    write_synth_model({*find_shape("tiny"), *find_file_type("Q8_0"), 1, 1}, model_file().string());
    registry::ImportRequest imp;
    imp.file = model_file();
    imp.name = "tiny";
    registry::ModelRegistry(catalog).import_file(imp, who());
    registry::TemplateSpec t;
    t.chat_template = kChatTemplate;
    t.parameters = {{"temperature", 0}, {"top_k", 5}};
    registry::TemplateRegistry(catalog).set("house", t, who());
    deploy({{"max_tokens", 8}});
  }
  fs::path home() const { return tmp_.path() / "home"; }
  fs::path model_file() const { return tmp_.path() / "tiny.gguf"; }
  static registry::Change who() { return {"tester", std::nullopt}; }
  void deploy(const json& parameters) {
    registry::Catalog catalog(home());
    registry::DeployRequest req;
    req.name = "prod";
    req.model = registry::parse_version_ref("model", "tiny:1");
    req.prompt_template = registry::parse_version_ref("template", "house:1");
    req.parameters = parameters;
    registry::DeploymentRegistry(catalog).deploy(req, who());
  }
  ModelSpec prod_spec() const { return test::lazy_deployment_spec(home(), "prod"); }
  static EngineOptions options() { return test::small_engine_options(1); }

  cellar::test::TempDir tmp_;
};

TEST_F(DeploymentTemplate, ChatsAreRenderedWithTheTemplatesChatTemplate) {
  EngineBackend backend({prod_spec()}, options());
  auto model = backend.find("prod");
  ASSERT_TRUE(model);
  EXPECT_EQ(model->info().chat_template, kChatTemplate);
  EXPECT_EQ(model->info().template_version, "house:1");
  nlohmann::ordered_json messages = nlohmann::ordered_json::array({{{"role", "user"}, {"content", "hi there"}}});
  auto tok = Tokenizer::from_gguf(*GgufFile::open(model_file().string()));
  std::string rendered = tok->decode(model->tokenize_chat(messages).ids);
  EXPECT_NE(rendered.find("<user>hi there|"), std::string::npos) << rendered;
}

TEST_F(DeploymentTemplate, DefaultParametersAreTheTemplatesOverriddenByTheDeployments) {
  EngineBackend backend({prod_spec()}, options());
  auto model = backend.find("prod");
  ASSERT_TRUE(model);
  EXPECT_EQ(model->default_parameters(), (json{{"temperature", 0}, {"top_k", 5}, {"max_tokens", 8}}));
}

TEST_F(DeploymentTemplate, ParameterOnlyRedeployUpdatesTheLoadedModelInPlace) {
  EngineBackend backend({prod_spec()}, options());
  const ModelBackend* before = backend.find("prod").get();
  const uint64_t used = backend.budget().used_bytes();
  deploy({{"temperature", 0.5}});
  backend.redeploy(prod_spec());
  auto after = backend.find("prod");
  EXPECT_EQ(after.get(), before);  // no second load for a parameter change
  EXPECT_EQ(backend.budget().used_bytes(), used);
  EXPECT_EQ(after->default_parameters(), (json{{"temperature", 0.5}, {"top_k", 5}}));
}

}  // namespace
}  // namespace cellar::server
