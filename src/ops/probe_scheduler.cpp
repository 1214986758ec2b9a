#include "ops/probe_scheduler.h"

#include <exception>
#include <stdexcept>

namespace cellar::ops {

ProbeScheduler::ProbeScheduler(std::chrono::milliseconds interval, Task task, ErrorHandler on_error,
                               bool run_at_start)
    : interval_(interval), task_(std::move(task)), on_error_(std::move(on_error)), run_at_start_(run_at_start) {
  if (interval_.count() <= 0) throw std::invalid_argument("probe interval must be positive");
}

ProbeScheduler::~ProbeScheduler() { stop(); }

void ProbeScheduler::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void ProbeScheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void ProbeScheduler::loop() {
  bool first = true;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (!(first && run_at_start_)) cv_.wait_for(lock, interval_, [this] { return stopping_; });
      if (stopping_) return;
    }
    first = false;
    try {
      task_();
    } catch (const std::exception& e) {
      if (on_error_) on_error_(e.what());
    } catch (...) {
      if (on_error_) on_error_("unknown error in scheduled probe");
    }
    ++runs_;
  }
}

}  // namespace cellar::ops
