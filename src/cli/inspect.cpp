// `cellar inspect FILE`: metadata and tensor table of a GGUF file.
#include <cstdio>
#include <iostream>
#include <map>
#include <stdexcept>

#include "cli/command.h"
#include "gguf/gguf_file.h"
#include "kernels/kernels.h"
#include "util/thread_pool.h"

namespace cellar::cli {
namespace {

struct InspectOptions {
  std::string file;
  bool no_tensors = false;
  bool cpu = false;
};

int print_cpu() {
  using namespace kernels;
  std::printf("cpu: %s\n", cpu_model().c_str());
  std::printf("cpu features: %s\n", cpu_features().c_str());
  std::printf("kernels: %s (best available: %s)\n", std::string(isa_name(active_isa())).c_str(),
              std::string(isa_name(detected_isa())).c_str());
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    std::printf("  %-7s %s\n", std::string(isa_name(isa)).c_str(), isa_available(isa) ? "available" : "not supported");
  }
  std::printf("physical cores (default -t): %d\n", default_thread_count());
  return 0;
}

int run_inspect(const InspectOptions& o) {
  if (o.cpu) return print_cpu();
  if (o.file.empty()) throw std::invalid_argument("inspect needs a GGUF file (or --cpu)");
  auto f = GgufFile::open(o.file);
  std::printf("file: %s\nGGUF version: %u\nsize: %llu bytes\nalignment: %u\ndata offset: %llu\n", o.file.c_str(),
              f->version(), static_cast<unsigned long long>(f->file_size()), f->alignment(),
              static_cast<unsigned long long>(f->data_offset()));
  std::printf("\nmetadata (%zu):\n", f->metadata().size());
  for (const auto& [key, value] : f->metadata()) {
    std::printf("  %-44s %s\n", key.c_str(), value.to_string().c_str());
  }
  std::map<std::string, std::pair<int, uint64_t>> by_type;  // type -> (count, bytes)
  uint64_t n_params = 0;
  for (const auto& t : f->tensors()) {
    auto& e = by_type[std::string(ggml_type_info(t.type).name)];
    e.first++;
    e.second += t.n_bytes;
    n_params += static_cast<uint64_t>(t.n_elements);
  }
  std::printf("\ntensors (%zu, %llu parameters):\n", f->tensors().size(), static_cast<unsigned long long>(n_params));
  for (const auto& [type, e] : by_type) {
    std::printf("  %-8s %5d tensors %14llu bytes\n", type.c_str(), e.first, static_cast<unsigned long long>(e.second));
  }
  if (o.no_tensors) return 0;
  std::printf("\n  %-40s %-8s %-28s %14s %14s\n", "name", "type", "shape", "offset", "bytes");
  for (const auto& t : f->tensors()) {
    std::string shape = "[";
    for (size_t i = 0; i < t.dims.size(); ++i) shape += (i ? ", " : "") + std::to_string(t.dims[i]);
    shape += "]";
    std::printf("  %-40s %-8s %-28s %14llu %14llu\n", t.name.c_str(), std::string(ggml_type_info(t.type).name).c_str(),
                shape.c_str(), static_cast<unsigned long long>(t.offset), static_cast<unsigned long long>(t.n_bytes));
  }
  return 0;
}

CommandRegistration reg_inspect("inspect", [](CLI::App& app) {
  auto* sub = app.add_subcommand("inspect", "Print a GGUF file's metadata and tensor table");
  auto o = std::make_shared<InspectOptions>();
  sub->add_option("file", o->file, "GGUF file");
  sub->add_flag("--cpu", o->cpu, "Print the CPU features and which kernels (scalar/avx2/avx512) run");
  sub->add_flag("--no-tensors", o->no_tensors, "Omit the per-tensor table");
  return [o]() { return run_inspect(*o); };
});

}  // namespace
}  // namespace cellar::cli
