// The `cellar probe|report|backup|restore` commands as cron and CI see them:
// exit codes, files written, words printed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "fake_servers.h"
#include "support/test_support.h"

namespace cellar::ops {
namespace {

using test::FakeOpenAi;

struct Run {
  int code;
  std::string out;
};

Run cellar(const std::string& args) {
  std::string cmd = cellar::test::cellar_binary().string() + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(cellar::test::cellar_binary())) GTEST_SKIP() << "cellar binary not built";
    std::ofstream(dir / "suite.yaml") << "suite: cli\ndeployment: assistant\nquestions:\n"
                                         "  - {id: capital, prompt: 'Capital?', expect: {contains: Paris}}\n"
                                         "  - {id: sum, prompt: '2+2?', expect: {regex: '4'}}\n";
  }
  cellar::test::TempDir dir;
};

TEST_F(CliTest, ProbeExitCodesFollowTheOutcome) {
  FakeOpenAi server;
  bool healthy = true;
  server.answer = [&](const nlohmann::json& req) {
    std::string q = req["messages"][0]["content"];
    return FakeOpenAi::Reply{q == "Capital?" ? (healthy ? "Paris" : "Rome") : "4"};
  };
  std::string common = "probe --suite " + (dir / "suite.yaml").string() + " --url " + server.url() + " --csv " +
                       (dir / "h.csv").string();
  auto ok = cellar(common);
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("2/2 passed"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("model version v1, template version t1"), std::string::npos) << ok.out;
  healthy = false;
  auto bad = cellar(common);
  EXPECT_EQ(bad.code, 1) << bad.out;
  EXPECT_NE(bad.out.find("missing \"Paris\""), std::string::npos) << bad.out;
  auto csv = cellar::test::read_file(dir / "h.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);  // header + 2 runs × 2 questions

  auto report = cellar("report health --csv " + (dir / "h.csv").string() + " --chart " + (dir / "c.svg").string());
  EXPECT_EQ(report.code, 0) << report.out;
  EXPECT_NE(report.out.find("75.0%"), std::string::npos) << report.out;
  EXPECT_EQ(cellar::test::read_file(dir / "c.svg").rfind("<svg", 0), 0u);
}

TEST_F(CliTest, ProbeConfigErrorsExitTwo) {
  std::ofstream(dir / "bad.yaml") << "deployment: m\nquestions:\n  - {id: q, prompt: p, expect: {json: maybe}}\n";
  auto r = cellar("probe --suite " + (dir / "bad.yaml").string() + " --url http://127.0.0.1:1");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("question 'q': field 'expect.json'"), std::string::npos) << r.out;
  EXPECT_EQ(cellar("probe --suite " + (dir / "suite.yaml").string() + " --url localhost:80").code, 2);
  EXPECT_EQ(cellar("probe --url http://127.0.0.1:1").code, 2);
}

TEST_F(CliTest, ProbeAgainstNothingFailsEveryQuestion) {
  auto r = cellar("probe --suite " + (dir / "suite.yaml").string() + " --url http://127.0.0.1:1 --metrics-out " +
                  (dir / "m.prom").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("0/2 passed"), std::string::npos) << r.out;
  EXPECT_NE(cellar::test::read_file(dir / "m.prom").find("cellar_probe_passed{suite=\"cli\",question=\"sum\"} 0"),
            std::string::npos);
}

TEST_F(CliTest, BackupAndRestoreCommands) {
  auto db = dir / "home" / "catalog.db";
  std::filesystem::create_directories(db.parent_path());
  std::string sqlite = "sqlite3 " + db.string() + " ";
  if (std::system((sqlite + "'CREATE TABLE t(x); INSERT INTO t VALUES (1);'").c_str()) != 0)
    GTEST_SKIP() << "sqlite3 shell not found";
  auto b = cellar("backup --db " + db.string() + " --out " + (dir / "b.db").string());
  EXPECT_EQ(b.code, 0) << b.out;
  std::filesystem::remove(db);
  std::string env = "CELLAR_HOME=" + (dir / "home").string() + " ";
  auto cmd = env + cellar::test::cellar_binary().string() + " restore --from " + (dir / "b.db").string();
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_TRUE(std::filesystem::exists(db));  // default --db is $CELLAR_HOME/catalog.db
  EXPECT_NE(cellar("backup --db " + (dir / "none.db").string() + " --out x.db").code, 0);
}

}  // namespace
}  // namespace cellar::ops
