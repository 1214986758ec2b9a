#pragma once
// Bookkeeping for several loaded deployments sharing one memory budget. A
// deployment's cost is its mapped model bytes plus its KV cache. reserve()
// makes room by choosing least-recently-used idle (not in use, not pinned)
// entries to unload; if even that is not enough it fails *before* anything is
// loaded, so the process is never pushed into the OOM killer. The server does
// the actual loading and unloading; this class only decides. Thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "registry/errors.h"

namespace cellar::registry {

// Thrown when a load cannot fit (HTTP 503); the message names the budget,
// the need and what is loaded.
class BudgetExceeded : public RegistryError {
 public:
  using RegistryError::RegistryError;
};

struct LoadedEntry {
  std::string name;
  uint64_t cost_bytes = 0;
  std::chrono::steady_clock::time_point last_used{};
  bool pinned = false;
  int in_use = 0;  // requests currently running on it
};

class MemoryBudget {
 public:
  using Clock = std::chrono::steady_clock;

  explicit MemoryBudget(uint64_t budget_bytes) : budget_(budget_bytes) {}

  // Reserves `cost_bytes` for `name` (which must not be loaded yet). Returns the
  // names the caller must unload first, oldest first; they are no longer tracked.
  std::vector<std::string> reserve(const std::string& name, uint64_t cost_bytes, Clock::time_point now = Clock::now());
  // Forgets `name` (after unloading it, or when its load failed).
  void release(const std::string& name);

  // A request starts / ends on `name`; in-use entries are never evicted.
  void acquire(const std::string& name, Clock::time_point now = Clock::now());
  void unacquire(const std::string& name, Clock::time_point now = Clock::now());
  void set_pinned(const std::string& name, bool pinned);

  // Idle, unpinned entries unused for at least `keep_alive`: the caller unloads
  // them and calls release().
  std::vector<std::string> expired(std::chrono::milliseconds keep_alive, Clock::time_point now = Clock::now()) const;

  uint64_t budget_bytes() const { return budget_; }
  uint64_t used_bytes() const;
  bool contains(const std::string& name) const;
  std::vector<LoadedEntry> snapshot() const;  // by name

 private:
  std::string describe_loaded() const;  // caller holds mu_

  uint64_t budget_;
  uint64_t used_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, LoadedEntry> entries_;
};

// 80% of physical RAM (or of the cgroup memory limit, when lower).
uint64_t default_memory_budget();
// Human-readable bytes ("3.2 GiB").
std::string format_bytes(uint64_t bytes);
// Parses "8G", "512MiB", "1.5GB", "80%" (of default physical RAM) or plain bytes. Throws InvalidInput.
uint64_t parse_memory_size(const std::string& text);

}  // namespace cellar::registry
