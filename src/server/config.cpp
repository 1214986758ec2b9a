#include "server/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "model/kv_cache.h"
#include "registry/memory_budget.h"
#include "server/api/json_fields.h"

namespace cellar::server {
namespace {

template <class T>
T scalar(const YAML::Node& n, const std::string& key) {
  try {
    return n.as<T>();
  } catch (const YAML::Exception&) {
    throw std::invalid_argument("config key '" + key + "' has the wrong type");
  }
}

ModelSpec model_from_yaml(const YAML::Node& n, size_t i) {
  std::string where = "models[" + std::to_string(i) + "]";
  if (!n.IsMap()) throw std::invalid_argument("config '" + where + "' must be a map with name and path");
  ModelSpec m;
  for (const auto& kv : n) {
    auto key = kv.first.as<std::string>();
    if (key == "name") m.name = scalar<std::string>(kv.second, where + ".name");
    else if (key == "path") m.path = scalar<std::string>(kv.second, where + ".path");
    else if (key == "chat_template") m.chat_template_file = scalar<std::string>(kv.second, where + ".chat_template");
    else throw std::invalid_argument("unknown config key '" + where + "." + key + "'");
  }
  if (m.name.empty() || m.path.empty()) throw std::invalid_argument("config '" + where + "' needs name and path");
  return m;
}

}  // namespace

ModelSpec parse_model_flag(const std::string& flag) {
  auto eq = flag.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == flag.size()) {
    throw std::invalid_argument("--model expects NAME=FILE (e.g. --model stories=models/stories260K.gguf), got '" +
                                flag + "'");
  }
  ModelSpec spec;
  spec.name = flag.substr(0, eq);
  spec.path = flag.substr(eq + 1);
  return spec;
}

void load_config_file(const std::string& path, ServeConfig& cfg) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument("cannot read config file '" + path + "': " + e.what());
  }
  if (!root.IsMap()) throw std::invalid_argument("config file '" + path + "' must be a YAML map of settings");
  for (const auto& kv : root) {
    auto key = kv.first.as<std::string>();
    const auto& v = kv.second;
    if (key == "host") cfg.host = scalar<std::string>(v, key);
    else if (key == "port") cfg.port = scalar<int>(v, key);
    else if (key == "threads") cfg.threads = scalar<int>(v, key);
    else if (key == "ctx") cfg.ctx = scalar<int>(v, key);
    else if (key == "parallel") cfg.parallel = scalar<int>(v, key);
    else if (key == "kv_type") cfg.kv_type = scalar<std::string>(v, key);
    else if (key == "queue") cfg.queue = scalar<int>(v, key);
    else if (key == "max_body") cfg.max_body = scalar<size_t>(v, key);
    else if (key == "timeout") cfg.timeout = scalar<double>(v, key);
    else if (key == "read_timeout") cfg.read_timeout = scalar<int>(v, key);
    else if (key == "write_timeout") cfg.write_timeout = scalar<int>(v, key);
    else if (key == "http_threads") cfg.http_threads = scalar<int>(v, key);
    else if (key == "max_tokens") cfg.max_tokens = scalar<int>(v, key);
    else if (key == "drain_seconds") cfg.drain_seconds = scalar<double>(v, key);
    else if (key == "tls_cert") cfg.tls_cert = scalar<std::string>(v, key);
    else if (key == "tls_key") cfg.tls_key = scalar<std::string>(v, key);
    else if (key == "api_key_file") cfg.api_key_file = scalar<std::string>(v, key);
    else if (key == "chat_template") cfg.chat_template = scalar<std::string>(v, key);
    else if (key == "log_prompts") cfg.log_prompts = scalar<bool>(v, key);
    else if (key == "home") cfg.home = scalar<std::string>(v, key);
    else if (key == "rate_limit") cfg.rate_limit = scalar<double>(v, key);
    else if (key == "token_limit") cfg.token_limit = scalar<double>(v, key);
    else if (key == "guard_policy") cfg.guard_policy = scalar<std::string>(v, key);
    else if (key == "memory_budget") cfg.memory_budget = scalar<std::string>(v, key);
    else if (key == "keep_alive") cfg.keep_alive = scalar<std::string>(v, key);
    else if (key == "import_dir") cfg.import_dir = scalar<std::string>(v, key);
    else if (key == "models") {
      if (!v.IsSequence()) throw std::invalid_argument("config key 'models' must be a list of {name, path}");
      for (size_t i = 0; i < v.size(); ++i) cfg.models.push_back(model_from_yaml(v[i], i));
    } else {
      throw std::invalid_argument("unknown config key '" + key + "' in '" + path + "' (see docs/server.md)");
    }
  }
}

void validate(const ServeConfig& cfg) {
  if (cfg.models.empty()) throw std::invalid_argument("no model to serve: pass --model NAME=FILE (repeatable)");
  std::set<std::string> names;
  for (const auto& m : cfg.models) {
    if (!valid_model_name(m.name)) {
      throw std::invalid_argument("model name '" + m.name + "' must match [A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    }
    if (!names.insert(m.name).second) throw std::invalid_argument("model name '" + m.name + "' is given twice");
    if (!std::filesystem::is_regular_file(m.path)) {
      throw std::invalid_argument("model file '" + m.path + "' (for '" + m.name + "') does not exist");
    }
  }
  auto in_range = [](const char* what, double v, double lo, double hi) {
    if (v < lo || v > hi) {
      throw std::invalid_argument(std::string(what) + " must be between " + std::to_string(static_cast<long>(lo)) +
                                  " and " + std::to_string(static_cast<long>(hi)));
    }
  };
  in_range("--port", cfg.port, 0, 65535);
  in_range("--ctx", cfg.ctx, 8, 1 << 20);
  in_range("--parallel", cfg.parallel, 1, 256);
  in_range("--queue", cfg.queue, 0, 100000);
  in_range("--threads", cfg.threads, 0, 1024);
  in_range("--max-body", static_cast<double>(cfg.max_body), 1024, 1 << 30);
  in_range("--timeout", cfg.timeout, 0, 86400);
  in_range("--read-timeout", cfg.read_timeout, 1, 3600);
  in_range("--write-timeout", cfg.write_timeout, 1, 3600);
  in_range("--max-tokens", cfg.max_tokens, 0, 1 << 20);
  in_range("--rate-limit", cfg.rate_limit, 0, 1e9);
  in_range("--token-limit", cfg.token_limit, 0, 1e12);
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) {
    throw std::invalid_argument("TLS needs both --tls-cert and --tls-key");
  }
  for (const auto& pin : cfg.pins) {
    if (!names.count(pin)) throw std::invalid_argument("--pin " + pin + ": no served model has that name");
  }
  if (!cfg.import_dir.empty() && !std::filesystem::is_directory(cfg.import_dir)) {
    throw std::invalid_argument("--import-dir " + cfg.import_dir + " is not a directory");
  }
  engine_options(cfg);  // parses --memory-budget, --keep-alive and --kv-type
}

std::chrono::milliseconds parse_keep_alive(const std::string& text) {
  auto bad = [&] {
    return std::invalid_argument("invalid --keep-alive '" + text + "': use e.g. 5m, 1h30m, 90s, 0 (unload at once) or "
                                 "-1 (never)");
  };
  if (text.empty()) throw bad();
  if (text[0] == '-') return std::chrono::milliseconds(-1);
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(text.substr(i), &used);
    } catch (const std::exception&) {
      throw bad();
    }
    i += used;
    size_t u = i;
    while (u < text.size() && std::isalpha(static_cast<unsigned char>(text[u]))) ++u;
    std::string unit = text.substr(i, u - i);
    i = u;
    static const std::pair<const char*, double> kUnits[] = {{"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60000},
                                                            {"h", 3600000}, {"d", 86400000}};
    auto it = std::find_if(std::begin(kUnits), std::end(kUnits), [&](const auto& p) { return unit == p.first; });
    if (it == std::end(kUnits) || v < 0) throw bad();
    total_ms += v * it->second;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

ApiServerOptions api_options(const ServeConfig& cfg, const std::string& version) {
  ApiServerOptions o;
  o.version = version;
  o.http.host = cfg.host;
  o.http.port = cfg.port;
  o.http.tls_cert = cfg.tls_cert;
  o.http.tls_key = cfg.tls_key;
  o.http.max_body_bytes = cfg.max_body;
  o.http.read_timeout_seconds = cfg.read_timeout;
  o.http.write_timeout_seconds = cfg.write_timeout;
  // An idle keep-alive connection holds a worker thread: never longer than a silent sender may.
  o.http.keep_alive_seconds = std::min(5, cfg.read_timeout);
  o.http.log_prompts = cfg.log_prompts;
  // Every slot and queue entry may hold a connection thread; more to answer 429s and probes promptly.
  int needed = static_cast<int>(cfg.models.size()) * (cfg.parallel + cfg.queue) + 16;
  o.http.threads = cfg.http_threads > 0 ? cfg.http_threads : std::min(needed, 1024);
  o.limits.max_tokens_cap = cfg.max_tokens;
  o.limits.timeout_seconds = cfg.timeout;
  o.rate_limits = {cfg.rate_limit, cfg.token_limit};
  o.guard = load_guard_policy(cfg.guard_policy);
  o.deployment_guard = cfg.deployment_guard;
  return o;
}

guard::GuardPolicy load_guard_policy(const std::string& path) {
  if (path.empty()) return {};
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot read guard policy file '" + path + "'");
  try {
    guard::GuardPolicy p = guard::policy_from_json(nlohmann::json::parse(in));
    p.validate();
    return p;
  } catch (const std::exception& e) {
    throw std::invalid_argument("guard policy '" + path + "': " + e.what());
  }
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

EngineOptions engine_options(const ServeConfig& cfg) {
  EngineOptions o{.n_ctx = cfg.ctx, .n_slots = cfg.parallel, .n_threads = cfg.threads, .max_queue = cfg.queue};
  const auto kv = KvCache::type_from_name(cfg.kv_type);
  if (!kv) throw std::invalid_argument("--kv-type must be f16 or q8_0, got '" + cfg.kv_type + "'");
  o.kv_type = *kv;
  if (!cfg.memory_budget.empty()) {
    try {
      o.memory_budget = registry::parse_memory_size(cfg.memory_budget);
    } catch (const registry::InvalidInput& e) {
      throw std::invalid_argument(std::string("--memory-budget: ") + e.what());
    }
    if (o.memory_budget == 0) throw std::invalid_argument("--memory-budget must be more than 0");
  }
  o.keep_alive = parse_keep_alive(cfg.keep_alive);
  return o;
}

}  // namespace cellar::server
