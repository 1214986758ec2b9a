#include "registry/audit_log.h"

#include <algorithm>
#include <cassert>

#include "registry/sha256.h"
#include "registry/timestamps.h"

namespace cellar::registry {
namespace {

std::optional<std::string> json_text(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  return j.dump();
}

nlohmann::json opt_json(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(); }

AuditEntry read_entry(const Statement& st) {
  AuditEntry e;
  e.seq = st.int64(0);
  e.at = st.text(1);
  e.actor = st.text(2);
  e.action = st.text(3);
  e.object = st.text(4);
  e.before = st.opt_text(5);
  e.after = st.opt_text(6);
  e.reason = st.opt_text(7);
  e.prev_hash = st.text(8);
  e.hash = st.text(9);
  return e;
}

constexpr const char* kSelect =
    "SELECT seq, at, actor, action, object, before, after, reason, prev_hash, hash FROM audit_log";

std::string meta_value(Database& db, const char* key) {
  Statement st = db.prepare("SELECT value FROM meta WHERE key = ?1");
  st.bind(1, key);
  return st.step() ? st.text(0) : std::string();
}

}  // namespace

nlohmann::json AuditEntry::to_json() const {
  auto parsed = [](const std::optional<std::string>& s) {
    return s ? nlohmann::json::parse(*s, nullptr, false) : nlohmann::json();
  };
  return {{"seq", seq},       {"at", at},         {"actor", actor},   {"action", action},
          {"object", object}, {"before", parsed(before)}, {"after", parsed(after)},
          {"reason", opt_json(reason)}, {"hash", hash}};
}

std::string AuditLog::canonical(const AuditEntry& e) {
  nlohmann::json row = nlohmann::json::array(
      {e.seq, e.at, e.actor, e.action, e.object, opt_json(e.before), opt_json(e.after), opt_json(e.reason)});
  return row.dump();
}

std::string AuditLog::chain_hash(const std::string& prev_hash, const AuditEntry& e) {
  return sha256_hex(prev_hash + "\n" + canonical(e));
}

void AuditLog::append(const Change& change, std::string_view action, std::string_view object,
                      const nlohmann::json& before, const nlohmann::json& after) {
  assert(db_.in_transaction() && "audit rows are written in the change's own transaction");
  AuditEntry e;
  e.seq = std::stoll(meta_value(db_, "audit_head_seq")) + 1;
  e.prev_hash = meta_value(db_, "audit_head_hash");
  e.at = now_timestamp();
  e.actor = change.actor;
  e.action = std::string(action);
  e.object = std::string(object);
  e.before = json_text(before);
  e.after = json_text(after);
  e.reason = change.reason;
  e.hash = chain_hash(e.prev_hash, e);

  db_.prepare(
         "INSERT INTO audit_log(seq, at, actor, action, object, before, after, reason, prev_hash, hash) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
      .bind(1, e.seq).bind(2, e.at).bind(3, e.actor).bind(4, e.action).bind(5, e.object)
      .bind(6, e.before).bind(7, e.after).bind(8, e.reason).bind(9, e.prev_hash).bind(10, e.hash)
      .run();
  db_.prepare("UPDATE meta SET value = ?1 WHERE key = 'audit_head_seq'").bind(1, std::to_string(e.seq)).run();
  db_.prepare("UPDATE meta SET value = ?1 WHERE key = 'audit_head_hash'").bind(1, e.hash).run();
}

bool audit_object_matches(std::string_view object, std::string_view query) {
  if (object == query) return true;
  auto starts = [&](std::string_view p) { return object.size() > p.size() && object.substr(0, p.size()) == p; };
  if (starts(std::string(query) + ":")) return true;
  // Bare name: the second component ("model:NAME[:N]").
  auto first = object.find(':');
  if (first == std::string_view::npos) return false;
  std::string_view rest = object.substr(first + 1);
  return rest == query || (rest.size() > query.size() && rest.substr(0, query.size()) == query &&
                           rest[query.size()] == ':');
}

std::vector<AuditEntry> AuditLog::list(const AuditFilter& filter) {
  auto guard = db_.lock();
  std::string sql = std::string(kSelect) + (filter.since ? " WHERE at >= ?1" : "") + " ORDER BY seq";
  Statement st = db_.prepare(sql);
  if (filter.since) st.bind(1, *filter.since);
  std::vector<AuditEntry> out;
  while (st.step()) {
    AuditEntry e = read_entry(st);
    if (filter.object && !audit_object_matches(e.object, *filter.object)) continue;
    out.push_back(std::move(e));
  }
  if (filter.limit && static_cast<int64_t>(out.size()) > *filter.limit) {
    out.erase(out.begin(), out.end() - *filter.limit);
  }
  return out;
}

AuditVerifyResult AuditLog::verify() {
  AuditVerifyResult r;
  auto guard = db_.lock();
  // One read transaction so rows and meta come from the same snapshot.
  db_.exec("BEGIN");
  try {
    Statement st = db_.prepare(std::string(kSelect) + " ORDER BY seq");
    std::string prev;
    int64_t expect_seq = 1;
    while (st.step()) {
      AuditEntry e = read_entry(st);
      ++r.rows;
      auto bad = [&](std::string why) {
        r.ok = false;
        r.bad_seq = e.seq;
        r.problem = std::move(why);
      };
      if (e.seq != expect_seq) {
        bad("sequence gap: expected row " + std::to_string(expect_seq) + " (a row was deleted)");
      } else if (e.prev_hash != prev) {
        bad("prev_hash does not match the hash of the row before it (a row was deleted or altered)");
      } else if (chain_hash(prev, e) != e.hash) {
        bad("content does not match its hash (the row was altered)");
      }
      if (!r.ok) break;
      prev = e.hash;
      ++expect_seq;
    }
    if (r.ok) {
      r.head_hash = prev;
      std::string head_seq = meta_value(db_, "audit_head_seq");
      if (head_seq != std::to_string(expect_seq - 1) || meta_value(db_, "audit_head_hash") != prev) {
        r.ok = false;
        r.bad_seq = expect_seq;
        r.problem = "the log ends at row " + std::to_string(expect_seq - 1) + " but the catalogue recorded row " +
                    head_seq + " as the newest (rows were deleted from the end)";
      }
    }
    db_.exec("COMMIT");
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
  return r;
}

}  // namespace cellar::registry
