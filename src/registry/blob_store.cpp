#include "registry/blob_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "registry/errors.h"
#include "registry/sha256.h"

namespace cellar::registry {
namespace {

constexpr size_t kChunkBytes = 4u << 20;
constexpr const char* kTempPrefix = ".tmp-";
constexpr const char* kBlobPrefix = "sha256-";

[[noreturn]] void fail_errno(const std::string& what) {
  throw StorageError(what + ": " + std::strerror(errno));
}

// RAII file descriptor.
struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int release() { return std::exchange(fd, -1); }
};

// Exclusive lock on blobs/.lock while creating a temp file or sweeping.
class DirLock {
 public:
  explicit DirLock(const std::filesystem::path& dir) : fd_(::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_.fd < 0) fail_errno("cannot open " + (dir / ".lock").string());
    if (::flock(fd_.fd, LOCK_EX) != 0) fail_errno("cannot lock " + (dir / ".lock").string());
  }

 private:
  Fd fd_;
};

std::string random_suffix() {
  std::random_device rd;
  std::uniform_int_distribution<uint64_t> dist;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(dist(rd)));
  return std::to_string(::getpid()) + "-" + buf;
}

void full_write(int fd, const uint8_t* p, size_t n, const std::filesystem::path& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) fail_errno("cannot write " + path.string());
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// Streams `in` through SHA-256 (and into `out` when copying).
std::pair<std::string, uint64_t> hash_stream(int in, int out, const std::filesystem::path& in_path,
                                             const std::filesystem::path& out_path, uint64_t total,
                                             const StageOptions& opt) {
  std::vector<uint8_t> buf(kChunkBytes);  // [kChunkBytes]
  Sha256 hash;
  uint64_t done = 0;
  ::posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
  for (;;) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno("cannot read " + in_path.string());
    if (n == 0) break;
    hash.update(buf.data(), static_cast<size_t>(n));
    if (out >= 0) full_write(out, buf.data(), static_cast<size_t>(n), out_path);
    done += static_cast<uint64_t>(n);
    if (opt.progress) opt.progress(done, std::max(total, done));
    if (opt.chunk_delay.count() > 0) std::this_thread::sleep_for(opt.chunk_delay);
  }
  return {hash.hex_digest(), done};
}

bool is_hex_sha(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool same_inode(int fd, const std::filesystem::path& path) {
  struct stat a {}, b {};
  return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void fsync_dir(const std::filesystem::path& dir) {
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d.fd >= 0) ::fsync(d.fd);
}

}  // namespace

StagedBlob::~StagedBlob() {
  if (!published_ && !path_.empty()) ::unlink(path_.c_str());
  if (fd_ >= 0) ::close(fd_);
}

BlobStore::BlobStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

std::filesystem::path BlobStore::path_for(const std::string& sha256) const {
  return dir_ / (std::string(kBlobPrefix) + sha256);
}

std::unique_ptr<StagedBlob> BlobStore::stage(const std::filesystem::path& source, const StageOptions& opt) {
  std::unique_ptr<StagedBlob> blob(new StagedBlob());
  Fd src(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (src.fd < 0) fail_errno("cannot open " + source.string());
  struct stat st {};
  if (::fstat(src.fd, &st) != 0) fail_errno("cannot stat " + source.string());
  if (!S_ISREG(st.st_mode)) throw InvalidInput(source.string() + " is not a regular file");
  auto total = static_cast<uint64_t>(st.st_size);
  std::filesystem::path tmp = dir_ / (kTempPrefix + random_suffix());
  {
    DirLock guard(dir_);
    if (opt.allow_link) {
      // Lock the inode before it gets a name in blobs/, so no sweep can take it.
      if (::flock(src.fd, LOCK_SH) != 0) fail_errno("cannot lock " + source.string());
      if (::linkat(AT_FDCWD, source.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) == 0) {
        if (same_inode(src.fd, tmp)) {
          blob->linked_ = true;
          blob->fd_ = src.release();
        } else {
          ::unlink(tmp.c_str());  // the path was swapped after we opened it: copy what we opened
        }
      }
      if (!blob->linked_) ::flock(src.fd, LOCK_UN);
    }
    if (!blob->linked_) {
      blob->fd_ = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (blob->fd_ < 0) fail_errno("cannot create " + tmp.string());
      if (::flock(blob->fd_, LOCK_SH) != 0) fail_errno("cannot lock " + tmp.string());
    }
    blob->path_ = tmp;
  }
  // From here on the destructor removes the temp file if anything throws.
  auto [sha, size] = blob->linked_ ? hash_stream(blob->fd_, -1, tmp, tmp, total, opt)
                                   : hash_stream(src.fd, blob->fd_, source, tmp, total, opt);
  if (::fsync(blob->fd_) != 0) fail_errno("cannot fsync " + tmp.string());
  // Our own copies are read-only: a blob's bytes must always match its name.
  if (!blob->linked_) ::fchmod(blob->fd_, 0444);
  blob->sha256_ = sha;
  blob->size_ = size;
  return blob;
}

void BlobStore::publish(StagedBlob& blob) {
  std::filesystem::path final_path = path_for(blob.sha256_);
  Fd existing(::open(final_path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (existing.fd >= 0 && ::flock(existing.fd, LOCK_SH) == 0 && ::fstat(existing.fd, &st) == 0 &&
      st.st_nlink > 0 && static_cast<uint64_t>(st.st_size) == blob.size_) {
    // Identical bytes already stored: keep that blob, locked until our row commits.
    ::unlink(blob.path_.c_str());
    ::close(blob.fd_);
    blob.fd_ = existing.release();
    blob.path_ = final_path;
    blob.reused_ = true;
    blob.published_ = true;
    return;
  }
  if (::rename(blob.path_.c_str(), final_path.c_str()) != 0) fail_errno("cannot publish " + final_path.string());
  blob.path_ = final_path;
  blob.published_ = true;
  fsync_dir(dir_);
}

int BlobStore::sweep_temp_files() {
  DirLock guard(dir_);
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(kTempPrefix, 0) != 0) continue;
    Fd f(::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC));
    if (f.fd < 0) continue;
    if (::flock(f.fd, LOCK_EX | LOCK_NB) != 0) continue;  // an import is still running
    if (::unlink(entry.path().c_str()) == 0) ++removed;
  }
  return removed;
}

int BlobStore::remove_unreferenced(const std::function<bool(const std::string&)>& referenced) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(kBlobPrefix, 0) != 0 || !is_hex_sha(name.substr(7))) continue;
    Fd f(::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC));
    if (f.fd < 0) continue;
    if (::flock(f.fd, LOCK_EX | LOCK_NB) != 0) continue;  // an import is using it
    // Checked under the lock: an import commits its row before releasing its lock.
    if (referenced(name.substr(7))) continue;
    if (::unlink(entry.path().c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace cellar::registry
