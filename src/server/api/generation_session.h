#pragma once
// One generation in flight for an HTTP request: submits to the model, buffers
// the text the engine thread produces until the HTTP thread takes it, records
// the request's metrics, and cancels the engine request if the HTTP side goes
// away first (client disconnect, write error).
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "server/backend.h"
#include "server/server_metrics.h"

namespace cellar::server {

class GenerationSession {
 public:
  enum class Poll { kPending, kText, kDone };

  // Submits the request (its callbacks are set here). Throws ApiError: 400 for
  // engine::RequestError, 429 with Retry-After for engine::QueueFullError.
  static std::shared_ptr<GenerationSession> start(std::shared_ptr<ModelBackend> model, engine::GenerationRequest req,
                                                  ServerMetrics& metrics);
  ~GenerationSession();

  // Waits up to `wait` for text or the end. kText: new text appended to *text;
  // kDone: the remaining text appended and result() valid.
  Poll poll(std::string* text, std::chrono::milliseconds wait);
  // Blocks until the end; returns all text.
  std::string wait_all();
  const engine::GenerationResult& result() const { return result_; }
  int tokens_so_far() const;
  // The HTTP side gave up: the engine stops this request within one step.
  void cancel();

  GenerationSession(std::shared_ptr<ModelBackend> model, ServerMetrics& metrics);  // use start()

 private:
  bool on_token(const engine::TokenEvent& ev);
  void on_done(const engine::GenerationResult& r);

  std::shared_ptr<ModelBackend> model_;
  ServerMetrics& metrics_;
  uint64_t id_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;  // text produced and not yet taken
  int n_tokens_ = 0;
  bool done_ = false;
  bool cancelled_ = false;
  engine::GenerationResult result_;
  std::chrono::steady_clock::time_point last_token_;
};

}  // namespace cellar::server
