// API keys from the registry: open until the first key exists, then every
// protected route needs one; roles gate /metrics; per-key rate limits.
#include <gtest/gtest.h>

#include "registry/catalog.h"
#include "registry/key_registry.h"
#include "server/registry_auth.h"
#include "server_fixture.h"
#include "support/test_support.h"

namespace cellar::server::test {
namespace {

class RegistryAuth : public ServerFixture {
 protected:
  std::string create_key(const std::string& name, registry::Role role) {
    registry::Catalog catalog(home_.path());
    registry::KeyRegistry keys(catalog);
    return keys.create(name, role, registry::Change{"test", std::nullopt}).token;
  }
  static httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  cellar::test::TempDir home_;
};

TEST_F(RegistryAuth, OpenUntilTheFirstKeyExists) {
  start({FakeModelOptions{}}, {}, std::make_shared<RegistryAuthenticator>(home_.path()));
  EXPECT_EQ(post("/v1/chat/completions", chat("fake", 1))->status, 200);
  std::string token = create_key("alice", registry::Role::User);
  auto e = expect_openai_error(post("/v1/chat/completions", chat("fake", 1)), 401);
  EXPECT_EQ(e["code"], "invalid_api_key");
  EXPECT_EQ(post("/v1/chat/completions", chat("fake", 1).dump(), bearer(token))->status, 200);
  expect_openai_error(post("/v1/chat/completions", chat("fake", 1).dump(), bearer(token + "x")), 401);
}

TEST_F(RegistryAuth, AlwaysRequiredRefusesWhileNoKeyExists) {
  start({FakeModelOptions{}}, {}, std::make_shared<RegistryAuthenticator>(home_.path(), true));
  expect_openai_error(client().Get("/v1/models"), 401);
  EXPECT_EQ(client().Get("/health")->status, 200);
}

TEST_F(RegistryAuth, MetricsNeedOperator) {
  std::string user = create_key("user-key", registry::Role::User);
  std::string op = create_key("ops-key", registry::Role::Operator);
  start({FakeModelOptions{}}, {}, std::make_shared<RegistryAuthenticator>(home_.path()));
  auto e = expect_openai_error(client().Get("/metrics", bearer(user)), 403);
  EXPECT_EQ(e["code"], "insufficient_permissions");
  EXPECT_EQ(client().Get("/metrics", bearer(op))->status, 200);
  EXPECT_EQ(client().Get("/health")->status, 200);
  EXPECT_EQ(client().Get("/v1/models", bearer(user))->status, 200);
}

TEST_F(RegistryAuth, RevokedKeyIsRefused) {
  std::string token = create_key("bob", registry::Role::Admin);
  create_key("keeper", registry::Role::Admin);
  start({FakeModelOptions{}}, {}, std::make_shared<RegistryAuthenticator>(home_.path()));
  EXPECT_EQ(client().Get("/v1/models", bearer(token))->status, 200);
  {
    registry::Catalog catalog(home_.path());
    registry::KeyRegistry(catalog).revoke("bob", registry::Change{"test", std::nullopt});
  }
  expect_openai_error(client().Get("/v1/models", bearer(token)), 401);
}

TEST_F(RegistryAuth, RateLimitPerKeyAnswers429WithRetryAfter) {
  std::string a = create_key("a", registry::Role::User);
  std::string b = create_key("b", registry::Role::User);
  ApiServerOptions opts;
  opts.rate_limits.requests_per_minute = 2;
  start({FakeModelOptions{}}, opts, std::make_shared<RegistryAuthenticator>(home_.path()));
  EXPECT_EQ(client().Get("/v1/models", bearer(a))->status, 200);
  EXPECT_EQ(client().Get("/v1/models", bearer(a))->status, 200);
  auto r = client().Get("/v1/models", bearer(a));
  auto e = expect_openai_error(r, 429);
  EXPECT_EQ(e["code"], "rate_limit_exceeded");
  EXPECT_GE(std::stoi(r->get_header_value("Retry-After")), 1);
  EXPECT_EQ(client().Get("/v1/models", bearer(b))->status, 200);  // buckets are per key
}

TEST_F(RegistryAuth, GeneratedTokensAreChargedToTheKey) {
  std::string a = create_key("a", registry::Role::User);
  ApiServerOptions opts;
  opts.rate_limits.tokens_per_minute = 2;
  start({FakeModelOptions{}}, opts, std::make_shared<RegistryAuthenticator>(home_.path()));
  EXPECT_EQ(post("/v1/chat/completions", chat("fake", 6).dump(), bearer(a))->status, 200);
  // The charge lands when the request's log line is written, just after the answer.
  int status = 0;
  for (int i = 0; i < 100 && status != 429; ++i) {
    status = client().Get("/v1/models", bearer(a))->status;
    if (status != 429) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(status, 429);
}

}  // namespace
}  // namespace cellar::server::test
