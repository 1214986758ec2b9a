#pragma once
// Each src/cli/<name>.cpp defines one `cellar` subcommand and registers it with
// a file-scope CommandRegistration, so adding a subcommand touches one file.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cellar::cli {

// Adds the subcommand to `app`; returns the callback that runs it after
// parsing. The callback returns the process exit code.
using CommandSetup = std::function<std::function<int()>(CLI::App& app)>;

struct CommandInfo {
  std::string name;
  CommandSetup setup;
};

std::vector<CommandInfo>& command_table();

struct CommandRegistration {
  CommandRegistration(std::string name, CommandSetup setup) {
    command_table().push_back({std::move(name), std::move(setup)});
  }
};

}  // namespace cellar::cli
