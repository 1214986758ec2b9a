#include "registry/catalog.h"

#include <system_error>

#include "registry/names.h"
#include "registry/schema.h"
#include "registry/timestamps.h"

namespace cellar::registry {
namespace {

std::unique_ptr<Database> open_database(const std::filesystem::path& home) {
  std::error_code ec;
  std::filesystem::create_directories(home / "blobs", ec);
  if (ec) {
    throw StorageError("cannot create registry home " + home.string() + ": " + ec.message() +
                       " (choose another with --home or CELLAR_HOME)");
  }
  return std::make_unique<Database>(home / "catalog.db");
}

}  // namespace

Catalog::Catalog(const std::filesystem::path& home)
    : home_(home), db_(open_database(home)), blobs_(home / "blobs"), audit_(*db_) {
  migrate(*db_);
  // Leftovers of imports killed part-way: temp files, and blobs published
  // just before a crash whose version row never committed.
  blobs_.sweep_temp_files();
  collect_garbage();
}

void Catalog::write(const std::function<void()>& body) {
  db_->write_transaction([&] {
    body();
    db_->exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'");
  });
}

void Catalog::record(const Change& change, std::string_view action, std::string_view object,
                     const nlohmann::json& before, const nlohmann::json& after) {
  audit_.append(change, action, object, before, after);
}

int64_t Catalog::generation() {
  return db_->query_int("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'");
}

std::optional<std::string> Catalog::setting(std::string_view key) {
  auto guard = db_->lock();
  Statement st = db_->prepare("SELECT value FROM settings WHERE key = ?1");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

void Catalog::set_setting(const Change& change, std::string_view key, std::string_view value) {
  require_valid_name("setting", key);
  write([&] {
    std::optional<std::string> before = setting(key);
    db_->prepare(
           "INSERT INTO settings(key, value, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4) "
           "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, "
           "updated_at = excluded.updated_at")
        .bind(1, key).bind(2, value).bind(3, change.actor).bind(4, now_timestamp())
        .run();
    nlohmann::json b = before ? nlohmann::json{{"value", *before}} : nlohmann::json();
    record(change, "config.set", "setting:" + std::string(key), b, {{"value", value}});
  });
}

int Catalog::collect_garbage() {
  auto referenced = [this](const std::string& sha) {
    auto guard = db_->lock();
    Statement st = db_->prepare("SELECT 1 FROM models WHERE sha256 = ?1 AND deleted_at IS NULL LIMIT 1");
    st.bind(1, sha);
    return st.step();
  };
  return blobs_.remove_unreferenced(referenced);
}

}  // namespace cellar::registry
