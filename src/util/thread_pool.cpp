#include "util/thread_pool.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#include <fstream>
#include <set>
#include <string>
#include <utility>

namespace cellar {

// Workers wait on a generation counter: they spin briefly (a decode step's
// parallel regions come back-to-back, microseconds apart) and then block on a
// condition variable so an idle server burns no CPU.
struct ThreadPool::Impl {
  std::vector<std::thread> threads;
  const std::function<void(int, int)>* job = nullptr;
  std::atomic<uint64_t> generation{0};
  std::atomic<int> pending{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  int n = 1;

  void worker(int ith) {
    uint64_t seen = 0;
    for (;;) {
      uint64_t g;
      int spins = 0;
      while ((g = generation.load(std::memory_order_acquire)) == seen && !stop.load()) {
        if (++spins < 20000) {
#if defined(__x86_64__)
          __builtin_ia32_pause();
#endif
          if (spins % 1024 == 0) std::this_thread::yield();
          continue;
        }
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return generation.load() != seen || stop.load(); });
      }
      if (stop.load()) return;
      seen = g;
      (*job)(ith, n);
      pending.fetch_sub(1, std::memory_order_acq_rel);
    }
  }
};

ThreadPool::ThreadPool(int n_threads) : impl_(new Impl), n_threads_(n_threads < 1 ? 1 : n_threads) {
  impl_->n = n_threads_;
  for (int i = 1; i < n_threads_; ++i) impl_->threads.emplace_back([this, i] { impl_->worker(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop.store(true);
  }
  impl_->cv.notify_all();
  for (auto& t : impl_->threads) t.join();
  delete impl_;
}

void ThreadPool::run(const std::function<void(int, int)>& fn) {
  if (n_threads_ == 1) {
    fn(0, 1);
    return;
  }
  impl_->job = &fn;
  impl_->pending.store(n_threads_ - 1, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->generation.fetch_add(1, std::memory_order_acq_rel);
  }
  impl_->cv.notify_all();
  fn(0, n_threads_);
  // Spin while the others finish, but yield once it takes long: with more
  // threads than free cores the straggler may be waiting for our core.
  for (int spins = 0; impl_->pending.load(std::memory_order_acquire) != 0; ++spins) {
    if (spins < 4000) {
#if defined(__x86_64__)
      __builtin_ia32_pause();
#endif
    } else {
      std::this_thread::yield();
    }
  }
}

int default_thread_count() {
  // Count distinct (physical id, core id) pairs; SMT siblings share a core's
  // load/store units, so extra threads on them slow a bandwidth-bound decode.
  std::ifstream in("/proc/cpuinfo");
  std::set<std::pair<std::string, std::string>> cores;
  std::string line, phys = "0";
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    std::string val = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "physical id") phys = val;
    if (key == "core id") cores.insert({phys, val});
  }
  if (!cores.empty()) return static_cast<int>(cores.size());
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? static_cast<int>(hw) : 1;
}

}  // namespace cellar
