#include "plan/catalog.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "plan/nearest_names.h"

namespace cellar::plan {
namespace {

bool same_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Reads fields of one YAML map and reports problems as "<file>: <list>[i]
// '<name>': field '<f>': <problem>".
class EntryReader {
 public:
  EntryReader(const YAML::Node& node, std::string where) : node_(node), where_(std::move(where)) {
    if (!node_.IsMap()) fail("", "must be a map of fields");
  }

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw CatalogError(where_ + (field.empty() ? "" : ": field '" + field + "'") + ": " + problem);
  }

  void set_where(std::string where) { where_ = std::move(where); }

  std::string text(const std::string& field, bool required = true) const {
    auto v = node_[field];
    if (!v) {
      if (required) fail(field, "is missing");
      return {};
    }
    if (!v.IsScalar()) fail(field, "must be a text value");
    return v.as<std::string>();
  }

  double number(const std::string& field, bool required = true, double fallback = 0) const {
    auto v = node_[field];
    if (!v) {
      if (required) fail(field, "is missing");
      return fallback;
    }
    double d = 0;
    try {
      d = v.as<double>();
    } catch (const YAML::Exception&) {
      fail(field, "must be a number, got '" + (v.IsScalar() ? v.as<std::string>() : "?") + "'");
    }
    if (!std::isfinite(d)) fail(field, "must be a finite number");
    return d;
  }

  double positive(const std::string& field, bool required = true, double fallback = 0) const {
    double d = number(field, required, fallback);
    if ((required || node_[field]) && d <= 0) {
      fail(field, "must be greater than zero, got " + std::to_string(d));
    }
    return d;
  }

  double fraction(const std::string& field, double fallback) const {
    double d = number(field, false, fallback);
    if (d <= 0 || d > 1) fail(field, "must be in (0, 1], got " + std::to_string(d));
    return d;
  }

  int count(const std::string& field, bool required = true) const {
    double d = number(field, required, 0);
    if (!required && !node_[field]) return 0;
    if (d < 1 || d != std::floor(d) || d > 1e9) fail(field, "must be a positive whole number");
    return static_cast<int>(d);
  }

  bool flag(const std::string& field) const {
    auto v = node_[field];
    if (!v) return false;
    try {
      return v.as<bool>();
    } catch (const YAML::Exception&) {
      fail(field, "must be true or false");
    }
  }

 private:
  YAML::Node node_;
  std::string where_;
};

HardwareSpec read_hardware(EntryReader& r) {
  HardwareSpec h;
  h.name = r.text("name");
  h.title = r.text("title", false);
  if (h.title.empty()) h.title = h.name;
  h.kind = r.text("kind");
  h.memory_gb = r.positive("memory_gb");
  h.usable_memory_fraction = r.fraction("usable_memory_fraction", 0.9);
  h.bandwidth_gb_per_s = r.positive("bandwidth_gb_per_s");
  h.fp16_tflops = r.positive("fp16_tflops");
  h.int8_tops = r.number("int8_tops", false, 0);
  if (h.int8_tops < 0) r.fail("int8_tops", "must not be negative");
  h.power_w = r.positive("power_w");
  h.price_usd = r.number("price_usd");
  if (h.price_usd < 0) r.fail("price_usd", "must not be negative");
  h.host_price_usd = r.number("host_price_usd", false, 0);
  if (h.host_price_usd < 0) r.fail("host_price_usd", "must not be negative");
  h.host_power_w = r.number("host_power_w", false, 0);
  if (h.host_power_w < 0) r.fail("host_power_w", "must not be negative");
  h.units_per_host = r.count("units_per_host", false);
  if (h.units_per_host == 0) h.units_per_host = 8;
  if (auto e = r.number("decode_efficiency", false, -1); e != -1) {
    h.decode_efficiency = r.fraction("decode_efficiency", e);
  }
  if (auto e = r.number("prefill_efficiency", false, -1); e != -1) {
    h.prefill_efficiency = r.fraction("prefill_efficiency", e);
  }
  h.source = r.text("source");
  h.date = r.text("date");
  h.notes = r.text("notes", false);
  return h;
}

ModelSpec read_model(EntryReader& r) {
  ModelSpec m;
  m.name = r.text("name");
  m.title = r.text("title", false);
  if (m.title.empty()) m.title = m.name;
  m.arch = r.text("arch", false);
  if (m.arch.empty()) m.arch = "llama";
  if (m.arch != "llama" && m.arch != "qwen2" && m.arch != "chatglm") {
    r.fail("arch", "must be llama, qwen2 or chatglm, got '" + m.arch + "'");
  }
  m.n_layer = r.count("layers");
  m.n_embd = r.count("hidden");
  m.n_head = r.count("heads");
  m.n_head_kv = r.count("kv_heads");
  m.head_dim = r.count("head_dim", false);
  m.n_ff = r.count("ffn");
  m.n_vocab = r.count("vocab");
  m.n_ctx_train = r.count("context");
  m.tied_embeddings = r.flag("tied_embeddings");
  m.qkv_bias = r.flag("qkv_bias");
  if (m.n_head % m.n_head_kv != 0) r.fail("kv_heads", "must divide heads");
  if (m.head_dim == 0 && m.n_embd % m.n_head != 0) r.fail("heads", "must divide hidden");
  m.cloud_equivalent = r.text("cloud_equivalent", false);
  m.licence = r.text("licence");
  m.source = r.text("source");
  m.date = r.text("date");
  return m;
}

CloudPrice read_cloud(EntryReader& r) {
  CloudPrice c;
  c.name = r.text("name");
  c.provider = r.text("provider");
  c.model = r.text("model");
  c.input_per_million = r.positive("input_per_million");
  c.output_per_million = r.positive("output_per_million");
  c.source = r.text("source");
  c.date = r.text("date");
  return c;
}

template <typename T>
void merge(std::vector<T>& into, T entry) {
  for (auto& e : into) {
    if (same_name(e.name, entry.name)) {
      e = std::move(entry);
      return;
    }
  }
  into.push_back(std::move(entry));
}

template <typename T, typename ReadFn>
void read_list(const YAML::Node& root, const std::string& key, const std::string& file,
               std::vector<T>& into, ReadFn read) {
  auto list = root[key];
  if (!list) return;
  if (!list.IsSequence()) throw CatalogError(file + ": '" + key + "' must be a list of entries");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = file + ": " + key + "[" + std::to_string(i) + "]";
    EntryReader r(list[i], where);
    std::string name = r.text("name");
    r.set_where(where + " '" + name + "'");
    merge(into, read(r));
  }
}

template <typename T>
const T& find_named(const std::vector<T>& list, const std::string& name, const char* what,
                    const char* where) {
  for (const auto& e : list) {
    if (same_name(e.name, name)) return e;
  }
  std::vector<std::string> names;
  for (const auto& e : list) names.push_back(e.name);
  throw CatalogError(unknown_name_message(what, name, names, where));
}

}  // namespace

const HardwareSpec& Catalog::hardware_named(const std::string& name) const {
  return find_named(hardware, name, "hardware", "list them with `cellar plan --list hardware`");
}

const ModelSpec& Catalog::model_named(const std::string& name) const {
  return find_named(models, name, "model",
                    "list them with `cellar plan --list models`, or pass a .gguf file");
}

const CloudPrice& Catalog::cloud_named(const std::string& name) const {
  return find_named(cloud, name, "cloud price", "list them with `cellar plan --list cloud`");
}

void load_catalog_file(const std::filesystem::path& path, Catalog& catalog) {
  const std::string file = path.string();
  if (!std::filesystem::is_regular_file(path)) {
    throw CatalogError("catalogue file not found: " + file);
  }
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::Exception& e) {
    throw CatalogError(file + ": not valid YAML: " + e.what());
  }
  if (!root.IsMap() || (!root["hardware"] && !root["models"] && !root["cloud"])) {
    throw CatalogError(file + ": expected a map with a 'hardware', 'models' or 'cloud' list");
  }
  read_list(root, "hardware", file, catalog.hardware, read_hardware);
  read_list(root, "models", file, catalog.models, read_model);
  read_list(root, "cloud", file, catalog.cloud, read_cloud);
  catalog.files.push_back(file);
}

Catalog load_catalog(const std::filesystem::path& data_dir, const std::vector<std::string>& extra) {
  Catalog c;
  for (const char* f : {"hardware.yaml", "models.yaml", "cloud-prices.yaml"}) {
    load_catalog_file(data_dir / f, c);
  }
  for (const auto& f : extra) load_catalog_file(f, c);
  return c;
}

}  // namespace cellar::plan
