#include "ops/integrity_verifier.h"

#include <openssl/evp.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace cellar::ops {
namespace {

using Clock = std::chrono::steady_clock;

// Linux ioprio_set(2) values; glibc has no wrapper.
constexpr int kIoprioWhoProcess = 1;
constexpr int kIoprioClassIdle = 3;
constexpr int kIoprioClassShift = 13;

void lower_this_thread_priority() {
  // On Linux both apply to the calling thread only (tid 0 / who 0).
  ::syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, kIoprioClassIdle << kIoprioClassShift);
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 19);
}

std::string hex(const unsigned char* data, unsigned len) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

}  // namespace

std::string sha256_file(const std::filesystem::path& file, double max_bytes_per_second, size_t chunk_bytes,
                        const std::atomic<bool>* stop) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL SHA-256 is unavailable");
  std::vector<char> buf(chunk_bytes);  // [chunk_bytes]
  const auto start = Clock::now();
  uint64_t total = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = in.gcount();
    if (n <= 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(n));
    total += static_cast<uint64_t>(n);
    if (stop && stop->load()) return {};
    if (max_bytes_per_second > 0) {
      // Sleep until the average rate since start is back under the limit.
      auto due = start + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(static_cast<double>(total) / max_bytes_per_second));
      if (due > Clock::now()) std::this_thread::sleep_until(due);
    }
  }
  if (in.bad()) throw std::runtime_error("read error in " + file.string());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  return hex(digest, len);
}

IntegrityVerifier::IntegrityVerifier(std::vector<IntegrityTarget> targets, IntegrityOptions options,
                                     Callback on_result)
    : options_(options), on_result_(std::move(on_result)), targets_(std::move(targets)) {
  if (options_.interval.count() <= 0) throw std::invalid_argument("verify interval must be positive");
  if (options_.chunk_bytes == 0) throw std::invalid_argument("verify chunk size must be positive");
}

IntegrityVerifier::~IntegrityVerifier() { stop(); }

void IntegrityVerifier::set_targets(std::vector<IntegrityTarget> targets) {
  std::lock_guard lock(mu_);
  targets_ = std::move(targets);
}

IntegrityResult IntegrityVerifier::verify_one(const IntegrityTarget& t) {
  IntegrityResult r{t, false, "", ""};
  try {
    r.actual = sha256_file(t.file, options_.max_bytes_per_second, options_.chunk_bytes, &stopping_);
    r.ok = !r.actual.empty() && r.actual == t.expected_sha256;
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

std::vector<IntegrityResult> IntegrityVerifier::verify_now() {
  std::vector<IntegrityTarget> targets;
  {
    std::lock_guard lock(mu_);
    targets = targets_;
  }
  std::vector<IntegrityResult> results;
  for (const auto& t : targets) {
    IntegrityResult r = verify_one(t);
    if (stopping_ && r.actual.empty() && r.error.empty()) break;  // interrupted, not a verdict
    if (on_result_) on_result_(r);
    results.push_back(std::move(r));
  }
  return results;
}

void IntegrityVerifier::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void IntegrityVerifier::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void IntegrityVerifier::loop() {
  if (options_.lower_priority) lower_this_thread_priority();
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.interval, [this] { return stopping_.load(); });
      if (stopping_) return;
    }
    verify_now();
  }
}

}  // namespace cellar::ops
