#pragma once
// The admin HTTP API under /admin/: the registry CLI over HTTP (models,
// imports, deployments, templates, audit, keys). Every route needs an admin
// key (required_role), even while the server is otherwise open; each change
// is audited with the calling key's name as the actor.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "registry/audit_log.h"
#include "registry/catalog.h"
#include "server/http/http_server.h"

namespace cellar::server {

struct AdminOptions {
  std::filesystem::path home;        // the registry (CELLAR_HOME)
  std::filesystem::path import_dir;  // POST /admin/models/import reads only below it; empty: imports refused
};

// Shared by the admin route files: one catalogue connection (its methods lock).
struct AdminContext {
  explicit AdminContext(AdminOptions o) : opts(std::move(o)), catalog(opts.home) {}
  AdminOptions opts;
  registry::Catalog catalog;
  // Called after every successful change (the server reloads deployments at once).
  std::function<void()> on_change;
};

void register_admin_routes(HttpServer& http, AdminContext& admin);

namespace admin {

// Wraps a handler: registry errors become 400/404/409/500 in OpenAI's shape,
// and on_change runs after a handler that changed something returns.
RouteHandler handler(AdminContext& admin, bool changes,
                     std::function<void(const httplib::Request&, httplib::Response&, RequestContext&)> fn);
// The request body as a JSON object (an empty body is {}); 400 otherwise.
nlohmann::json body_object(const httplib::Request& req);
// A string field; 400 naming it when missing (required) or not a string.
std::optional<std::string> string_field(const nlohmann::json& body, const std::string& key, bool required);
// The calling key's name as the actor, and the body's "reason".
registry::Change change_for(const RequestContext& ctx, const nlohmann::json& body);
void send_json(httplib::Response& res, const nlohmann::json& body, int status = 200);
nlohmann::json list_of(nlohmann::json data);

void register_key_routes(HttpServer& http, AdminContext& admin);
void register_audit_routes(HttpServer& http, AdminContext& admin);

}  // namespace admin
}  // namespace cellar::server
