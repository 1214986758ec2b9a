#pragma once
// Re-hashes model blobs on a schedule: bytes that change on disk under a
// running model (bad disk, careless copy, tampering) are a real production
// failure. Hashing runs at idle IO priority, low CPU priority and a bounded
// read rate so it never competes with serving.
// Server wiring (`--verify-every 6h`): targets from the catalogue (model name,
// blob path, SHA-256); the callback sets cellar_integrity_mismatch{model} (a
// GaugeFamily, prometheus_text.h) to 0 or 1 and logs/alerts on a mismatch.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cellar::ops {

struct IntegrityTarget {
  std::string name;  // e.g. the model name, used as the metric label
  std::filesystem::path file;
  std::string expected_sha256;  // lowercase hex
};

struct IntegrityResult {
  IntegrityTarget target;
  bool ok = false;      // hash matched
  std::string actual;   // hex, empty when the file could not be read
  std::string error;    // read error, when any
};

struct IntegrityOptions {
  std::chrono::milliseconds interval{std::chrono::hours(6)};
  size_t chunk_bytes = 4 << 20;
  double max_bytes_per_second = 128.0 * (1 << 20);  // 0: unthrottled
  bool lower_priority = true;  // idle IO class + nice 19 for the hashing thread
};

// SHA-256 of a file as lowercase hex, read in chunks at most `max_bytes_per_second`
// (0: as fast as possible). Returns empty when `stop` became true midway.
// Throws std::runtime_error naming the file when it cannot be read.
std::string sha256_file(const std::filesystem::path& file, double max_bytes_per_second = 0,
                        size_t chunk_bytes = 4 << 20, const std::atomic<bool>* stop = nullptr);

class IntegrityVerifier {
 public:
  using Callback = std::function<void(const IntegrityResult&)>;

  IntegrityVerifier(std::vector<IntegrityTarget> targets, IntegrityOptions options, Callback on_result);
  ~IntegrityVerifier();
  IntegrityVerifier(const IntegrityVerifier&) = delete;
  IntegrityVerifier& operator=(const IntegrityVerifier&) = delete;

  void set_targets(std::vector<IntegrityTarget> targets);  // e.g. after a model (un)load
  std::vector<IntegrityResult> verify_now();  // on the caller's thread; reports to the callback too
  void start();  // first pass after one interval
  void stop();

 private:
  void loop();
  IntegrityResult verify_one(const IntegrityTarget& t);

  IntegrityOptions options_;
  Callback on_result_;
  std::mutex mu_;
  std::vector<IntegrityTarget> targets_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace cellar::ops
