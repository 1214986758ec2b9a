#pragma once
// Ops jobs `cellar serve` runs beside the API: its own golden-suite probe
// (--probe-suite F --probe-every 1h; results as cellar_probe_* on /metrics)
// and re-hashing of the model files (--verify-every 6h; a file whose bytes
// changed since the server loaded it sets cellar_integrity_mismatch{model} 1
// and logs a line on stderr).
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ops/integrity_verifier.h"
#include "ops/self_probe.h"
#include "server/engine_backend.h"
#include "server/server_metrics.h"

namespace cellar::cli {

struct ServeOpsOptions {
  std::string probe_suite;   // golden suite file (YAML/JSON); empty: no self-probe
  std::string probe_every = "1h";
  std::string verify_every;  // empty: no integrity checks
};

class ServeOps {
 public:
  // Validates the flags (std::invalid_argument) and registers the metrics.
  ServeOps(ServeOpsOptions opts, std::vector<server::ModelSpec> models, server::ServerMetrics& metrics);
  ~ServeOps();
  ServeOps(const ServeOps&) = delete;
  ServeOps& operator=(const ServeOps&) = delete;

  // Once the API listens on `port`. The probe authenticates with
  // $CELLAR_PROBE_KEY when the server requires API keys.
  void start(int port, bool tls);
  void stop();

 private:
  void hash_baselines();

  ServeOpsOptions opts_;
  std::vector<server::ModelSpec> models_;
  server::ServerMetrics& metrics_;
  server::metrics::Family<server::metrics::Gauge>* mismatch_ = nullptr;  // {model}
  std::unique_ptr<ops::SelfProbe> probe_;
  std::unique_ptr<ops::IntegrityVerifier> verifier_;
  std::atomic<bool> stopping_{false};
  std::thread baseline_thread_;
};

}  // namespace cellar::cli
