#pragma once
// Content-addressed model files: blobs/sha256-<hex>.
//
// A new file is staged under blobs/.tmp-* (a hard link to the source when it
// is on the same filesystem, else a copy that is fsync'ed), hashed in full,
// and only then renamed to its final name — so a visible blob always holds
// exactly the bytes its name says. The importer keeps a shared flock on the
// file's inode from staging until its catalogue row is committed; sweeps only
// delete files they can lock exclusively, i.e. whose importer is gone.
// blobs/.lock serialises temp-file creation against sweeps.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace cellar::registry {

// Called as bytes are hashed: (bytes done, bytes total).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

struct StageOptions {
  bool allow_link = true;  // false: always copy (the blob then survives edits of the source)
  ProgressFn progress;
  std::chrono::milliseconds chunk_delay{0};  // tests only: slows hashing so it can be interrupted
};

// A file on its way into the store. Destroying it before publish() removes the
// temporary file; destroying it after releases the importer's lock.
class StagedBlob {
 public:
  ~StagedBlob();
  StagedBlob(const StagedBlob&) = delete;
  StagedBlob& operator=(const StagedBlob&) = delete;

  const std::string& sha256() const { return sha256_; }
  uint64_t size() const { return size_; }
  bool linked() const { return linked_; }     // hard link rather than copy
  bool reused() const { return reused_; }     // identical bytes were already stored
  const std::filesystem::path& path() const { return path_; }  // temp path, final after publish

 private:
  friend class BlobStore;
  StagedBlob() = default;
  int fd_ = -1;  // holds LOCK_SH on the inode
  std::filesystem::path path_;
  std::string sha256_;
  uint64_t size_ = 0;
  bool linked_ = false;
  bool reused_ = false;
  bool published_ = false;
};

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path path_for(const std::string& sha256) const;

  // Links or copies `source` to a temp file and hashes it. Throws StorageError.
  std::unique_ptr<StagedBlob> stage(const std::filesystem::path& source, const StageOptions& options);
  // Makes the staged file visible under its hash name (atomic rename, then
  // fsync of the directory). Identical existing content is reused.
  void publish(StagedBlob& blob);

  // Removes temp files of imports that died (kill -9, power loss). Returns the count.
  int sweep_temp_files();
  // Removes hash-named blobs for which `referenced(sha)` is false and no import holds a lock.
  int remove_unreferenced(const std::function<bool(const std::string&)>& referenced);

 private:
  std::filesystem::path dir_;
};

}  // namespace cellar::registry
