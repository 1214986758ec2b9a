#pragma once
// Running the real `cellar` binary from tests.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

namespace cellar::registry::test {

// Starts `args` (argv[0] is the program) with `extra_env` added, output to /dev/null.
inline pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {}) {
  pid_t pid = fork();
  if (pid == 0) {
    for (const auto& e : extra_env) putenv(const_cast<char*>(e.c_str()));
    std::FILE* null = std::fopen("/dev/null", "w");
    if (null) {
      dup2(fileno(null), 1);
      dup2(fileno(null), 2);
    }
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

struct ShellResult {
  int status = -1;  // exit code, or -1 when it did not exit normally
  std::string output;  // stdout and stderr
};

inline ShellResult run_shell(const std::string& command) {
  ShellResult r;
  std::FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace cellar::registry::test
