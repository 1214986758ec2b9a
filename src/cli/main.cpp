// `cellar`: the single binary. Subcommands register themselves (command.h);
// every error from outside input ends here as one line and a non-zero exit.
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/command.h"
#include "kernels/kernels.h"

namespace cellar::cli {

namespace {

// CELLAR_ISA=scalar|avx2|avx512 caps the kernels below what the CPU offers:
// to compare speeds, or to rule out a SIMD path when a result looks wrong.
void apply_isa_override() {
  const char* want = std::getenv("CELLAR_ISA");
  if (!want || !*want) return;
  for (kernels::Isa isa : {kernels::Isa::kScalar, kernels::Isa::kAvx2, kernels::Isa::kAvx512}) {
    if (kernels::isa_name(isa) == want) {
      kernels::set_isa(isa);  // throws, naming the ISA, if the CPU lacks it
      return;
    }
  }
  throw std::invalid_argument(std::string("CELLAR_ISA must be scalar, avx2 or avx512, got '") + want + "'");
}

}  // namespace

std::vector<CommandInfo>& command_table() {
  static std::vector<CommandInfo> table;
  return table;
}

}  // namespace cellar::cli

int main(int argc, char** argv) {
  using namespace cellar::cli;
  CLI::App app{"Cellar: a private, self-hosted LLM server"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(CELLAR_VERSION));

  auto& table = command_table();
  std::sort(table.begin(), table.end(), [](auto& a, auto& b) { return a.name < b.name; });
  std::vector<std::pair<CLI::App*, std::function<int()>>> runners;
  for (auto& cmd : table) {
    auto before = app.get_subcommands({}).size();
    auto run = cmd.setup(app);
    auto subs = app.get_subcommands({});
    if (subs.size() > before) runners.emplace_back(subs.back(), std::move(run));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    apply_isa_override();
    for (auto& [sub, run] : runners) {
      if (sub->parsed()) return run();
    }
  } catch (const std::exception& e) {
    std::cerr << "cellar: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
