#pragma once
// `cellar serve` settings: defaults, then an optional YAML file (--config),
// then command-line flags, each overriding the one before. Keys are listed in
// docs/server.md; an unknown key is an error so typos do not pass silently.
#include <map>
#include <chrono>
#include <string>
#include <vector>

#include "guard/policy.h"
#include "server/api_server.h"
#include "server/engine_backend.h"

namespace cellar::server {

struct ServeConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::vector<ModelSpec> models;
  int threads = 0;            // compute threads per model (0 = physical cores)
  int ctx = 2048;             // context per sequence slot
  int parallel = 4;           // sequence slots per model
  std::string kv_type = "f16";  // KV cache: f16, or q8_0 for half the memory
  int queue = 64;             // waiting requests per model beyond the slots
  size_t max_body = 8 << 20;  // bytes
  double timeout = 300;       // seconds per generation (0 = none)
  int read_timeout = 30;      // seconds
  int write_timeout = 30;
  int http_threads = 0;       // 0 = enough for every slot and queue entry
  int max_tokens = 0;         // cap per completion (0 = the context)
  double drain_seconds = 30;  // on SIGTERM, how long in-flight requests may finish
  std::string tls_cert;
  std::string tls_key;
  std::string api_key_file;
  std::string chat_template;  // file overriding every model's template
  bool log_prompts = false;
  std::string home;           // registry (API keys); empty = --home / CELLAR_HOME / ~/.cellar if it exists
  double rate_limit = 0;      // requests per minute per API key (0 = unlimited)
  double token_limit = 0;     // generated tokens per minute per API key (0 = unlimited)
  std::string guard_policy;   // GuardPolicy JSON file applied to every model (default: injection off)
  std::map<std::string, guard::GuardPolicy> deployment_guard;  // registry deployments' own policies
  std::string memory_budget;  // "8G", "75%", bytes; empty = 80% of RAM
  std::string keep_alive = "5m";  // idle time before a lazy model unloads; "0" = at once, "-1" = never
  std::vector<std::string> pins;  // deployments loaded at start and never unloaded
  std::string import_dir;     // the only directory POST /admin/models/import reads
};

// Ollama's keep_alive: "5m", "1h30m", "90s", "250ms", a plain number of
// seconds; 0 = unload right after use; negative = never. Throws std::invalid_argument.
std::chrono::milliseconds parse_keep_alive(const std::string& text);

// The guard policy from cfg.guard_policy (defaults when empty); throws std::invalid_argument.
guard::GuardPolicy load_guard_policy(const std::string& path);

// True for 127.0.0.1/8, ::1 and localhost: only this machine can connect.
bool is_loopback_host(const std::string& host);

// "NAME=FILE" (--model); the name must be a valid model name.
ModelSpec parse_model_flag(const std::string& flag);

// Reads a YAML config file over `cfg`; throws std::invalid_argument naming the key.
void load_config_file(const std::string& path, ServeConfig& cfg);

// Checks ranges and files; throws std::invalid_argument with an actionable message.
void validate(const ServeConfig& cfg);

ApiServerOptions api_options(const ServeConfig& cfg, const std::string& version);
EngineOptions engine_options(const ServeConfig& cfg);

}  // namespace cellar::server
