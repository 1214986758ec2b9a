#pragma once
// Runs a task (a probe run) every `interval` on its own thread, so the server
// can probe itself (`--probe-suite F --probe-every 1h`). stop() returns
// promptly even in the middle of a long wait.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace cellar::ops {

class ProbeScheduler {
 public:
  using Task = std::function<void()>;
  using ErrorHandler = std::function<void(const std::string& what)>;

  // The first run happens right after start() when run_at_start, else after one interval.
  ProbeScheduler(std::chrono::milliseconds interval, Task task, ErrorHandler on_error = {},
                 bool run_at_start = true);
  ~ProbeScheduler();
  ProbeScheduler(const ProbeScheduler&) = delete;
  ProbeScheduler& operator=(const ProbeScheduler&) = delete;

  void start();  // no-op when running
  void stop();   // waits for a run in progress to finish; no-op when stopped
  size_t runs() const { return runs_.load(); }

 private:
  void loop();

  std::chrono::milliseconds interval_;
  Task task_;
  ErrorHandler on_error_;
  bool run_at_start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<size_t> runs_{0};
};

}  // namespace cellar::ops
