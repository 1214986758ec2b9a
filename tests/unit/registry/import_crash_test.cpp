// kill -9 of a real `cellar import` at different moments must never leave a
// half-registered model: no version row, no visible blob, and the temp file
// swept at the next open.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <thread>

#include "registry/model_registry.h"
#include "registry_fixture.h"
#include "subprocess.h"

namespace cellar::registry::test {
namespace {

constexpr int64_t kFloats = 6 << 20;  // 24 MiB of tensor data: 6 chunks of 4 MiB

class ImportCrashTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    big_ = new cellar::test::TempDir();
    write_tiny_gguf(big_->path() / "big.gguf", 7, kFloats);
  }
  static void TearDownTestSuite() {
    delete big_;
    big_ = nullptr;
  }

  int count_files(const std::string& prefix) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(home() / "blobs")) {
      n += e.path().filename().string().rfind(prefix, 0) == 0;
    }
    return n;
  }
  std::filesystem::path home() const { return tmp_ / "home"; }

  // Starts a slowed-down import, waits until its temp file exists plus
  // `extra`, and kills it with SIGKILL. Returns false if it finished first.
  bool import_and_kill(bool copy, std::chrono::milliseconds extra) {
    std::vector<std::string> args = {cellar::test::cellar_binary().string(), "import",
                                     (big_->path() / "big.gguf").string(), "--name", "big", "--home",
                                     home().string(), "--quiet"};
    if (copy) args.push_back("--copy");
    pid_t pid = spawn(args, {"CELLAR_TEST_IMPORT_DELAY_MS=40"});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      if (std::filesystem::exists(home() / "blobs") && count_files(".tmp-") > 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::this_thread::sleep_for(extra);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }

  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(cellar::test::cellar_binary()))
        << "build the `cellar` target first: " << cellar::test::cellar_binary();
  }

  uint64_t temp_file_size() {
    for (const auto& e : std::filesystem::directory_iterator(home() / "blobs")) {
      if (e.path().filename().string().rfind(".tmp-", 0) == 0) return std::filesystem::file_size(e.path());
    }
    return 0;
  }

  void expect_consistent_after_reopen() {
    EXPECT_EQ(count_files(".tmp-"), 1) << "the killed import should have left its temp file";
    Catalog catalog(home());  // reopening sweeps
    EXPECT_EQ(count_files(".tmp-"), 0);
    EXPECT_EQ(count_files("sha256-"), 0);
    EXPECT_TRUE(ModelRegistry(catalog).list(std::nullopt, true).empty());
    EXPECT_TRUE(catalog.audit().list({}).empty());
    EXPECT_TRUE(catalog.audit().verify().ok);
  }

  static cellar::test::TempDir* big_;
  cellar::test::TempDir tmp_;
};

cellar::test::TempDir* ImportCrashTest::big_ = nullptr;

TEST_F(ImportCrashTest, KillWhileHashingALinkedFile) {
  ASSERT_TRUE(import_and_kill(false, std::chrono::milliseconds(60))) << "import finished before the kill";
  expect_consistent_after_reopen();
}

TEST_F(ImportCrashTest, KillWhileCopying) {
  ASSERT_TRUE(import_and_kill(true, std::chrono::milliseconds(60))) << "import finished before the kill";
  // A partial copy really was on disk.
  uint64_t partial = temp_file_size();
  EXPECT_GT(partial, 0u);
  EXPECT_LT(partial, std::filesystem::file_size(big_->path() / "big.gguf"));
  expect_consistent_after_reopen();
}

TEST_F(ImportCrashTest, KillAtTheStartOfCopying) {
  ASSERT_TRUE(import_and_kill(true, std::chrono::milliseconds(0)));
  expect_consistent_after_reopen();
}

TEST_F(ImportCrashTest, ImportAfterACrashSucceeds) {
  ASSERT_TRUE(import_and_kill(true, std::chrono::milliseconds(30)));
  Catalog catalog(home());
  ImportRequest req;
  req.file = big_->path() / "big.gguf";
  req.name = "big";
  auto r = ModelRegistry(catalog).import_file(req, actor("ann"));
  EXPECT_EQ(r.version.label(), "big:1");  // the killed attempt consumed no number
  EXPECT_EQ(count_files("sha256-"), 1);
}

}  // namespace
}  // namespace cellar::registry::test
