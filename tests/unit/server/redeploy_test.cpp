// Zero-downtime redeploy: while a client sends a steady stream of requests,
// deploy and rollback (from "another process": a separate catalogue
// connection) move traffic between versions with no failed request.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "model/synth.h"
#include "registry/deployment_registry.h"
#include "registry/model_registry.h"
#include "server/api_server.h"
#include "server/deployment_watcher.h"
#include "server/engine_backend.h"
#include "engine_test_support.h"
#include "support/test_support.h"

namespace cellar::server {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

class Redeploy : public ::testing::Test {
 protected:
  void SetUp() override {
    registry::Catalog catalog(home());
    registry::ModelRegistry models(catalog);
    for (int v = 1; v <= 2; ++v) {
      fs::path file = tmp_.path() / ("v" + std::to_string(v) + ".gguf");
      write_synth_model({*find_shape("tiny"), *find_file_type("Q8_0"), static_cast<uint64_t>(v), 1}, file.string());
      registry::ImportRequest req;
      req.file = file;
      req.name = "tiny";
      models.import_file(req, who());
    }
    deploy("tiny:1");
  }
  fs::path home() const { return tmp_.path() / "home"; }
  static registry::Change who() { return {"tester", std::nullopt}; }
  void deploy(const std::string& model) {
    registry::Catalog catalog(home());
    registry::DeployRequest req;
    req.name = "prod";
    req.model = registry::parse_version_ref("model", model);
    registry::DeploymentRegistry(catalog).deploy(req, who());
  }
  void rollback() {
    registry::Catalog catalog(home());
    registry::DeploymentRegistry(catalog).rollback("prod", who());
  }
  ModelSpec prod_spec() const { return test::lazy_deployment_spec(home(), "prod"); }
  static EngineOptions options() { return test::small_engine_options(2); }

  cellar::test::TempDir tmp_;
};

TEST_F(Redeploy, SteadyTrafficSeesNoFailureAcrossDeployAndRollback) {
  EngineBackend backend({prod_spec()}, options());
  backend.load_all();
  ApiServerOptions opts;
  opts.http.port = 0;
  ApiServer api(opts, backend);
  int port = api.bind();
  std::thread serving([&] { api.serve(); });
  DeploymentWatcher watcher(home(), backend, {prod_spec()}, milliseconds(20));

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::mutex mu;
  std::vector<std::string> versions;  // X-Cellar-Model-Version of each answer, in order
  std::string last_error;
  std::thread client([&] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(10, 0);
    nlohmann::json req = {{"model", "prod"}, {"prompt", "hi"}, {"max_tokens", 2}};
    while (!stop) {
      auto r = c.Post("/v1/completions", req.dump(), "application/json");
      std::lock_guard lock(mu);
      if (!r || r->status != 200) {
        ++failures;
        last_error = r ? r->body : "no response";
        continue;
      }
      versions.push_back(r->get_header_value("X-Cellar-Model-Version"));
    }
  });
  auto wait_for_version = [&](const std::string& v) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mu);
        if (!versions.empty() && versions.back() == v) return true;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  };
  EXPECT_TRUE(wait_for_version("tiny:1"));
  deploy("tiny:2");
  EXPECT_TRUE(wait_for_version("tiny:2"));
  rollback();
  EXPECT_TRUE(wait_for_version("tiny:1"));
  stop = true;
  client.join();
  EXPECT_EQ(failures.load(), 0) << last_error;
  // Traffic moved once each way: 1...1 2...2 1...1.
  int switches = 0;
  for (size_t i = 1; i < versions.size(); ++i) switches += versions[i] != versions[i - 1];
  EXPECT_EQ(switches, 2);
  // The replaced models were released once their last requests finished.
  for (int i = 0; i < 100 && backend.budget().snapshot().size() > 1; ++i) std::this_thread::sleep_for(milliseconds(10));
  auto loaded = backend.budget().snapshot();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].name, "prod (tiny:1)");
  api.stop();
  serving.join();
}

TEST_F(Redeploy, NotLoadedDeploymentLoadsItsNewTargetOnFirstUse) {
  EngineBackend backend({prod_spec()}, options());
  DeploymentWatcher watcher(home(), backend, {prod_spec()}, std::chrono::hours(1));
  deploy("tiny:2");
  watcher.check();
  EXPECT_EQ(backend.peek("prod"), nullptr);  // nothing loaded for a deployment nobody used
  auto m = backend.find("prod");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->info().version, "tiny:2");
}

}  // namespace
}  // namespace cellar::server
