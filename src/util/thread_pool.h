#pragma once
// Persistent worker threads for the forward pass: created once, woken per
// parallel region with a cheap spin-then-block barrier, so no thread is
// created per token. The caller thread takes part as worker 0.
#include <functional>

namespace cellar {

class ThreadPool {
 public:
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return n_threads_; }

  // Runs fn(ith, nth) on every worker (ith in [0, nth)) and returns when all
  // have finished. Not re-entrant: fn must not call run() on the same pool.
  void run(const std::function<void(int ith, int nth)>& fn);

 private:
  struct Impl;
  Impl* impl_;
  int n_threads_;
};

// Physical cores of this machine (the default for -t).
int default_thread_count();

}  // namespace cellar
