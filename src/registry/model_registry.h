#pragma once
// Model versions: immutable NAME:N records of an imported GGUF file.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/blob_store.h"
#include "registry/catalog.h"
#include "registry/names.h"

namespace cellar::registry {

struct ModelVersion {
  int64_t id = 0;
  std::string name;
  int64_t version = 0;
  std::string sha256;
  uint64_t size_bytes = 0;
  std::string architecture;
  int64_t parameter_count = 0;
  std::string quantization;
  std::string source_path;
  std::optional<std::string> note;
  std::string created_by;
  std::string created_at;
  std::optional<std::string> deleted_at;

  std::string label() const { return version_label(name, version); }
  nlohmann::json to_json() const;
};

struct ImportRequest {
  std::filesystem::path file;
  std::string name;
  std::optional<std::string> note;
  StageOptions staging;
};

struct ImportResult {
  ModelVersion version;
  bool blob_reused = false;  // identical bytes were already in the store
  bool linked = false;       // stored as a hard link (else copied)
};

class ModelRegistry {
 public:
  explicit ModelRegistry(Catalog& catalog) : catalog_(catalog) {}

  // Validates the GGUF, stores its bytes and records the next version of
  // `name`. Interrupted at any point it leaves no version and no visible blob.
  ImportResult import_file(const ImportRequest& request, const Change& change);

  // Live versions (optionally of one name), oldest first.
  std::vector<ModelVersion> list(const std::optional<std::string>& name = std::nullopt,
                                 bool include_deleted = false);
  // NAME:N, or the newest live version of NAME. Throws NotFound.
  ModelVersion get(const VersionRef& ref);
  std::optional<ModelVersion> find_by_id(int64_t id);

  // Deletes NAME:N (the number is never reused); refused while a deployment
  // points at it. Its blob is removed once no live version uses it.
  void remove(const VersionRef& ref, const Change& change);

  std::filesystem::path blob_path(const ModelVersion& v) const { return catalog_.blobs().path_for(v.sha256); }

 private:
  Catalog& catalog_;
};

}  // namespace cellar::registry
