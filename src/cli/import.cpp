// `cellar import FILE --name NAME`: validate, hash and store a GGUF file as the
// next immutable version NAME:N.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/command.h"
#include "cli/registry_cli.h"
#include "registry/memory_budget.h"
#include "registry/model_registry.h"
#include "registry/progress_format.h"

namespace cellar::cli {
namespace {

struct ImportOptions {
  RegistryOptions reg;
  std::string file;
  std::string name;
  std::optional<std::string> note;
  bool copy = false;
  bool quiet = false;
};

// Redraws one bar on a terminal (at most 10 times a second); prints a plain
// line every 10% otherwise.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool quiet) : quiet_(quiet), tty_(isatty(STDERR_FILENO) == 1) {}

  void operator()(uint64_t done, uint64_t total) {
    if (quiet_) return;
    auto now = std::chrono::steady_clock::now();
    if (tty_) {
      if (done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
      last_draw_ = now;
      double elapsed = std::chrono::duration<double>(now - start_).count();
      std::fprintf(stderr, "\r%s\033[K", registry::format_progress_bar(done, total, elapsed).c_str());
      drawn_ = true;
    } else {
      int step = total > 0 ? static_cast<int>(10 * done / total) : 10;
      if (step <= last_step_) return;
      last_step_ = step;
      std::fprintf(stderr, "%s\n", registry::format_progress_line(done, total).c_str());
    }
  }

  void finish() {
    if (drawn_) std::fputc('\n', stderr);
  }

 private:
  bool quiet_;
  bool tty_;
  bool drawn_ = false;
  int last_step_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

int run_import(const ImportOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::ImportRequest req;
  req.file = o.file;
  req.name = o.name;
  req.note = o.note;
  req.staging.allow_link = !o.copy;
  auto progress = std::make_shared<ProgressPrinter>(o.quiet);
  req.staging.progress = [progress](uint64_t done, uint64_t total) { (*progress)(done, total); };
  // Lets the crash-safety tests interrupt an import part-way through.
  if (const char* delay = std::getenv("CELLAR_TEST_IMPORT_DELAY_MS")) {
    req.staging.chunk_delay = std::chrono::milliseconds(std::atoi(delay));
  }
  registry::ModelRegistry models(*catalog);
  registry::ImportResult r = models.import_file(req, make_change(o.reg));
  progress->finish();
  const auto& v = r.version;
  std::printf("imported %s  sha256:%s  %s  %s  %lld parameters  %s  (%s)\n", v.label().c_str(), v.sha256.c_str(),
              registry::format_bytes(v.size_bytes).c_str(), v.architecture.c_str(),
              static_cast<long long>(v.parameter_count), v.quantization.c_str(),
              r.blob_reused ? "identical bytes already stored" : r.linked ? "stored as a hard link" : "copied");
  return 0;
}

CommandRegistration reg_import("import", [](CLI::App& app) {
  auto* sub = app.add_subcommand("import", "Store a GGUF file as the next version NAME:N of a model");
  auto o = std::make_shared<ImportOptions>();
  sub->add_option("file", o->file, "GGUF file to import")->required();
  sub->add_option("--name", o->name, "Model name ([A-Za-z0-9][A-Za-z0-9._-]{0,63})")->required();
  sub->add_option("--note", o->note, "Free text kept with the version");
  sub->add_flag("--copy", o->copy, "Always copy (default: hard link when on the same filesystem)");
  sub->add_flag("--quiet", o->quiet, "No progress display");
  add_registry_options(sub, o->reg);
  return [o]() { return run_import(*o); };
});

}  // namespace
}  // namespace cellar::cli
