// `cellar audit [--since T] [--object X] [--json]` lists who changed what;
// `cellar audit verify` checks the hash chain and fails naming the first bad row.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/registry_cli.h"
#include "registry/audit_log.h"
#include "registry/timestamps.h"

namespace cellar::cli {
namespace {

struct AuditOptions {
  RegistryOptions reg;
  std::optional<std::string> since;
  std::optional<std::string> object;
  std::optional<int64_t> limit;
  bool json = false;
};

std::string template_label(const nlohmann::json& target) {
  auto t = target.value("template", nlohmann::json());
  return t.is_string() ? t.get<std::string>() : std::string("-");
}

// One-line gist of a change for the table (the full before/after is in --json).
std::string summary(const registry::AuditEntry& e) {
  auto field = [](const std::optional<std::string>& s) {
    return s ? nlohmann::json::parse(*s, nullptr, false) : nlohmann::json();
  };
  nlohmann::json before = field(e.before), after = field(e.after);
  if (after.is_object() && after.contains("model") && after["model"].is_string()) {
    std::string to = after["model"].get<std::string>() + " (template " + template_label(after) + ")";
    if (!before.is_object() || !before.contains("model")) return "-> " + to;
    return before["model"].get<std::string>() + " (template " + template_label(before) + ") -> " + to;
  }
  if (after.is_object() && after.contains("sha256")) {
    return "sha256:" + after["sha256"].get<std::string>().substr(0, 12) + " " +
           after.value("quantization", std::string()) + " " + after.value("architecture", std::string());
  }
  if (after.is_object() && after.contains("role") && !after.contains("revoked_at")) {
    return "role " + after["role"].get<std::string>();
  }
  return "";
}

int run_list(const AuditOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::AuditFilter f;
  if (o.since) f.since = registry::parse_since(*o.since, std::chrono::system_clock::now());
  f.object = o.object;
  f.limit = o.limit;
  auto rows = catalog->audit().list(f);
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : rows) out.push_back(e.to_json());
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%-5s %-24s %-12s %-20s %-28s %s\n", "SEQ", "AT", "ACTOR", "ACTION", "OBJECT", "DETAIL");
  for (const auto& e : rows) {
    std::string detail = summary(e);
    if (e.reason) detail += (detail.empty() ? "" : "  ") + std::string("reason: ") + *e.reason;
    std::printf("%-5lld %-24s %-12s %-20s %-28s %s\n", static_cast<long long>(e.seq), e.at.c_str(), e.actor.c_str(),
                e.action.c_str(), e.object.c_str(), detail.c_str());
  }
  return 0;
}

int run_verify(const AuditOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::AuditVerifyResult r = catalog->audit().verify();
  if (!r.ok) {
    std::fprintf(stderr, "cellar: audit log verification FAILED at row %lld: %s\n",
                 static_cast<long long>(r.bad_seq.value_or(0)), r.problem.c_str());
    return 2;
  }
  std::printf("audit log OK: %lld rows, head %s\n", static_cast<long long>(r.rows),
              r.head_hash.empty() ? "(empty)" : r.head_hash.c_str());
  return 0;
}

CommandRegistration reg_audit("audit", [](CLI::App& app) {
  auto* sub = app.add_subcommand("audit", "Who changed what, when and why (hash-chained log)");
  auto o = std::make_shared<AuditOptions>();
  sub->add_option("--since", o->since, "From this UTC time (2026-11-26, 2026-11-26T08:00) or this long ago (30m, 6h, 7d)");
  sub->add_option("--object", o->object, "Only this object: deployment:prod, model:llama, or a bare name");
  sub->add_option("--limit", o->limit, "Only the newest N rows")->check(CLI::PositiveNumber);
  sub->add_flag("--json", o->json, "JSON output");
  add_registry_options(sub, o->reg);
  auto* verify = sub->add_subcommand("verify", "Check the hash chain; exit 2 naming the first bad row");
  add_registry_options(verify, o->reg);
  return [o, verify]() { return verify->parsed() ? run_verify(*o) : run_list(*o); };
});

}  // namespace
}  // namespace cellar::cli
