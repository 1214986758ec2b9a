// The /admin/ routes: an admin key on every one, imports only from the import
// directory, and a round trip import -> deploy -> rollback -> audit.
#include <gtest/gtest.h>

#include <filesystem>

#include "../registry/registry_fixture.h"
#include "registry/key_registry.h"
#include "server/registry_auth.h"
#include "server_fixture.h"

namespace cellar::server::test {
namespace {

namespace fs = std::filesystem;

struct Route {
  const char* method;
  const char* path;
};

// Every admin route, with a path that matches its pattern.
const Route kRoutes[] = {
    {"GET", "/admin/models"},          {"POST", "/admin/models/import"},
    {"DELETE", "/admin/models/m:1"},   {"GET", "/admin/deployments"},
    {"POST", "/admin/deployments"},    {"POST", "/admin/deployments/prod/rollback"},
    {"GET", "/admin/deployments/prod/history"}, {"GET", "/admin/templates"},
    {"POST", "/admin/templates"},      {"GET", "/admin/audit"},
    {"GET", "/admin/audit/verify"},    {"GET", "/admin/keys"},
    {"POST", "/admin/keys"},           {"DELETE", "/admin/keys/nobody"},
};

class AdminApi : public ServerFixture {
 protected:
  void SetUp() override {
    fs::create_directories(import_dir());
    registry::Catalog catalog(home());
    registry::KeyRegistry keys(catalog);
    registry::Change who{"setup", std::nullopt};
    admin_ = keys.create("root", registry::Role::Admin, who).token;
    operator_ = keys.create("ops", registry::Role::Operator, who).token;
    user_ = keys.create("app", registry::Role::User, who).token;
  }
  void start_admin() {
    ApiServerOptions opts;
    opts.admin = AdminOptions{home(), import_dir()};
    start({FakeModelOptions{}}, opts, std::make_shared<RegistryAuthenticator>(home()));
  }
  fs::path home() const { return tmp_.path() / "home"; }
  fs::path import_dir() const { return tmp_.path() / "imports"; }
  static httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  httplib::Result call(const std::string& method, const std::string& path, const std::string& token,
                       const json& body = json::object()) {
    auto c = client();
    httplib::Headers h = token.empty() ? httplib::Headers{} : bearer(token);
    if (method == "GET") return c.Get(path.c_str(), h);
    if (method == "DELETE") return c.Delete(path.c_str(), h, body.dump(), "application/json");
    return c.Post(path.c_str(), h, body.dump(), "application/json");
  }
  json admin_ok(const std::string& method, const std::string& path, const json& body = json::object(),
                int status = 200) {
    auto r = call(method, path, admin_, body);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, status) << method << " " << path << ": " << r->body;
    return json::parse(r->body);
  }
  json import_status(const std::string& path, int status) {
    return expect_openai_error(call("POST", "/admin/models/import", admin_, {{"path", path}, {"name", "m"}}), status);
  }

  cellar::test::TempDir tmp_;
  std::string admin_, operator_, user_;
};

TEST_F(AdminApi, EveryRouteNeedsAnAdminKey) {
  start_admin();
  for (const auto& r : kRoutes) {
    SCOPED_TRACE(std::string(r.method) + " " + r.path);
    auto e = expect_openai_error(call(r.method, r.path, ""), 401);
    EXPECT_EQ(e["code"], "invalid_api_key");
    for (const auto& token : {operator_, user_}) {
      e = expect_openai_error(call(r.method, r.path, token), 403);
      EXPECT_EQ(e["code"], "insufficient_permissions");
      EXPECT_NE(e["message"].get<std::string>().find("'admin'"), std::string::npos);
    }
    auto ok = call(r.method, r.path, admin_);
    ASSERT_TRUE(ok);
    EXPECT_NE(ok->status, 401);  // an admin gets past the guard (then 200, or 400/404 for the empty body)
    EXPECT_NE(ok->status, 403);
  }
}

TEST_F(AdminApi, ReadRoutesAnswer200ForAnAdmin) {
  start_admin();
  for (const char* path : {"/admin/models", "/admin/deployments", "/admin/templates", "/admin/audit",
                           "/admin/audit/verify", "/admin/keys"}) {
    SCOPED_TRACE(path);
    admin_ok("GET", path);
  }
  json keys = admin_ok("GET", "/admin/keys");
  EXPECT_EQ(keys["data"].size(), 3u);
}

TEST_F(AdminApi, AdminRoutesNeedAKeyEvenOnAnOpenServer) {
  cellar::test::TempDir empty_home;
  ApiServerOptions opts;
  opts.admin = AdminOptions{empty_home.path(), {}};
  start({FakeModelOptions{}}, opts, std::make_shared<RegistryAuthenticator>(empty_home.path()));
  EXPECT_EQ(client().Get("/v1/models")->status, 200);  // no key exists: inference is open
  expect_openai_error(client().Get("/admin/models"), 401);
}

TEST_F(AdminApi, ImportRejectsPathsOutsideTheImportDirectory) {
  registry::test::write_tiny_gguf(tmp_.path() / "outside.gguf", 1);
  fs::create_symlink(tmp_.path() / "outside.gguf", import_dir() / "link.gguf");
  fs::create_directories(import_dir() / "sub");
  start_admin();
  for (const char* bad : {"../outside.gguf", "sub/../../outside.gguf"}) {
    auto e = import_status(bad, 403);
    EXPECT_NE(e["message"].get<std::string>().find(".."), std::string::npos) << e;
  }
  auto e = import_status("/etc/passwd", 403);
  EXPECT_NE(e["message"].get<std::string>().find("outside the import directory"), std::string::npos) << e;
  e = import_status((tmp_.path() / "outside.gguf").string(), 403);
  EXPECT_NE(e["message"].get<std::string>().find("outside the import directory"), std::string::npos) << e;
  e = import_status("link.gguf", 403);
  EXPECT_NE(e["message"].get<std::string>().find("symlink"), std::string::npos) << e;
  e = import_status("%2e%2e/outside.gguf", 400);
  EXPECT_NE(e["message"].get<std::string>().find("percent-escape"), std::string::npos) << e;
  e = import_status("..%2Foutside.gguf", 400);
  EXPECT_EQ(e["param"], "path");
  EXPECT_TRUE(admin_ok("GET", "/admin/models")["data"].empty());  // nothing was imported
}

TEST_F(AdminApi, ImportIsRefusedWithoutAnImportDirectory) {
  ApiServerOptions opts;
  opts.admin = AdminOptions{home(), {}};
  start({FakeModelOptions{}}, opts, std::make_shared<RegistryAuthenticator>(home()));
  auto e = import_status("x.gguf", 403);
  EXPECT_NE(e["message"].get<std::string>().find("--import-dir"), std::string::npos);
}

TEST_F(AdminApi, ImportDeployRollbackAuditRoundTrip) {
  registry::test::write_tiny_gguf(import_dir() / "v1.gguf", 1);
  registry::test::write_tiny_gguf(import_dir() / "v2.gguf", 2);
  start_admin();
  json v1 = admin_ok("POST", "/admin/models/import", {{"path", "v1.gguf"}, {"name", "tiny"}, {"note", "first"}}, 201);
  EXPECT_EQ(v1["version"], 1);
  json v2 = admin_ok("POST", "/admin/models/import", {{"path", "v2.gguf"}, {"name", "tiny"}}, 201);
  EXPECT_EQ(v2["version"], 2);
  admin_ok("POST", "/admin/templates", {{"name", "greet"}, {"system", "Be brief."}}, 201);
  admin_ok("POST", "/admin/deployments", {{"name", "prod"}, {"model", "tiny:1"}, {"template", "greet"}});
  json d = admin_ok("POST", "/admin/deployments", {{"name", "prod"}, {"model", "tiny:2"}, {"reason", "faster"}});
  EXPECT_NE(d.dump().find("tiny:2"), std::string::npos) << d;
  d = admin_ok("POST", "/admin/deployments/prod/rollback", {{"reason", "latency"}});
  EXPECT_NE(d.dump().find("tiny:1"), std::string::npos) << d;
  json history = admin_ok("GET", "/admin/deployments/prod/history");
  ASSERT_EQ(history["data"].size(), 3u);
  // Deleting a deployed version conflicts; the other one can go.
  expect_openai_error(call("DELETE", "/admin/models/tiny:1", admin_), 409);
  admin_ok("DELETE", "/admin/models/tiny:2");

  json audit = admin_ok("GET", "/admin/audit?object=deployment:prod");
  ASSERT_EQ(audit["data"].size(), 3u);
  for (const auto& row : audit["data"]) EXPECT_EQ(row["actor"], "root") << row;
  EXPECT_EQ(audit["data"][2]["reason"], "latency");
  json verify = admin_ok("GET", "/admin/audit/verify");
  EXPECT_TRUE(verify["ok"]);
  EXPECT_GE(verify["rows"].get<int>(), 9);  // 3 keys, 2 imports, template, 2 deploys, rollback, delete
}

TEST_F(AdminApi, KeysCreatedOverHttpWorkAndRevokedOnesStop) {
  start_admin();
  json k = admin_ok("POST", "/admin/keys", {{"name", "ci"}, {"role", "operator"}}, 201);
  std::string token = k["key"];
  EXPECT_EQ(client().Get("/metrics", bearer(token))->status, 200);
  expect_openai_error(call("POST", "/admin/keys", admin_, {{"name", "x"}, {"role", "king"}}), 400);
  admin_ok("DELETE", "/admin/keys/ci");
  expect_openai_error(client().Get("/metrics", bearer(token)), 401);
  expect_openai_error(call("DELETE", "/admin/keys/ghost", admin_), 404);
  json audit = admin_ok("GET", "/admin/audit?object=key:ci");
  ASSERT_EQ(audit["data"].size(), 2u);
  EXPECT_EQ(audit["data"][1]["action"], "key.revoke");
}

TEST_F(AdminApi, BadInputIsA400InOpenAiShape) {
  start_admin();
  expect_openai_error(call("POST", "/admin/deployments", admin_, {{"name", "prod"}}), 400);
  expect_openai_error(call("POST", "/admin/deployments", admin_, {{"name", "../x"}, {"model", "m:1"}}), 400);
  auto r = client().Post("/admin/templates", bearer(admin_), "not json", "application/json");
  expect_openai_error(r, 400);
  expect_openai_error(call("GET", "/admin/audit?limit=-3", admin_), 400);
  expect_openai_error(call("GET", "/admin/audit?since=yesterday-ish", admin_), 400);
  expect_openai_error(call("POST", "/admin/deployments/ghost/rollback", admin_), 404);
}

}  // namespace
}  // namespace cellar::server::test
