#include <gtest/gtest.h>

#include <fstream>

#include "server/config.h"
#include "support/test_support.h"

namespace cellar::server {
namespace {

TEST(ServeConfig, ModelFlagIsNameEqualsFile) {
  auto m = parse_model_flag("stories=/m/stories260K.gguf");
  EXPECT_EQ(m.name, "stories");
  EXPECT_EQ(m.path, "/m/stories260K.gguf");
  EXPECT_THROW(parse_model_flag("stories"), std::invalid_argument);
  EXPECT_THROW(parse_model_flag("=x.gguf"), std::invalid_argument);
  EXPECT_THROW(parse_model_flag("x="), std::invalid_argument);
}

TEST(ServeConfig, KeepAliveFollowsOllama) {
  using std::chrono::milliseconds;
  EXPECT_EQ(parse_keep_alive("5m"), milliseconds(300000));
  EXPECT_EQ(parse_keep_alive("1h30m"), milliseconds(5400000));
  EXPECT_EQ(parse_keep_alive("90"), milliseconds(90000));  // a bare number is seconds
  EXPECT_EQ(parse_keep_alive("250ms"), milliseconds(250));
  EXPECT_EQ(parse_keep_alive("0"), milliseconds(0));       // unload right after use
  EXPECT_LT(parse_keep_alive("-1").count(), 0);             // never
  EXPECT_THROW(parse_keep_alive("soon"), std::invalid_argument);
  EXPECT_THROW(parse_keep_alive("5 parsecs"), std::invalid_argument);
  EXPECT_THROW(parse_keep_alive(""), std::invalid_argument);
}

TEST(ServeConfig, MemoryBudgetAndKeepAliveReachTheEngine) {
  ServeConfig cfg;
  cfg.memory_budget = "512MiB";
  cfg.keep_alive = "30s";
  auto o = engine_options(cfg);
  EXPECT_EQ(o.memory_budget, 512ull << 20);
  EXPECT_EQ(o.keep_alive, std::chrono::seconds(30));
  cfg.memory_budget = "lots";
  EXPECT_THROW(engine_options(cfg), std::invalid_argument);
  cfg.memory_budget = "0";
  EXPECT_THROW(engine_options(cfg), std::invalid_argument);
}

TEST(ServeConfig, YamlFileSetsKeysAndModels) {
  cellar::test::TempDir dir;
  std::ofstream(dir / "m.gguf") << "x";
  std::ofstream(dir / "serve.yaml") << "host: 0.0.0.0\nport: 9000\nparallel: 8\ntimeout: 12.5\nlog_prompts: true\n"
                                       "models:\n  - name: a\n    path: " << (dir / "m.gguf").string() << "\n";
  ServeConfig cfg;
  load_config_file((dir / "serve.yaml").string(), cfg);
  EXPECT_EQ(cfg.host, "0.0.0.0");
  EXPECT_EQ(cfg.port, 9000);
  EXPECT_EQ(cfg.parallel, 8);
  EXPECT_DOUBLE_EQ(cfg.timeout, 12.5);
  EXPECT_TRUE(cfg.log_prompts);
  ASSERT_EQ(cfg.models.size(), 1u);
  EXPECT_EQ(cfg.models[0].name, "a");
  EXPECT_NO_THROW(validate(cfg));
  auto api = api_options(cfg, "1.0");
  EXPECT_EQ(api.http.threads, 8 + 64 + 16);
  EXPECT_DOUBLE_EQ(api.limits.timeout_seconds, 12.5);
}

TEST(ServeConfig, KvTypeReachesTheEngineAndIsChecked) {
  cellar::test::TempDir dir;
  std::ofstream(dir / "m.gguf") << "x";
  std::ofstream(dir / "serve.yaml") << "kv_type: Q8_0\nmodels:\n  - name: a\n    path: " << (dir / "m.gguf").string()
                                       << "\n";
  ServeConfig cfg;
  EXPECT_EQ(engine_options(cfg).kv_type, GgmlType::F16);
  load_config_file((dir / "serve.yaml").string(), cfg);
  EXPECT_NO_THROW(validate(cfg));
  EXPECT_EQ(engine_options(cfg).kv_type, GgmlType::Q8_0);
  cfg.kv_type = "q4_0";
  try {
    validate(cfg);
    FAIL() << "kv_type q4_0 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--kv-type must be f16 or q8_0"), std::string::npos) << e.what();
  }
}

TEST(ServeConfig, MistakesAreNamed) {
  cellar::test::TempDir dir;
  std::ofstream(dir / "typo.yaml") << "prot: 9000\n";
  ServeConfig cfg;
  try {
    load_config_file((dir / "typo.yaml").string(), cfg);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'prot'"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "type.yaml") << "port: many\n";
  EXPECT_THROW(load_config_file((dir / "type.yaml").string(), cfg), std::invalid_argument);
  EXPECT_THROW(load_config_file((dir / "missing.yaml").string(), cfg), std::invalid_argument);

  ServeConfig none;
  EXPECT_THROW(validate(none), std::invalid_argument);  // no model
  ServeConfig bad_name;
  bad_name.models = {{"../x", (dir / "typo.yaml").string(), {}, {}, {}, {}}};
  EXPECT_THROW(validate(bad_name), std::invalid_argument);
  ServeConfig missing_file;
  missing_file.models = {{"x", (dir / "nope.gguf").string(), {}, {}, {}, {}}};
  EXPECT_THROW(validate(missing_file), std::invalid_argument);
  ServeConfig half_tls;
  half_tls.models = {{"x", (dir / "typo.yaml").string(), {}, {}, {}, {}}};
  half_tls.tls_cert = "c.pem";
  EXPECT_THROW(validate(half_tls), std::invalid_argument);
}

}  // namespace
}  // namespace cellar::server
