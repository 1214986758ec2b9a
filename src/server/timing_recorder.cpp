#include "server/timing_recorder.h"

#include <chrono>
#include <cstdio>

#include "registry/timestamps.h"

namespace cellar::server {
namespace {

constexpr auto kFlushEvery = std::chrono::milliseconds(500);

}  // namespace

bool is_generation_route(const std::string& route) {
  return route == "/v1/chat/completions" || route == "/v1/completions" || route == "/api/generate" ||
         route == "/api/chat";
}

TimingRecorder::TimingRecorder(const std::filesystem::path& home, size_t max_queue)
    : catalog_(std::make_unique<registry::Catalog>(home)), max_queue_(max_queue) {
  writer_ = std::thread([this] { run(); });
}

TimingRecorder::~TimingRecorder() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  writer_.join();
  flush();
}

void TimingRecorder::record(const RequestContext& ctx) {
  if (ctx.model.empty() || ctx.model_version.empty() || !is_generation_route(ctx.route)) return;
  registry::RequestTiming t;
  t.at = registry::now_timestamp();
  t.deployment = ctx.model;
  t.model_version = ctx.model_version;
  if (!ctx.template_version.empty()) t.template_version = ctx.template_version;
  t.prompt_tokens = ctx.prompt_tokens;
  t.completion_tokens = ctx.completion_tokens;
  if (ctx.ttft_seconds >= 0) t.ttft_seconds = ctx.ttft_seconds;
  t.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  t.status = ctx.status;
  std::lock_guard lock(mu_);
  if (queue_.size() >= max_queue_) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(t));
}

void TimingRecorder::flush() {
  std::lock_guard write_lock(write_mu_);
  std::vector<registry::RequestTiming> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(queue_);
  }
  try {
    registry::TimingStore(*catalog_).append(batch);
  } catch (const std::exception& e) {
    // Timings are diagnostics: losing a batch must not take the server down.
    std::fprintf(stderr, "cellar: could not record %zu request timing(s): %s\n", batch.size(), e.what());
  }
}

uint64_t TimingRecorder::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void TimingRecorder::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, kFlushEvery, [this] { return stopping_; });
    lock.unlock();
    flush();
    lock.lock();
  }
}

}  // namespace cellar::server
