#pragma once
// The planner's facts: hardware, model shapes and cloud API prices, read from
// YAML files (data/hardware.yaml, data/models.yaml, data/cloud-prices.yaml)
// and from any number of user files passed with `--catalog`. Every entry names
// its source and date so a reader can check the number; every value is
// validated on load and a bad one raises CatalogError naming file, entry and
// field.
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cellar::plan {

class CatalogError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HardwareSpec {
  std::string name;   // key used on the command line, e.g. "h100-sxm"
  std::string title;  // human name, e.g. "NVIDIA H100 SXM5 80 GB"
  std::string kind;   // gpu | accelerator | soc | cpu-server | laptop | workstation
  double memory_gb = 0;             // memory one unit holds (GB = 1e9 bytes)
  double usable_memory_fraction = 0.9;  // what is left after driver/OS reserve
  double bandwidth_gb_per_s = 0;    // peak memory bandwidth
  double fp16_tflops = 0;           // peak dense FP16/BF16 matrix throughput
  double int8_tops = 0;             // peak dense INT8 throughput (0: not published)
  double power_w = 0;               // TDP / max board or system power
  double price_usd = 0;             // typical purchase price of one unit
  // Add-in cards need a host: its price and power are added once per
  // `units_per_host` cards (0 for self-contained machines).
  double host_price_usd = 0;
  double host_power_w = 0;
  int units_per_host = 8;
  std::optional<double> decode_efficiency;   // overrides the planner default
  std::optional<double> prefill_efficiency;  // overrides the planner default
  std::string source;
  std::string date;
  std::string notes;
};

struct ModelSpec {
  std::string name;  // e.g. "llama-3.1-8b"
  std::string title;
  std::string arch = "llama";  // llama | qwen2 | chatglm (tensor layout)
  int n_layer = 0;
  int n_embd = 0;
  int n_head = 0;
  int n_head_kv = 0;
  int head_dim = 0;  // 0: n_embd / n_head
  int n_ff = 0;
  int n_vocab = 0;
  int n_ctx_train = 0;
  bool tied_embeddings = false;
  bool qkv_bias = false;  // Qwen2 and ChatGLM carry biases on q/k/v
  std::string cloud_equivalent;  // cloud price entry serving a similar model
  std::string licence;
  std::string source;
  std::string date;
};

struct CloudPrice {
  std::string name;  // e.g. "openai-gpt-4o-mini"
  std::string provider;
  std::string model;
  double input_per_million = 0;   // USD per 1M input (prompt) tokens
  double output_per_million = 0;  // USD per 1M output (completion) tokens
  std::string source;
  std::string date;
};

struct Catalog {
  std::vector<HardwareSpec> hardware;
  std::vector<ModelSpec> models;
  std::vector<CloudPrice> cloud;
  std::vector<std::string> files;  // every file loaded, in order

  // Lookups by exact (case-insensitive) name; CatalogError with the nearest
  // known names when absent.
  const HardwareSpec& hardware_named(const std::string& name) const;
  const ModelSpec& model_named(const std::string& name) const;
  const CloudPrice& cloud_named(const std::string& name) const;
};

// Reads one YAML file with any of the top-level lists `hardware:`, `models:`,
// `cloud:` and merges it into `catalog`: an entry whose name already exists
// replaces it, a new name is appended.
void load_catalog_file(const std::filesystem::path& path, Catalog& catalog);

// The three shipped files from `data_dir`, then each of `extra` in order.
Catalog load_catalog(const std::filesystem::path& data_dir,
                     const std::vector<std::string>& extra);

}  // namespace cellar::plan
