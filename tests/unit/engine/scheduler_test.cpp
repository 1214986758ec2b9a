// Scheduler behaviour on the real stories260K model: greedy output identical to
// llama.cpp whether requests run alone or batched together, prompt caching,
// stop strings, limits, cancellation and backpressure.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <fstream>
#include <mutex>

#include "engine/scheduler.h"
#include "model/model.h"
#include "support/test_support.h"
#include "tokenizer/tokenizer.h"

namespace cellar::engine {
namespace {

struct Outcome {
  std::string text;
  GenerationResult result;
  int events = 0;
};

// Collects one request's stream and lets the test wait for its end.
class Collector {
 public:
  GenerationRequest wrap(GenerationRequest req, int cancel_after = -1) {
    req.on_token = [this, cancel_after](const TokenEvent& ev) {
      std::lock_guard<std::mutex> lock(mu_);
      out_.text += ev.text;
      return ++out_.events != cancel_after;
    };
    req.on_done = [this](const GenerationResult& r) {
      std::lock_guard<std::mutex> lock(mu_);
      out_.result = r;
      done_ = true;
      cv_.notify_all();
    };
    return req;
  }
  Outcome wait() {
    std::unique_lock<std::mutex> lock(mu_);
    EXPECT_TRUE(cv_.wait_for(lock, std::chrono::seconds(20), [&] { return done_; })) << "request never finished";
    return out_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  Outcome out_;
  bool done_ = false;
};

struct Golden {
  std::string prompt;
  std::string expected;
};

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test::refdata_dir().empty()) GTEST_SKIP() << "reference data not found (CELLAR_REFDATA)";
    const auto dir = test::refdata_dir() / "models";
    model_ = Model::load((dir / "stories260K.gguf").string());
    tokenizer_ = Tokenizer::from_gguf(model_->file());
    std::ifstream in(dir / "stories260K.greedy.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto j = nlohmann::json::parse(line);
      golden_.push_back({j["prompt"], j["generated_text"]});
    }
  }
  GenerationRequest greedy(const std::string& prompt, int max_tokens) {
    GenerationRequest r;
    r.prompt = tokenizer_->encode(prompt, true, false);
    r.sampling.temperature = 0;
    r.max_tokens = max_tokens;
    r.ignore_eos = true;
    return r;
  }
  std::shared_ptr<Model> model_;
  std::shared_ptr<Tokenizer> tokenizer_;
  std::vector<Golden> golden_;
};

TEST_F(SchedulerTest, ConcurrentGreedyRequestsMatchReference) {
  Scheduler s(model_, tokenizer_, {.n_slots = 4, .n_ctx = 128, .n_threads = 1});
  std::vector<std::unique_ptr<Collector>> cs;
  for (const auto& g : golden_) {
    cs.push_back(std::make_unique<Collector>());
    s.submit(cs.back()->wrap(greedy(g.prompt, 64)));
  }
  for (size_t i = 0; i < golden_.size(); ++i) {
    Outcome o = cs[i]->wait();
    EXPECT_EQ(o.text, golden_[i].expected) << golden_[i].prompt;
    EXPECT_EQ(o.result.reason, FinishReason::kLength);
    EXPECT_EQ(o.result.completion_tokens, 64);
  }
}

TEST_F(SchedulerTest, SecondTurnReusesCachedPrefix) {
  Scheduler s(model_, tokenizer_, {.n_slots = 1, .n_ctx = 128, .n_threads = 1});
  Collector first;
  s.submit(first.wrap(greedy(golden_[0].prompt, 8)));
  Outcome a = first.wait();
  EXPECT_EQ(a.result.cached_tokens, 0);
  Collector second;
  s.submit(second.wrap(greedy(golden_[0].prompt + a.text + " The end", 8)));
  Outcome b = second.wait();
  EXPECT_GT(b.result.cached_tokens, 4);
  EXPECT_LT(b.result.cached_tokens, b.result.prompt_tokens);
}

TEST_F(SchedulerTest, StopStringEndsGenerationWithoutEmittingIt) {
  Scheduler s(model_, tokenizer_, {.n_slots = 1, .n_ctx = 128, .n_threads = 1});
  const std::string& full = golden_[0].expected;  // ", there was a little girl named Lily. ..."
  Collector c;
  auto req = greedy(golden_[0].prompt, 64);
  req.stop = {"Lily"};
  s.submit(c.wrap(req));
  Outcome o = c.wait();
  EXPECT_EQ(o.result.reason, FinishReason::kStop);
  EXPECT_EQ(o.text, full.substr(0, full.find("Lily")));
}

TEST_F(SchedulerTest, RejectsPromptPlusMaxTokensBeyondContext) {
  Scheduler s(model_, tokenizer_, {.n_slots = 1, .n_ctx = 16, .n_threads = 1});
  try {
    s.submit(greedy(golden_[0].prompt, 100));
    FAIL();
  } catch (const RequestError& e) {
    EXPECT_NE(std::string(e.what()).find("context size of 16"), std::string::npos) << e.what();
  }
  auto empty = greedy("x", 4);
  empty.prompt.clear();
  EXPECT_THROW(s.submit(empty), RequestError);
  auto bad = greedy(golden_[0].prompt, 4);
  bad.sampling.temperature = 5;
  EXPECT_THROW(s.submit(bad), RequestError);
}

TEST_F(SchedulerTest, CallbackReturningFalseCancelsAndFreesSlot) {
  Scheduler s(model_, tokenizer_, {.n_slots = 1, .n_ctx = 128, .n_threads = 1});
  Collector c;
  s.submit(c.wrap(greedy(golden_[0].prompt, 60), 3));
  Outcome o = c.wait();
  EXPECT_EQ(o.result.reason, FinishReason::kCancelled);
  EXPECT_EQ(o.events, 3);
  Collector next;
  s.submit(next.wrap(greedy(golden_[1].prompt, 4)));
  EXPECT_EQ(next.wait().result.reason, FinishReason::kLength);
}

TEST_F(SchedulerTest, FullQueueIsRefused) {
  Scheduler s(model_, tokenizer_, {.n_slots = 1, .n_ctx = 128, .n_threads = 1, .max_queue = 1});
  std::vector<std::unique_ptr<Collector>> cs;
  int accepted = 0, refused = 0;
  for (int i = 0; i < 6; ++i) {
    cs.push_back(std::make_unique<Collector>());
    try {
      s.submit(cs.back()->wrap(greedy(golden_[0].prompt, 50)));
      ++accepted;
    } catch (const QueueFullError&) {
      ++refused;
      cs.pop_back();
    }
  }
  EXPECT_GE(refused, 1);
  EXPECT_LE(accepted, 3);
  for (auto& c : cs) c->wait();
}

TEST_F(SchedulerTest, EmbeddingsAreNormalisedAndDeterministic) {
  Scheduler s(model_, tokenizer_, {.n_slots = 1, .n_ctx = 64, .n_threads = 1});
  auto a = tokenizer_->encode("the cat sat", true, false);
  auto b = tokenizer_->encode("a dog ran far away", true, false);
  auto e = s.embed({a, b, a});
  ASSERT_EQ(e.size(), 3u);
  double norm = 0;
  for (float v : e[0]) norm += v * v;
  EXPECT_NEAR(norm, 1.0, 1e-5);
  EXPECT_EQ(e[0], e[2]);
  EXPECT_NE(e[0], e[1]);
}

// Embeddings have no KV sequence of their own (the memory budget counts one
// per slot): with the only slot busy they wait for it, then run, and the
// generation they waited for is untouched.
TEST_F(SchedulerTest, EmbeddingsWaitForAFreeSlotAndLeaveGenerationIntact) {
  Scheduler s(model_, tokenizer_, {.n_slots = 1, .n_ctx = 128, .n_threads = 1});
  EXPECT_EQ(Scheduler::kv_sequences(1), 1);
  const auto input = tokenizer_->encode("the cat sat", true, false);
  const auto alone = s.embed({input});
  Collector gen;
  s.submit(gen.wrap(greedy(golden_[0].prompt, 64)));
  const auto while_busy = s.embed({input});
  Outcome o = gen.wait();
  EXPECT_EQ(o.text, golden_[0].expected);
  EXPECT_EQ(while_busy, alone);
}

// The slot an embedding ran in has lost its prompt cache; with two slots the
// embedding takes the least recently used one and the other keeps its cache.
TEST_F(SchedulerTest, EmbeddingsTakeTheLeastRecentlyUsedFreeSlot) {
  Scheduler s(model_, tokenizer_, {.n_slots = 2, .n_ctx = 128, .n_threads = 1});
  Collector first, second;
  s.submit(first.wrap(greedy(golden_[0].prompt, 8)));
  const std::string a = first.wait().text;
  s.submit(second.wrap(greedy(golden_[1].prompt, 8)));
  second.wait();
  s.embed({tokenizer_->encode("a dog ran far away", true, false)});  // into golden_[0]'s slot, the older
  Collector again_b, again_a;
  s.submit(again_b.wrap(greedy(golden_[1].prompt + " and", 4)));
  EXPECT_GT(again_b.wait().result.cached_tokens, 2);
  s.submit(again_a.wrap(greedy(golden_[0].prompt + a, 4)));
  EXPECT_LE(again_a.wait().result.cached_tokens, 1);  // at most BOS, which the other slot shares
}

}  // namespace
}  // namespace cellar::engine
