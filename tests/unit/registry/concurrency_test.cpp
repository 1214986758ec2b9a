// The CLI and a running server write to one catalogue at once: writers wait
// for each other (busy_timeout, BEGIN IMMEDIATE, retry) and no "database is
// locked" error reaches a caller.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "registry/key_registry.h"
#include "registry/template_registry.h"
#include "registry_fixture.h"

namespace cellar::registry::test {
namespace {

constexpr int kWritesEach = 40;

// Each write is a template version, a key, or a setting — all audited.
void write_many(const std::filesystem::path& home, const std::string& who) {
  Catalog catalog(home);
  TemplateRegistry templates(catalog);
  KeyRegistry keys(catalog);
  for (int i = 0; i < kWritesEach; ++i) {
    switch (i % 3) {
      case 0: templates.set("t-" + who, {"v" + std::to_string(i), std::nullopt, {}}, actor(who)); break;
      case 1: keys.create(who + "-" + std::to_string(i), Role::User, actor(who)); break;
      default: catalog.set_setting(actor(who), "last_writer", who + std::to_string(i)); break;
    }
  }
}

TEST(Concurrency, ThreadsAndAProcessWriteWithoutLockErrors) {
  cellar::test::TempDir tmp;
  std::filesystem::path h = tmp / "home";
  { Catalog create(h); }  // created and closed: no SQLite state crosses the fork
  pid_t child = fork();
  if (child == 0) {
    int rc = 0;
    try {
      write_many(h, "proc");
    } catch (...) {
      rc = 1;
    }
    _exit(rc);
  }
  std::atomic<int> failures{0};
  std::string first_error;
  std::mutex mu;
  auto worker = [&](std::string who) {
    try {
      write_many(h, who);
    } catch (const std::exception& e) {
      ++failures;
      std::lock_guard lock(mu);
      first_error = e.what();
    }
  };
  std::thread a(worker, "cli");
  std::thread b(worker, "server");
  a.join();
  b.join();
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_EQ(failures.load(), 0) << first_error;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the writer process hit an error";

  Catalog catalog(h);
  auto rows = catalog.audit().list({});
  EXPECT_EQ(rows.size(), 3u * kWritesEach);
  auto v = catalog.audit().verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(TemplateRegistry(catalog).list("t-server").size(), static_cast<size_t>((kWritesEach + 2) / 3));
}

TEST(Concurrency, ThreadsSharingOneCatalogSeeOnlyCommittedState) {
  cellar::test::TempDir tmp;
  Catalog catalog(tmp / "home");
  std::atomic<int> failures{0};
  std::atomic<bool> done{false};
  auto writer = [&](std::string who) {
    try {
      TemplateRegistry templates(catalog);
      for (int i = 0; i < kWritesEach; ++i) {
        templates.set("t-" + who, {"v" + std::to_string(i), std::nullopt, nlohmann::json::object()}, actor(who));
      }
    } catch (const std::exception&) {
      ++failures;
    }
  };
  // The reader checks an invariant that only holds between transactions:
  // every template version has exactly one audit row.
  std::thread reader([&] {
    while (!done) {
      {
        auto guard = catalog.db().lock();
        int64_t versions = catalog.db().query_int("SELECT COUNT(*) FROM templates");
        int64_t rows = catalog.db().query_int("SELECT COUNT(*) FROM audit_log");
        if (versions != rows) ++failures;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  std::thread a(writer, "a");
  std::thread b(writer, "b");
  a.join();
  b.join();
  done = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(catalog.audit().list({}).size(), 2u * kWritesEach);
  EXPECT_TRUE(catalog.audit().verify().ok);
}

}  // namespace
}  // namespace cellar::registry::test
