#include "registry/model_registry.h"

#include "gguf/gguf_file.h"
#include "registry/gguf_summary.h"
#include "registry/timestamps.h"

namespace cellar::registry {
namespace {

constexpr const char* kColumns =
    "id, name, version, sha256, size_bytes, architecture, parameter_count, quantization, source_path, note, "
    "created_by, created_at, deleted_at";

ModelVersion read_model(const Statement& st) {
  ModelVersion m;
  m.id = st.int64(0);
  m.name = st.text(1);
  m.version = st.int64(2);
  m.sha256 = st.text(3);
  m.size_bytes = static_cast<uint64_t>(st.int64(4));
  m.architecture = st.text(5);
  m.parameter_count = st.int64(6);
  m.quantization = st.text(7);
  m.source_path = st.text(8);
  m.note = st.opt_text(9);
  m.created_by = st.text(10);
  m.created_at = st.text(11);
  m.deleted_at = st.opt_text(12);
  return m;
}

GgufSummary validate_gguf(const std::filesystem::path& path, const std::filesystem::path& shown_as) {
  try {
    return summarize_gguf(*GgufFile::open(path.string()));
  } catch (const GgufError& e) {
    throw InvalidInput("not a valid GGUF model file: " + shown_as.string() + ": " + e.what());
  }
}

}  // namespace

nlohmann::json ModelVersion::to_json() const {
  nlohmann::json j = {{"name", name},
                      {"version", version},
                      {"sha256", sha256},
                      {"size_bytes", size_bytes},
                      {"architecture", architecture},
                      {"parameter_count", parameter_count},
                      {"quantization", quantization},
                      {"source_path", source_path},
                      {"created_by", created_by},
                      {"created_at", created_at}};
  if (note) j["note"] = *note;
  if (deleted_at) j["deleted_at"] = *deleted_at;
  return j;
}

ImportResult ModelRegistry::import_file(const ImportRequest& req, const Change& change) {
  require_valid_name("model", req.name);
  std::error_code ec;
  std::filesystem::path source = std::filesystem::absolute(req.file, ec);
  if (ec || !std::filesystem::is_regular_file(source)) {
    throw InvalidInput("cannot import " + req.file.string() + ": no such file");
  }
  validate_gguf(source, req.file);  // fail fast, before hashing gigabytes

  std::unique_ptr<StagedBlob> blob = catalog_.blobs().stage(source, req.staging);
  // Describe the bytes actually stored, not the source (which may change).
  GgufSummary summary = validate_gguf(blob->path(), req.file);
  catalog_.blobs().publish(*blob);

  ImportResult result;
  result.blob_reused = blob->reused();
  result.linked = blob->linked();
  ModelVersion& m = result.version;
  m.name = req.name;
  m.sha256 = blob->sha256();
  m.size_bytes = blob->size();
  m.architecture = summary.architecture;
  m.parameter_count = summary.parameter_count;
  m.quantization = summary.quantization;
  m.source_path = source.string();
  m.note = req.note;
  m.created_by = change.actor;
  catalog_.write([&] {
    Database& db = catalog_.db();
    Statement next = db.prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM models WHERE name = ?1");
    next.bind(1, m.name);
    next.step();
    m.version = next.int64(0);
    m.created_at = now_timestamp();
    db.prepare(
          "INSERT INTO models(name, version, sha256, size_bytes, architecture, parameter_count, quantization, "
          "source_path, note, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        .bind(1, m.name).bind(2, m.version).bind(3, m.sha256).bind(4, static_cast<int64_t>(m.size_bytes))
        .bind(5, m.architecture).bind(6, m.parameter_count).bind(7, m.quantization).bind(8, m.source_path)
        .bind(9, m.note).bind(10, m.created_by).bind(11, m.created_at)
        .run();
    m.id = db.last_insert_rowid();
    catalog_.record(change, "model.import", "model:" + m.label(), nullptr, m.to_json());
  });
  // `blob` dies here, releasing the lock that protected it until the row existed.
  return result;
}

std::vector<ModelVersion> ModelRegistry::list(const std::optional<std::string>& name, bool include_deleted) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM models WHERE (?1 IS NULL OR name = ?1)" +
                    (include_deleted ? "" : " AND deleted_at IS NULL") + " ORDER BY name, version";
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(sql);
  st.bind(1, name);
  std::vector<ModelVersion> out;
  while (st.step()) out.push_back(read_model(st));
  return out;
}

ModelVersion ModelRegistry::get(const VersionRef& ref) {
  require_valid_name("model", ref.name);
  std::string sql = std::string("SELECT ") + kColumns + " FROM models WHERE name = ?1 AND " +
                    (ref.version ? "version = ?2" : "deleted_at IS NULL ORDER BY version DESC LIMIT 1");
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(sql);
  st.bind(1, ref.name);
  if (ref.version) st.bind(2, *ref.version);
  if (!st.step()) {
    throw NotFound("no model version " + ref.to_string() + " (see `cellar models list`)");
  }
  ModelVersion m = read_model(st);
  if (m.deleted_at) throw NotFound("model version " + m.label() + " was deleted at " + *m.deleted_at);
  return m;
}

std::optional<ModelVersion> ModelRegistry::find_by_id(int64_t id) {
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(std::string("SELECT ") + kColumns + " FROM models WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_model(st);
}

void ModelRegistry::remove(const VersionRef& ref, const Change& change) {
  if (!ref.version) throw InvalidInput("name the version to delete, e.g. " + ref.name + ":1");
  catalog_.write([&] {
    ModelVersion m = get(ref);
    Statement users = catalog_.db().prepare("SELECT name FROM deployments WHERE model_id = ?1 ORDER BY name");
    users.bind(1, m.id);
    if (users.step()) {
      throw Conflict("model version " + m.label() + " is deployed as '" + users.text(0) +
                     "': deploy something else there first");
    }
    catalog_.db()
        .prepare("UPDATE models SET deleted_at = ?1, deleted_by = ?2 WHERE id = ?3")
        .bind(1, now_timestamp()).bind(2, change.actor).bind(3, m.id)
        .run();
    catalog_.record(change, "model.delete", "model:" + m.label(), m.to_json(), nullptr);
  });
  catalog_.collect_garbage();
}

}  // namespace cellar::registry
