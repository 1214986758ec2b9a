#include "registry/memory_budget.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace cellar::registry {
namespace {

uint64_t physical_ram() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit) {
    if (key == "MemTotal:") return kib * 1024;
  }
  long pages = sysconf(_SC_PHYS_PAGES);
  long page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

std::optional<uint64_t> cgroup_limit() {
  std::ifstream in("/sys/fs/cgroup/memory.max");
  std::string v;
  if (!(in >> v) || v == "max") return std::nullopt;
  try {
    return std::stoull(v);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

std::vector<std::string> MemoryBudget::reserve(const std::string& name, uint64_t cost, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (entries_.count(name)) throw RegistryError("memory budget: '" + name + "' is already loaded");
  std::vector<const LoadedEntry*> idle;
  for (const auto& [n, e] : entries_) {
    if (!e.pinned && e.in_use == 0) idle.push_back(&e);
  }
  std::sort(idle.begin(), idle.end(), [](auto* a, auto* b) { return a->last_used < b->last_used; });
  uint64_t free_bytes = budget_ - std::min(budget_, used_);
  std::vector<std::string> evict;
  for (const LoadedEntry* e : idle) {
    if (free_bytes >= cost) break;
    free_bytes += e->cost_bytes;
    evict.push_back(e->name);
  }
  if (free_bytes < cost) {
    throw BudgetExceeded("memory budget " + format_bytes(budget_) + " cannot fit '" + name + "' (needs " +
                         format_bytes(cost) + ", " + format_bytes(budget_ - std::min(budget_, used_)) +
                         " free even after unloading every idle model); loaded: " + describe_loaded() +
                         ". Raise --memory-budget, unpin a model or wait for requests to finish");
  }
  for (const auto& n : evict) {
    used_ -= entries_[n].cost_bytes;
    entries_.erase(n);
  }
  entries_[name] = LoadedEntry{name, cost, now, false, 0};
  used_ += cost;
  return evict;
}

void MemoryBudget::release(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return;
  used_ -= it->second.cost_bytes;
  entries_.erase(it);
}

void MemoryBudget::acquire(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return;
  ++it->second.in_use;
  it->second.last_used = now;
}

void MemoryBudget::unacquire(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return;
  it->second.in_use = std::max(0, it->second.in_use - 1);
  it->second.last_used = now;
}

void MemoryBudget::set_pinned(const std::string& name, bool pinned) {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(name); it != entries_.end()) it->second.pinned = pinned;
}

std::vector<std::string> MemoryBudget::expired(std::chrono::milliseconds keep_alive, Clock::time_point now) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [n, e] : entries_) {
    if (!e.pinned && e.in_use == 0 && now - e.last_used >= keep_alive) out.push_back(n);
  }
  return out;
}

uint64_t MemoryBudget::used_bytes() const {
  std::lock_guard lock(mu_);
  return used_;
}

bool MemoryBudget::contains(const std::string& name) const {
  std::lock_guard lock(mu_);
  return entries_.count(name) > 0;
}

std::vector<LoadedEntry> MemoryBudget::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<LoadedEntry> out;
  for (const auto& [n, e] : entries_) out.push_back(e);
  return out;
}

std::string MemoryBudget::describe_loaded() const {
  if (entries_.empty()) return "nothing";
  std::string out;
  for (const auto& [n, e] : entries_) {
    if (!out.empty()) out += ", ";
    out += n + " " + format_bytes(e.cost_bytes);
    if (e.pinned) out += " pinned";
    if (e.in_use > 0) out += " in use by " + std::to_string(e.in_use);
  }
  return out;
}

uint64_t default_memory_budget() {
  uint64_t ram = physical_ram();
  if (auto limit = cgroup_limit(); limit && *limit < ram) ram = *limit;
  return ram / 10 * 8;
}

std::string format_bytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, kUnits[u]);
  return buf;
}

uint64_t parse_memory_size(const std::string& text) {
  std::istringstream in(text);
  double v = 0;
  std::string unit;
  if (!(in >> v) || v < 0) throw InvalidInput("invalid memory size '" + text + "': use e.g. 8G, 512MiB or 75%");
  in >> unit;
  std::string u;
  for (char c : unit) u += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (u == "%") {
    if (v > 100) throw InvalidInput("invalid memory size '" + text + "': a percentage is at most 100%");
    return static_cast<uint64_t>(static_cast<double>(default_memory_budget()) / 0.8 * v / 100.0);
  }
  static const std::pair<const char*, double> kScale[] = {
      {"", 1},         {"B", 1},         {"K", 1024.0},    {"KB", 1e3},          {"KIB", 1024.0},
      {"M", 1048576.0}, {"MB", 1e6},     {"MIB", 1048576.0}, {"G", 1073741824.0}, {"GB", 1e9},
      {"GIB", 1073741824.0}, {"T", 1099511627776.0}, {"TB", 1e12}, {"TIB", 1099511627776.0}};
  for (const auto& [name, scale] : kScale) {
    if (u == name) return static_cast<uint64_t>(std::llround(v * scale));
  }
  throw InvalidInput("invalid memory size '" + text + "': unknown unit '" + unit + "' (use B, K, M, G, T or %)");
}

}  // namespace cellar::registry
