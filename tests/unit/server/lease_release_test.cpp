// Regression: when a request's completion callback held the last reference to
// a replaced model, that reference was dropped on the model's own scheduler
// thread, whose destructor then joined itself ("Resource deadlock avoided",
// std::terminate). Released models are now parked and dropped by the
// backend's reaper thread.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "model/synth.h"
#include "server/engine_backend.h"
#include "engine_test_support.h"
#include "support/test_support.h"

namespace cellar::server {
namespace {

bool has_budget_entry(const EngineBackend& backend, const std::string& key) {
  for (const auto& e : backend.budget().snapshot()) {
    if (e.name == key) return true;
  }
  return false;
}

TEST(LeaseRelease, LastReferenceDroppedOnTheSchedulerThreadDoesNotMakeItJoinItself) {
  cellar::test::TempDir dir;
  const std::string file = (dir.path() / "m.gguf").string();
  write_synth_model({*find_shape("tiny"), *find_file_type("Q8_0"), 1, 1}, file);
  ModelSpec v1{.name = "m", .path = file, .version = "m:1", .lazy = true};
  EngineBackend backend({v1}, test::small_engine_options(1));

  std::shared_ptr<ModelBackend> lease = backend.find("m");
  ASSERT_TRUE(lease);
  ModelSpec v2 = v1;
  v2.version = "m:2";
  backend.redeploy(v2);  // the slot serves m:2 now; `lease` is all that keeps m:1 alive

  std::promise<void> released_here;
  std::shared_future<void> go = released_here.get_future().share();
  auto done = std::make_shared<std::promise<std::thread::id>>();  // outlives a set_value still running
  auto done_on = done->get_future();
  engine::GenerationRequest req;
  req.prompt = lease->tokenize("Hello").ids;
  req.max_tokens = 2;
  req.sampling.temperature = 0;
  // The scheduler thread waits until this thread has let go, so the request's
  // callbacks certainly hold the last reference when the request ends.
  req.on_token = [go](const engine::TokenEvent&) {
    go.wait();
    return true;
  };
  req.on_done = [done, keep = lease](const engine::GenerationResult&) { done->set_value(std::this_thread::get_id()); };
  lease->submit(std::move(req));
  lease.reset();
  released_here.set_value();

  EXPECT_NE(done_on.get(), std::this_thread::get_id());
  const std::string old_key = budget_key(v1);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (has_budget_entry(backend, old_key) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_FALSE(has_budget_entry(backend, old_key)) << "m:1 was never released";
  EXPECT_TRUE(backend.find("m"));  // the backend still serves
}

// Regression: the last copy of a request's lease can go on a scheduler thread
// just after the client has its response; a backend destroyed meanwhile left
// that lease releasing into freed memory (a mutex assertion or std::system_error
// in the next test). The backend now waits for every lease it handed out.
TEST(LeaseRelease, BackendOutlivesALeaseStillHeldByAFinishingRequest) {
  cellar::test::TempDir dir;
  const std::string file = (dir.path() / "m.gguf").string();
  write_synth_model({*find_shape("tiny"), *find_file_type("Q8_0"), 1, 1}, file);
  auto backend = std::make_unique<EngineBackend>(std::vector<ModelSpec>{{.name = "m", .path = file, .lazy = true}},
                                                 test::small_engine_options(1));
  std::shared_ptr<ModelBackend> lease = backend->find("m");
  ASSERT_TRUE(lease);
  std::promise<void> finish;
  std::shared_future<void> go = finish.get_future().share();
  engine::GenerationRequest req;
  req.prompt = lease->tokenize("Hello").ids;
  req.max_tokens = 1;
  req.on_token = [go](const engine::TokenEvent&) {
    go.wait();
    return true;
  };
  req.on_done = [keep = lease](const engine::GenerationResult&) {};
  lease->submit(std::move(req));
  lease.reset();

  std::atomic<bool> destroyed{false};
  std::thread destroyer([&] {
    backend.reset();
    destroyed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(destroyed) << "the backend went while a request still held its lease";
  finish.set_value();
  destroyer.join();
  EXPECT_TRUE(destroyed);
}

}  // namespace
}  // namespace cellar::server
