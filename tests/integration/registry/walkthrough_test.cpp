// Runs the walkthrough block of README.md, verbatim, with the real
// binary on two tiny GGUF files, then checks the registry it leaves.
#include <gtest/gtest.h>

#include <fstream>

#include "registry/deployment_registry.h"
#include "registry/home.h"
#include "unit/registry/registry_fixture.h"
#include "unit/registry/subprocess.h"

namespace cellar::registry::test {
namespace {

std::string walkthrough_script() {
  std::string doc = cellar::test::read_file(std::filesystem::path(CELLAR_SOURCE_DIR) / "README.md");
  auto marker = doc.find("<!-- walkthrough -->");
  if (marker == std::string::npos) return "";
  auto begin = doc.find("```sh\n", marker);
  auto end = doc.find("\n```", begin + 6);
  if (begin == std::string::npos || end == std::string::npos) return "";
  return doc.substr(begin + 6, end - begin - 6) + "\n";
}

TEST(Walkthrough, DocumentedStepsRunAndLeaveTheExpectedRegistry) {
  ASSERT_TRUE(std::filesystem::exists(cellar::test::cellar_binary())) << "build the `cellar` target first";
  std::string script = walkthrough_script();
  ASSERT_FALSE(script.empty()) << "no walkthrough block in docs/registry.md";
  cellar::test::TempDir tmp;
  write_tiny_gguf(tmp / "llama-v1.gguf", 1);
  write_tiny_gguf(tmp / "llama-v2.gguf", 2);
  std::ofstream(tmp / "walkthrough.sh") << script;
  std::string cmd = "cd '" + tmp.path().string() + "' && env -u CELLAR_HOME PATH='" +
                    cellar::test::cellar_binary().parent_path().string() + ":/usr/bin:/bin' HOME='" +
                    tmp.path().string() + "' bash -euo pipefail walkthrough.sh";
  ShellResult r = run_shell(cmd);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("rolled back support -> llama:1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("audit log OK: 6 rows"), std::string::npos) << r.output;

  Catalog catalog(tmp / ".cellar");  // HOME/.cellar, the default home
  EXPECT_EQ(DeploymentRegistry(catalog).resolve("support").model.label(), "llama:1");
  std::vector<std::string> actions;
  for (const auto& row : catalog.audit().list({})) {
    actions.push_back(row.action + " " + row.object);
    EXPECT_EQ(row.actor, os_user_name());
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"model.import model:llama:1", "model.import model:llama:2",
                                               "template.set template:assistant:1",
                                               "deployment.deploy deployment:support",
                                               "deployment.deploy deployment:support",
                                               "deployment.rollback deployment:support"}));
}

TEST(Walkthrough, CliErrorsAreOneLineAndNonZero) {
  ASSERT_TRUE(std::filesystem::exists(cellar::test::cellar_binary()));
  cellar::test::TempDir tmp;
  std::string bin = cellar::test::cellar_binary().string() + " ";
  std::string home = " --home '" + (tmp / "h").string() + "'";
  ShellResult bad_name = run_shell(bin + "deploy 'bad name' --model x:1" + home);
  EXPECT_EQ(bad_name.status, 1);
  EXPECT_NE(bad_name.output.find("cellar: error: invalid deployment name"), std::string::npos) << bad_name.output;
  ShellResult missing = run_shell(bin + "rollback nothing" + home);
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.output.find("no deployment named 'nothing'"), std::string::npos) << missing.output;
  ShellResult verify = run_shell(bin + "audit verify" + home);
  EXPECT_EQ(verify.status, 0) << verify.output;
}

TEST(Walkthrough, AuditVerifyCliFailsOnTampering) {
  ASSERT_TRUE(std::filesystem::exists(cellar::test::cellar_binary()));
  cellar::test::TempDir tmp;
  {
    Catalog c(tmp / "h");
    c.set_setting({"ann", std::nullopt}, "a", "1");
    c.set_setting({"ann", std::nullopt}, "a", "2");
    c.set_setting({"ann", std::nullopt}, "a", "3");
    c.db().exec("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 2");
  }
  ShellResult r = run_shell(cellar::test::cellar_binary().string() + " audit verify --home '" +
                            (tmp / "h").string() + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("FAILED at row 2"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace cellar::registry::test
