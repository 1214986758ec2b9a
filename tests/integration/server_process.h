#pragma once
// Runs `cellar serve` as a child process on a free loopback port, waits until
// it is ready, and stops it with a signal.
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

extern char** environ;

namespace cellar::test {

class ServerProcess {
 public:
  // `args` follow `cellar serve`; --port 0 is added. Blocks until /ready is 200.
  explicit ServerProcess(std::vector<std::string> args, bool tls = false) : tls_(tls) {
    log_ = dir_ / "stderr.log";
    std::vector<std::string> argv = {cellar_binary().string(), "serve", "--port", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid_, cargv[0], &fa, nullptr, cargv.data(), environ) != 0) {
      throw std::runtime_error("cannot start " + argv[0]);
    }
    posix_spawn_file_actions_destroy(&fa);
    wait_for_port();
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  std::string log() const { return read_file(log_); }
  const TempDir& dir() const { return dir_; }

  // Sends `sig` and returns the exit status (or -1 on timeout).
  int stop(int sig = SIGTERM, std::chrono::seconds limit = std::chrono::seconds(20)) {
    kill(pid_, sig);
    auto end = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < end) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  bool wait_ready(std::chrono::seconds limit = std::chrono::seconds(60)) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (tls_) {
        httplib::SSLClient c("127.0.0.1", port_);
        c.enable_server_certificate_verification(false);
        if (auto r = c.Get("/ready"); r && r->status == 200) return true;
      } else {
        httplib::Client c("127.0.0.1", port_);
        if (auto r = c.Get("/ready"); r && r->status == 200) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

 private:
  void wait_for_port() {
    static const std::regex kListening(R"(listening on https?://[^:]+:(\d+))");
    for (int i = 0; i < 1500; ++i) {
      std::smatch m;
      std::string text = std::filesystem::exists(log_) ? read_file(log_) : "";
      if (std::regex_search(text, m, kListening)) {
        port_ = std::stoi(m[1]);
        return;
      }
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("cellar serve exited early: " + text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("cellar serve did not start listening: " + read_file(log_));
  }

  TempDir dir_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool tls_;
};

}  // namespace cellar::test
