// EngineBackend under a memory budget: lazy loading on first use, LRU
// eviction of idle models, 503 when nothing idle can make room, keep-alive
// unloading, and pinned models that stay.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/scheduler.h"
#include "model/model.h"
#include "model/synth.h"
#include "server/api_error.h"
#include "server/api_server.h"
#include "server/engine_backend.h"
#include "support/test_support.h"

namespace cellar::server {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

class BudgetBackend : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new cellar::test::TempDir();
    for (int i = 0; i < 3; ++i) {
      write_synth_model({*find_shape("tiny"), *find_file_type("Q8_0"), static_cast<uint64_t>(i + 1), 1},
                        path(i).string());
    }
    // Every model has the same shape, so the same cost: measure it once.
    EngineBackend probe({spec(0)}, options(1ull << 40, milliseconds(-1)));
    probe.find("m0");
    cost_ = probe.budget().used_bytes();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path path(int i) { return dir_->path() / ("m" + std::to_string(i) + ".gguf"); }
  static ModelSpec spec(int i, bool lazy = true) {
    ModelSpec s;
    s.name = "m" + std::to_string(i);
    s.path = path(i).string();
    s.version = s.name + ":1";
    s.lazy = lazy;
    return s;
  }
  static EngineOptions options(uint64_t budget, milliseconds keep_alive) {
    EngineOptions o;
    o.n_ctx = 64;
    o.n_slots = 1;
    o.n_threads = 1;
    o.memory_budget = budget;
    o.keep_alive = keep_alive;
    o.busy_wait = milliseconds(300);
    return o;
  }
  static std::vector<ModelSpec> three_lazy() { return {spec(0), spec(1), spec(2)}; }

  static cellar::test::TempDir* dir_;
  static uint64_t cost_;
};

cellar::test::TempDir* BudgetBackend::dir_ = nullptr;
uint64_t BudgetBackend::cost_ = 0;

// Regression: the budget once counted fewer KV sequences than the scheduler
// allocated (embeddings had a sequence of their own; they now use a slot).
TEST_F(BudgetBackend, CostIsTheMappedFilePlusEveryKvSequenceTheSchedulerAllocates) {
  const auto model = Model::load(path(0).string(), {});
  const uint64_t per_sequence = model->kv_bytes_per_sequence(64);  // options(): n_ctx 64, one slot
  EXPECT_EQ(engine::Scheduler::kv_sequences(1), 1);
  EXPECT_EQ(cost_, fs::file_size(path(0)) + per_sequence);
}

TEST_F(BudgetBackend, LazyModelsLoadOnFirstRequest) {
  EngineBackend b(three_lazy(), options(cost_ * 3, milliseconds(-1)));
  b.load_all();  // nothing eager
  EXPECT_TRUE(b.readiness().ready);
  EXPECT_EQ(b.model_names().size(), 3u);  // servable though not loaded
  EXPECT_EQ(b.peek("m1"), nullptr);
  EXPECT_EQ(b.budget().used_bytes(), 0u);
  auto m = b.find("m1");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->info().version, "m1:1");
  EXPECT_NE(b.peek("m1"), nullptr);
  EXPECT_EQ(b.budget().used_bytes(), cost_);
  EXPECT_EQ(b.find("nope"), nullptr);
}

TEST_F(BudgetBackend, LoadingEvictsTheLeastRecentlyUsedIdleModel) {
  EngineBackend b(three_lazy(), options(cost_ * 2 + cost_ / 2, milliseconds(-1)));
  b.find("m0");
  std::this_thread::sleep_for(milliseconds(2));
  b.find("m1");
  std::this_thread::sleep_for(milliseconds(2));
  b.find("m0");  // m0 used again: m1 is now the least recently used
  std::this_thread::sleep_for(milliseconds(2));
  ASSERT_NE(b.find("m2"), nullptr);
  EXPECT_NE(b.peek("m0"), nullptr);
  EXPECT_EQ(b.peek("m1"), nullptr);
  EXPECT_NE(b.peek("m2"), nullptr);
  EXPECT_LE(b.budget().used_bytes(), b.budget().budget_bytes());
}

TEST_F(BudgetBackend, ModelInUseIsNotEvictedAndTheLoadGets503) {
  EngineBackend b(three_lazy(), options(cost_ + cost_ / 2, milliseconds(-1)));
  auto held = b.find("m0");  // a request in flight
  try {
    b.find("m1");
    FAIL() << "expected 503";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "memory_budget_exceeded");
    std::string msg = e.what();
    EXPECT_NE(msg.find("memory budget"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'m1 (m1:1)' (needs"), std::string::npos) << msg;
    EXPECT_NE(msg.find("m0"), std::string::npos) << msg;          // what is loaded
    EXPECT_NE(msg.find("in use by 1"), std::string::npos) << msg;
  }
  EXPECT_NE(b.peek("m0"), nullptr);
  held.reset();  // the request ends: m0 is idle and may go
  EXPECT_NE(b.find("m1"), nullptr);
  EXPECT_EQ(b.peek("m0"), nullptr);
}

TEST_F(BudgetBackend, PinnedModelsStayAndBlockLoadsThatDoNotFit) {
  EngineBackend b({spec(0, /*lazy=*/false), spec(1)}, options(cost_ + cost_ / 2, milliseconds(0)));
  b.load_all();
  EXPECT_TRUE(b.readiness().ready);
  ASSERT_NE(b.peek("m0"), nullptr);  // eager: loaded before any request
  EXPECT_THROW(b.find("m1"), ApiError);
  b.unload_expired();
  EXPECT_NE(b.peek("m0"), nullptr);  // keep-alive 0 does not unload a pinned model
  auto loaded = b.loaded_models();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_TRUE(loaded[0].pinned);
  EXPECT_EQ(loaded[0].cost_bytes, cost_);
  EXPECT_FALSE(loaded[0].expires_at);
}

TEST_F(BudgetBackend, IdleModelsUnloadAfterKeepAlive) {
  ServerMetrics metrics;
  EngineBackend b(three_lazy(), options(cost_ * 3, milliseconds(30)), &metrics);
  auto m = b.find("m0");
  std::this_thread::sleep_for(milliseconds(80));
  EXPECT_NE(b.peek("m0"), nullptr);  // in use: kept however long it runs
  EXPECT_NE(metrics.registry.render().find("cellar_model_loaded_bytes{model=\"m0\""), std::string::npos);
  m.reset();
  auto loaded = b.loaded_models();
  ASSERT_EQ(loaded.size(), 1u);
  ASSERT_TRUE(loaded[0].expires_at);
  for (int i = 0; i < 200 && b.peek("m0"); ++i) std::this_thread::sleep_for(milliseconds(5));
  EXPECT_EQ(b.peek("m0"), nullptr);
  EXPECT_EQ(b.budget().used_bytes(), 0u);
  std::string text = metrics.registry.render();
  EXPECT_EQ(text.find("cellar_model_loaded_bytes{model=\"m0\""), std::string::npos) << text;
  EXPECT_NE(text.find("cellar_memory_reserved_bytes 0"), std::string::npos) << text;
}

TEST_F(BudgetBackend, HttpRequestThatDoesNotFitGets503InOpenAiShapeAndPsListsWhatIsLoaded) {
  EngineBackend backend(three_lazy(), options(cost_ + cost_ / 2, milliseconds(-1)));
  backend.load_all();
  ApiServerOptions opts;
  opts.http.port = 0;
  ApiServer api(opts, backend);
  backend.set_metrics(&api.metrics());
  int port = api.bind();
  std::thread serving([&] { api.serve(); });
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10, 0);
  nlohmann::json req = {{"model", "m0"}, {"prompt", "hi"}, {"max_tokens", 1}};
  auto r = c.Post("/v1/completions", req.dump(), "application/json");  // lazy load on the first request
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  auto ps = nlohmann::json::parse(c.Get("/api/ps")->body);
  ASSERT_EQ(ps["models"].size(), 1u);
  EXPECT_EQ(ps["models"][0]["name"], "m0:latest");
  EXPECT_EQ(ps["models"][0]["size"], cost_);
  {
    auto held = backend.find("m0");
    req["model"] = "m1";
    r = c.Post("/v1/completions", req.dump(), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    auto e = nlohmann::json::parse(r->body)["error"];
    EXPECT_EQ(e["code"], "memory_budget_exceeded");
    EXPECT_NE(e["message"].get<std::string>().find("m0"), std::string::npos) << e;
  }
  // Right after the held lease ends, m0 is evicted for m1: the backend waits
  // for leases that are still being released instead of answering 503.
  r = c.Post("/v1/completions", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  ps = nlohmann::json::parse(c.Get("/api/ps")->body);
  ASSERT_EQ(ps["models"].size(), 1u);
  EXPECT_EQ(ps["models"][0]["name"], "m1:latest");
  api.stop();
  serving.join();
}

TEST_F(BudgetBackend, ModelAndShowRoutesDescribeALazyModelWithoutLoadingIt) {
  EngineBackend backend({spec(0)}, options(1ull << 40, milliseconds(-1)));
  backend.load_all();  // no eager model: only makes the server ready
  ApiServerOptions opts;
  opts.http.port = 0;
  ApiServer api(opts, backend);
  int port = api.bind();
  std::thread serving([&] { api.serve(); });
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10, 0);
  auto r = c.Get("/v1/models/m0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(nlohmann::json::parse(r->body)["id"], "m0");
  r = c.Post("/api/show", nlohmann::json({{"model", "m0:latest"}}).dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  auto show = nlohmann::json::parse(r->body);
  EXPECT_EQ(show["details"]["family"], "llama");
  EXPECT_EQ(show["details"]["quantization_level"], "Q8_0");
  EXPECT_FALSE(show["template"].get<std::string>().empty());
  r = c.Post("/api/show", nlohmann::json({{"model", "nope"}}).dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_TRUE(nlohmann::json::parse(c.Get("/api/ps")->body)["models"].empty());
  EXPECT_EQ(backend.budget().used_bytes(), 0u);
  api.stop();
  serving.join();

  // The header's description is what the model reports once loaded.
  ModelInfo header = *backend.describe("m0");
  ModelInfo loaded = backend.find("m0")->info();
  EXPECT_EQ(header.arch, loaded.arch);
  EXPECT_EQ(header.quantization, loaded.quantization);
  EXPECT_EQ(header.n_params, loaded.n_params);
  EXPECT_EQ(header.file_bytes, loaded.file_bytes);
  EXPECT_EQ(header.n_ctx, loaded.n_ctx);
  EXPECT_EQ(header.n_ctx_train, loaded.n_ctx_train);
  EXPECT_EQ(header.n_vocab, loaded.n_vocab);
  EXPECT_EQ(header.n_embd, loaded.n_embd);
  EXPECT_EQ(header.n_slots, loaded.n_slots);
  EXPECT_EQ(header.chat_template, loaded.chat_template);
  EXPECT_EQ(header.version, loaded.version);
  EXPECT_EQ(header.template_version, loaded.template_version);
}

}  // namespace
}  // namespace cellar::server
