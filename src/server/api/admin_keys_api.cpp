// /admin/audit and /admin/keys.
#include <httplib.h>

#include "registry/key_registry.h"
#include "registry/timestamps.h"
#include "server/api/admin_api.h"

namespace cellar::server::admin {

void register_audit_routes(HttpServer& http, AdminContext& a) {
  // ?since=2026-11-26T08:00 or 6h, ?object=deployment:prod, ?limit=N (newest N).
  http.route("GET", "/admin/audit", ErrorStyle::kOpenAi, handler(a, false, [&a](auto& req, auto& res, auto&) {
    registry::AuditFilter f;
    if (req.has_param("since")) {
      f.since = registry::parse_since(req.get_param_value("since"), std::chrono::system_clock::now());
    }
    if (req.has_param("object")) f.object = req.get_param_value("object");
    if (req.has_param("limit")) {
      const std::string text = req.get_param_value("limit");
      char* end = nullptr;
      long long n = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || n < 1) throw invalid_request("'limit' must be a positive integer.", "limit");
      f.limit = n;
    }
    nlohmann::json data = nlohmann::json::array();
    for (const auto& e : a.catalog.audit().list(f)) data.push_back(e.to_json());
    send_json(res, list_of(std::move(data)));
  }));
  http.route("GET", "/admin/audit/verify", ErrorStyle::kOpenAi, handler(a, false, [&a](auto&, auto& res, auto&) {
    auto r = a.catalog.audit().verify();
    nlohmann::json out = {{"ok", r.ok}, {"rows", r.rows}, {"head_hash", r.head_hash}};
    out["bad_seq"] = r.bad_seq ? nlohmann::json(*r.bad_seq) : nlohmann::json();
    out["problem"] = r.problem.empty() ? nlohmann::json() : nlohmann::json(r.problem);
    send_json(res, out);
  }));
}

void register_key_routes(HttpServer& http, AdminContext& a) {
  http.route("GET", "/admin/keys", ErrorStyle::kOpenAi, handler(a, false, [&a](auto&, auto& res, auto&) {
    nlohmann::json data = nlohmann::json::array();
    for (const auto& k : registry::KeyRegistry(a.catalog).list(true)) data.push_back(k.to_json());
    send_json(res, list_of(std::move(data)));
  }));
  // {"name", "role"}: the answer carries the key itself, the only time it is shown.
  http.route("POST", "/admin/keys", ErrorStyle::kOpenAi, handler(a, true, [&a](auto& req, auto& res, auto& ctx) {
    auto body = body_object(req);
    std::string name = *string_field(body, "name", true);
    registry::Role role = registry::parse_role(*string_field(body, "role", true));
    auto created = registry::KeyRegistry(a.catalog).create(name, role, change_for(ctx, body));
    auto out = created.info.to_json();
    out["key"] = created.token;
    send_json(res, out, 201);
  }));
  http.route("DELETE", "/admin/keys/{name}", ErrorStyle::kOpenAi,
             handler(a, true, [&a](auto& req, auto& res, auto& ctx) {
               std::string name = req.matches[1].str();
               registry::KeyRegistry(a.catalog).revoke(name, change_for(ctx, body_object(req)));
               send_json(res, {{"revoked", name}});
             }),
             R"(/admin/keys/([^/]+))");
}

}  // namespace cellar::server::admin
