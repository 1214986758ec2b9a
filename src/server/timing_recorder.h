#pragma once
// Writes one timing record per finished generation request into the
// registry (registry/request_timings.h) for `cellar report latency`. Requests
// only append to an in-memory queue; a background thread writes batches, so
// a slow disk or a busy catalogue never delays a response. When the queue is
// full (the writer cannot keep up) records are dropped and counted.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "registry/catalog.h"
#include "registry/request_timings.h"
#include "server/http/request_context.h"

namespace cellar::server {

class TimingRecorder {
 public:
  explicit TimingRecorder(const std::filesystem::path& home, size_t max_queue = 10000);
  ~TimingRecorder();  // writes what is queued
  TimingRecorder(const TimingRecorder&) = delete;
  TimingRecorder& operator=(const TimingRecorder&) = delete;

  // Queues the request when it was a generation on a model (others are ignored).
  void record(const RequestContext& ctx);
  // Writes everything queued now (tests, shutdown).
  void flush();
  uint64_t dropped() const;

 private:
  void run();

  std::unique_ptr<registry::Catalog> catalog_;
  size_t max_queue_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<registry::RequestTiming> queue_;
  uint64_t dropped_ = 0;
  bool stopping_ = false;
  std::mutex write_mu_;  // one batch at a time (background thread and flush())
  std::thread writer_;
};

// True for the routes that generate text (their timings are recorded).
bool is_generation_route(const std::string& route);

}  // namespace cellar::server
