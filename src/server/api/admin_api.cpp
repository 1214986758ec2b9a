#include "server/api/admin_api.h"

#include <httplib.h>

#include "registry/deployment_registry.h"
#include "registry/errors.h"
#include "registry/import_path.h"
#include "registry/model_registry.h"
#include "registry/template_registry.h"

namespace cellar::server {
namespace admin {

RouteHandler handler(AdminContext& admin, bool changes,
                     std::function<void(const httplib::Request&, httplib::Response&, RequestContext&)> fn) {
  return [&admin, changes, fn = std::move(fn)](const httplib::Request& req, httplib::Response& res,
                                               RequestContext& ctx) {
    try {
      fn(req, res, ctx);
    } catch (const registry::InvalidInput& e) {
      throw invalid_request(e.what());
    } catch (const registry::NotFound& e) {
      throw ApiError(404, "invalid_request_error", e.what(), {}, "not_found");
    } catch (const registry::Conflict& e) {
      throw ApiError(409, "invalid_request_error", e.what(), {}, "conflict");
    } catch (const registry::RegistryError& e) {
      throw ApiError(500, "server_error", std::string("registry error: ") + e.what());
    }
    if (changes && admin.on_change) admin.on_change();
  };
}

nlohmann::json body_object(const httplib::Request& req) {
  if (req.body.empty()) return nlohmann::json::object();
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw invalid_request("The request body must be a JSON object.");
  return j;
}

std::optional<std::string> string_field(const nlohmann::json& body, const std::string& key, bool required) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) throw invalid_request("Missing required field '" + key + "'.", key);
    return std::nullopt;
  }
  if (!it->is_string()) throw invalid_request("Field '" + key + "' must be a string.", key);
  return it->get<std::string>();
}

registry::Change change_for(const RequestContext& ctx, const nlohmann::json& body) {
  return registry::Change{ctx.principal.empty() ? "anonymous" : ctx.principal, string_field(body, "reason", false)};
}

void send_json(httplib::Response& res, const nlohmann::json& body, int status) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

nlohmann::json list_of(nlohmann::json data) { return {{"object", "list"}, {"data", std::move(data)}}; }

}  // namespace admin

namespace {

using admin::body_object;
using admin::change_for;
using admin::handler;
using admin::send_json;
using admin::string_field;

std::optional<std::string> query(const httplib::Request& req, const char* key) {
  if (!req.has_param(key)) return std::nullopt;
  return req.get_param_value(key);
}

// Percent-escapes in a file path are never decoded: a client sending them
// is trying to smuggle ".." or "/" past a filter, or made a mistake.
void reject_encoded_path(const std::string& path) {
  for (size_t i = 0; i + 2 < path.size(); ++i) {
    if (path[i] == '%' && std::isxdigit(static_cast<unsigned char>(path[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(path[i + 2]))) {
      throw invalid_request("Import path '" + path + "' contains a percent-escape ('" + path.substr(i, 3) +
                                "'); send the plain file name relative to the import directory.",
                            "path");
    }
  }
}

void register_model_routes(HttpServer& http, AdminContext& a) {
  http.route("GET", "/admin/models", ErrorStyle::kOpenAi, handler(a, false, [&a](auto& req, auto& res, auto&) {
    registry::ModelRegistry models(a.catalog);
    nlohmann::json data = nlohmann::json::array();
    for (const auto& v : models.list(query(req, "name"), req.has_param("deleted"))) data.push_back(v.to_json());
    send_json(res, admin::list_of(std::move(data)));
  }));
  http.route("POST", "/admin/models/import", ErrorStyle::kOpenAi, handler(a, true, [&a](auto& req, auto& res, auto& ctx) {
    if (a.opts.import_dir.empty()) {
      throw ApiError(403, "invalid_request_error",
                     "Imports over HTTP are disabled; start the server with --import-dir DIR and put the file there.",
                     {}, "import_disabled");
    }
    auto body = body_object(req);
    std::string path = *string_field(body, "path", true);
    reject_encoded_path(path);
    registry::ImportRequest ir;
    try {
      ir.file = registry::resolve_import_path(a.opts.import_dir, path);
    } catch (const registry::InvalidInput& e) {
      throw ApiError(403, "invalid_request_error", e.what(), "path", "path_not_allowed");
    }
    ir.name = *string_field(body, "name", true);
    ir.note = string_field(body, "note", false);
    auto r = registry::ModelRegistry(a.catalog).import_file(ir, change_for(ctx, body));
    auto out = r.version.to_json();
    out["blob_reused"] = r.blob_reused;
    send_json(res, out, 201);
  }));
  http.route("DELETE", "/admin/models/{ref}", ErrorStyle::kOpenAi,
             handler(a, true, [&a](auto& req, auto& res, auto& ctx) {
               auto ref = registry::parse_version_ref("model", req.matches[1].str());
               if (!ref.version) throw invalid_request("Delete one version: send NAME:N, not '" + ref.name + "'.");
               registry::ModelRegistry(a.catalog).remove(ref, change_for(ctx, body_object(req)));
               send_json(res, {{"deleted", ref.to_string()}});
             }),
             R"(/admin/models/([^/]+))");
}

void register_deployment_routes(HttpServer& http, AdminContext& a) {
  http.route("GET", "/admin/deployments", ErrorStyle::kOpenAi, handler(a, false, [&a](auto&, auto& res, auto&) {
    nlohmann::json data = nlohmann::json::array();
    for (const auto& d : registry::DeploymentRegistry(a.catalog).list()) data.push_back(d.to_json());
    send_json(res, admin::list_of(std::move(data)));
  }));
  http.route("POST", "/admin/deployments", ErrorStyle::kOpenAi, handler(a, true, [&a](auto& req, auto& res, auto& ctx) {
    auto body = body_object(req);
    registry::DeployRequest dr;
    dr.name = *string_field(body, "name", true);
    dr.model = registry::parse_version_ref("model", *string_field(body, "model", true));
    if (auto t = string_field(body, "template", false)) dr.prompt_template = registry::parse_version_ref("template", *t);
    if (body.contains("parameters")) {
      if (!body["parameters"].is_object()) throw invalid_request("'parameters' must be an object.", "parameters");
      dr.parameters = body["parameters"];
    }
    auto d = registry::DeploymentRegistry(a.catalog).deploy(dr, change_for(ctx, body));
    send_json(res, d.to_json());
  }));
  http.route("POST", "/admin/deployments/{name}/rollback", ErrorStyle::kOpenAi,
             handler(a, true, [&a](auto& req, auto& res, auto& ctx) {
               auto d = registry::DeploymentRegistry(a.catalog).rollback(req.matches[1].str(),
                                                                         change_for(ctx, body_object(req)));
               send_json(res, d.to_json());
             }),
             R"(/admin/deployments/([^/]+)/rollback)");
  http.route("GET", "/admin/deployments/{name}/history", ErrorStyle::kOpenAi,
             handler(a, false, [&a](auto& req, auto& res, auto&) {
               nlohmann::json data = nlohmann::json::array();
               for (const auto& e : registry::DeploymentRegistry(a.catalog).history(req.matches[1].str())) {
                 data.push_back({{"action", e.action}, {"model", e.model},
                                 {"template", e.prompt_template ? nlohmann::json(*e.prompt_template) : nlohmann::json()},
                                 {"parameters", e.parameters},
                                 {"reason", e.reason ? nlohmann::json(*e.reason) : nlohmann::json()},
                                 {"actor", e.actor}, {"at", e.at}});
               }
               send_json(res, admin::list_of(std::move(data)));
             }),
             R"(/admin/deployments/([^/]+)/history)");
}

void register_template_routes(HttpServer& http, AdminContext& a) {
  http.route("GET", "/admin/templates", ErrorStyle::kOpenAi, handler(a, false, [&a](auto& req, auto& res, auto&) {
    nlohmann::json data = nlohmann::json::array();
    for (const auto& t : registry::TemplateRegistry(a.catalog).list(query(req, "name"))) data.push_back(t.to_json());
    send_json(res, admin::list_of(std::move(data)));
  }));
  // {"name", "system", "chat_template", "parameters", "reason"}: the next version of NAME.
  http.route("POST", "/admin/templates", ErrorStyle::kOpenAi, handler(a, true, [&a](auto& req, auto& res, auto& ctx) {
    auto body = body_object(req);
    std::string name = *string_field(body, "name", true);
    nlohmann::json spec = nlohmann::json::object();
    for (const char* key : {"system", "chat_template", "parameters"}) {
      if (body.contains(key)) spec[key] = body[key];
    }
    auto t = registry::TemplateRegistry(a.catalog).set(name, registry::parse_template_spec(spec.dump(), "request body"),
                                                       change_for(ctx, body));
    send_json(res, t.to_json(), 201);
  }));
}

}  // namespace

void register_admin_routes(HttpServer& http, AdminContext& admin) {
  register_model_routes(http, admin);
  register_deployment_routes(http, admin);
  register_template_routes(http, admin);
  admin::register_audit_routes(http, admin);
  admin::register_key_routes(http, admin);
}

}  // namespace cellar::server
