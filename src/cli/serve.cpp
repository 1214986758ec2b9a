// `cellar serve`: the OpenAI- and Ollama-compatible HTTP server. Settings come
// from defaults, an optional YAML file (--config) and flags (docs/server.md).
// SIGTERM / SIGINT drain in-flight requests up to a deadline, then exit 0.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <iostream>
#include <thread>

#include "cli/command.h"
#include "cli/serve_ops.h"
#include "registry/deployment_registry.h"
#include "registry/guard_policy_registry.h"
#include "registry/home.h"
#include "registry/names.h"
#include "server/config.h"
#include "server/deployment_watcher.h"
#include "server/registry_auth.h"

namespace cellar::cli {
namespace {

using server::ServeConfig;

struct ServeFlags {
  ServeConfig cfg;
  std::string config_file;
  std::vector<std::string> models;
  ServeOpsOptions ops;
};

// Flags given on the command line override the config file.
void apply_flags(const CLI::App& sub, const ServeFlags& f, ServeConfig& cfg) {
  auto given = [&](const char* name) { return sub.count(name) > 0; };
  const ServeConfig& c = f.cfg;
  if (given("--host")) cfg.host = c.host;
  if (given("--port")) cfg.port = c.port;
  if (given("--threads")) cfg.threads = c.threads;
  if (given("--ctx")) cfg.ctx = c.ctx;
  if (given("--parallel")) cfg.parallel = c.parallel;
  if (given("--kv-type")) cfg.kv_type = c.kv_type;
  if (given("--queue")) cfg.queue = c.queue;
  if (given("--max-body")) cfg.max_body = c.max_body;
  if (given("--timeout")) cfg.timeout = c.timeout;
  if (given("--read-timeout")) cfg.read_timeout = c.read_timeout;
  if (given("--write-timeout")) cfg.write_timeout = c.write_timeout;
  if (given("--max-tokens")) cfg.max_tokens = c.max_tokens;
  if (given("--drain-seconds")) cfg.drain_seconds = c.drain_seconds;
  if (given("--tls-cert")) cfg.tls_cert = c.tls_cert;
  if (given("--tls-key")) cfg.tls_key = c.tls_key;
  if (given("--api-key-file")) cfg.api_key_file = c.api_key_file;
  if (given("--chat-template")) cfg.chat_template = c.chat_template;
  if (given("--log-prompts")) cfg.log_prompts = true;
  if (given("--home")) cfg.home = c.home;
  if (given("--rate-limit")) cfg.rate_limit = c.rate_limit;
  if (given("--token-limit")) cfg.token_limit = c.token_limit;
  if (given("--guard-policy")) cfg.guard_policy = c.guard_policy;
  if (given("--memory-budget")) cfg.memory_budget = c.memory_budget;
  if (given("--keep-alive")) cfg.keep_alive = c.keep_alive;
  if (given("--import-dir")) cfg.import_dir = c.import_dir;
  for (const auto& p : c.pins) cfg.pins.push_back(p);
  for (const auto& m : f.models) {
    server::ModelSpec deployment;  // a bare NAME is a registry deployment, resolved in resolve_deployments
    deployment.name = m;
    cfg.models.push_back(m.find('=') == std::string::npos ? deployment : server::parse_model_flag(m));
  }
  if (!cfg.chat_template.empty()) {
    for (auto& m : cfg.models) {
      if (m.chat_template_file.empty()) m.chat_template_file = cfg.chat_template;
    }
  }
}

// Until the server stops: the first SIGTERM/SIGINT drains it on another
// thread; a second one exits at once.
void wait_for_signals(const sigset_t& signals, const std::atomic<bool>& stopped, const std::function<void()>& drain,
                      const std::function<void()>& on_tick, double drain_seconds) {
  std::thread drainer;
  const timespec tick{0, 100 * 1000 * 1000};
  while (!stopped) {
    on_tick();
    int sig = sigtimedwait(&signals, nullptr, &tick);
    if (sig < 0) continue;
    if (drainer.joinable()) {
      std::fprintf(stderr, "cellar: second signal, exiting without draining\n");
      std::_Exit(1);
    }
    std::fprintf(stderr, "cellar: %s received, finishing in-flight requests (up to %.0f s; signal again to quit)\n",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT", drain_seconds);
    drainer = std::thread(drain);
  }
  if (drainer.joinable()) drainer.join();
}

std::filesystem::path registry_home(const ServeConfig& cfg) {
  return registry::resolve_home(cfg.home.empty() ? std::nullopt : std::optional<std::string>(cfg.home));
}

// `--model NAME` without a file names a registry deployment: its model
// version's blob is served under NAME, and responses carry its versions. It
// loads on its first request unless pinned (--pin NAME).
std::vector<server::ModelSpec> resolve_deployments(ServeConfig& cfg) {
  std::unique_ptr<registry::Catalog> catalog;
  std::vector<server::ModelSpec> deployments;
  for (auto& m : cfg.models) {
    if (!m.path.empty()) continue;
    m.lazy = std::find(cfg.pins.begin(), cfg.pins.end(), m.name) == cfg.pins.end();
    if (!catalog) catalog = std::make_unique<registry::Catalog>(registry_home(cfg));
    m = server::deployment_spec(registry::DeploymentRegistry(*catalog).resolve(m.name), m);
    deployments.push_back(m);
    // The deployment's own guard policy (`cellar guard policy`) beats --guard-policy.
    if (auto stored = registry::GuardPolicyRegistry(*catalog).find(m.name)) {
      guard::GuardPolicy p = guard::policy_from_json(*stored);
      p.validate();
      cfg.deployment_guard[m.name] = p;
    }
  }
  return deployments;
}

// --home or CELLAR_HOME, or ~/.cellar when it already holds a catalogue (a
// server is not what should create one there).
bool uses_registry(const ServeConfig& cfg) {
  bool explicit_home = !cfg.home.empty() || std::getenv("CELLAR_HOME") != nullptr;
  return explicit_home || std::filesystem::exists(registry_home(cfg) / "catalog.db");
}

// The API key file when given; else the registry's keys, from --home or
// CELLAR_HOME, or ~/.cellar when it already holds a catalogue (a server is
// not what should create one there). nullptr: the server is open.
std::shared_ptr<const server::Authenticator> make_authenticator(const ServeConfig& cfg) {
  if (!cfg.api_key_file.empty()) return std::make_shared<server::KeyFileAuthenticator>(cfg.api_key_file);
  if (!uses_registry(cfg)) return nullptr;
  return std::make_shared<server::RegistryAuthenticator>(registry_home(cfg), !server::is_loopback_host(cfg.host));
}

// The /admin/ API over the registry the server uses, if any.
std::optional<server::AdminOptions> admin_options(const ServeConfig& cfg) {
  if (!uses_registry(cfg)) {
    if (!cfg.import_dir.empty()) {
      throw std::invalid_argument("--import-dir needs a registry: pass --home DIR or set CELLAR_HOME");
    }
    return std::nullopt;
  }
  return server::AdminOptions{registry_home(cfg), cfg.import_dir};
}

int run_serve(const CLI::App& sub, const ServeFlags& flags) {
  ServeConfig cfg;
  if (!flags.config_file.empty()) server::load_config_file(flags.config_file, cfg);
  apply_flags(sub, flags, cfg);
  auto deployments = resolve_deployments(cfg);
  server::validate(cfg);

  // Signals are taken by one thread with sigwait; block them everywhere else
  // before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto auth = make_authenticator(cfg);
  auto* registry_keys = dynamic_cast<const server::RegistryAuthenticator*>(auth.get());
  if (!server::is_loopback_host(cfg.host) && (!auth || (registry_keys && !registry_keys->any_keys()))) {
    throw std::invalid_argument("refusing to listen on " + cfg.host +
                                " without API keys: anyone who can reach it could use the models. Create a key "
                                "with `cellar keys create --name NAME --role admin` (same --home / CELLAR_HOME), "
                                "or pass --api-key-file, or bind --host 127.0.0.1");
  }
  server::EngineBackend backend(cfg.models, server::engine_options(cfg));
  auto api_opts = server::api_options(cfg, CELLAR_VERSION);
  api_opts.admin = admin_options(cfg);
  if (api_opts.admin) api_opts.timings_home = api_opts.admin->home;
  server::ApiServer api(std::move(api_opts), backend, auth);
  backend.set_metrics(&api.metrics());
  // Deployments changed by `cellar deploy`/`rollback` or the admin API move to their new target while serving.
  std::unique_ptr<server::DeploymentWatcher> watcher;
  if (!deployments.empty()) {
    watcher = std::make_unique<server::DeploymentWatcher>(registry_home(cfg), backend, deployments);
    if (auto* admin = api.admin()) admin->on_change = [w = watcher.get()] { w->poke(); };
  }
  ServeOps ops(flags.ops, cfg.models, api.metrics());
  int port = api.bind();
  bool ops_started = false;

  std::atomic<bool> load_failed{false};
  backend.start_loading([&](const std::string& message) {
    std::fprintf(stderr, "cellar: error: %s\n", message.c_str());
    load_failed = true;
  });
  std::fprintf(stderr, "cellar: listening on %s://%s:%d (%zu model(s) loading; GET /ready is 200 once warm)\n",
               cfg.tls_cert.empty() ? "http" : "https", cfg.host.c_str(), port, cfg.models.size());
  std::atomic<bool> stopped{false};
  std::thread server_thread([&] {
    api.serve();
    stopped = true;
  });
  wait_for_signals(
      signals, stopped, [&] { api.shutdown(cfg.drain_seconds); },
      [&] {
        if (load_failed) api.stop();  // repeated each tick: the server may not have been listening yet
        if (!ops_started && backend.readiness().ready) {  // probes of a loading server would only fail
          ops.start(port, !cfg.tls_cert.empty());
          ops_started = true;
        }
      },
      cfg.drain_seconds);
  server_thread.join();
  ops.stop();
  backend.wait_loaded();  // the loader writes into the server's metrics
  if (load_failed) return 1;
  std::fprintf(stderr, "cellar: stopped\n");
  return 0;
}

CommandRegistration reg_serve("serve", [](CLI::App& app) {
  auto* sub = app.add_subcommand("serve", "Serve models over an OpenAI- and Ollama-compatible HTTP API");
  auto f = std::make_shared<ServeFlags>();
  auto& c = f->cfg;
  sub->add_option("--config", f->config_file, "YAML settings file (keys in docs/server.md); flags override it");
  sub->add_option("--model,-m", f->models, "NAME=FILE.gguf to serve (repeatable)");
  sub->add_option("--host", c.host, "Address to listen on (127.0.0.1: this machine only)")->capture_default_str();
  sub->add_option("--port,-p", c.port, "TCP port (0 = any free port)")->capture_default_str();
  sub->add_option("-t,--threads", c.threads, "Compute threads per model (0 = physical cores)")->capture_default_str();
  sub->add_option("--ctx,-c", c.ctx, "Context tokens per sequence slot")->capture_default_str();
  sub->add_option("--parallel", c.parallel, "Sequence slots per model (concurrent generations)")->capture_default_str();
  sub->add_option("--kv-type", c.kv_type, "KV cache type: f16, or q8_0 for half the memory")->capture_default_str();
  sub->add_option("--queue", c.queue, "Requests that may wait for a slot; beyond that 429")->capture_default_str();
  sub->add_option("--max-body", c.max_body, "Largest request body in bytes (413 beyond)")->capture_default_str();
  sub->add_option("--timeout", c.timeout, "Seconds a generation may take (0 = no limit)")->capture_default_str();
  sub->add_option("--read-timeout", c.read_timeout, "Seconds a silent client may hold a connection")
      ->capture_default_str();
  sub->add_option("--write-timeout", c.write_timeout, "Seconds a client that reads nothing may block a write")
      ->capture_default_str();
  sub->add_option("--max-tokens", c.max_tokens, "Cap on max_tokens per request (0 = the context)")
      ->capture_default_str();
  sub->add_option("--drain-seconds", c.drain_seconds, "On SIGTERM, seconds in-flight requests may take to finish")
      ->capture_default_str();
  sub->add_option("--tls-cert", c.tls_cert, "PEM certificate: serve HTTPS (needs --tls-key)");
  sub->add_option("--tls-key", c.tls_key, "PEM private key for --tls-cert");
  sub->add_option("--api-key-file", c.api_key_file, "File of API keys (one per line, 'id:key'); required as Bearer");
  sub->add_option("--chat-template", c.chat_template, "Jinja chat template file overriding the models' own");
  sub->add_flag("--log-prompts", c.log_prompts, "Also log prompts and completions (off: they are confidential)");
  sub->add_option("--home", c.home, "Registry whose API keys guard the server (default: CELLAR_HOME, ~/.cellar)");
  sub->add_option("--rate-limit", c.rate_limit, "Requests per minute per API key (0 = unlimited); beyond: 429");
  sub->add_option("--token-limit", c.token_limit, "Generated tokens per minute per API key (0 = unlimited)");
  sub->add_option("--guard-policy", c.guard_policy,
                  "Guard policy JSON (injection: off|flag|block, threshold, redact_input, redact_logs, ...)");
  sub->add_option("--memory-budget", c.memory_budget,
                  "Memory for all loaded models: bytes, 8G, 512MiB or 75% (default 80% of RAM); a model costs "
                  "its file plus its KV cache");
  sub->add_option("--keep-alive", c.keep_alive,
                  "Unload a deployment idle this long (5m, 1h, 90s; 0 = right after use; -1 = never)")
      ->capture_default_str();
  sub->add_option("--pin", c.pins, "Deployment to load at start and never unload (repeatable)");
  sub->add_option("--import-dir", c.import_dir, "The only directory POST /admin/models/import may read");
  sub->add_option("--probe-suite", f->ops.probe_suite,
                  "Golden suite (YAML/JSON) the server asks itself; results as cellar_probe_* on /metrics "
                  "(uses $CELLAR_PROBE_KEY when keys are required)");
  sub->add_option("--probe-every", f->ops.probe_every, "How often to run --probe-suite (90s, 15m, 1h, ...)")
      ->capture_default_str();
  sub->add_option("--verify-every", f->ops.verify_every,
                  "Re-hash the model files this often (e.g. 6h); a change sets cellar_integrity_mismatch{model} 1");
  return [sub, f]() { return run_serve(*sub, *f); };
});

}  // namespace
}  // namespace cellar::cli
