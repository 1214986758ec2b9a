#include "cli/serve_ops.h"

#include <cstdio>
#include <cstdlib>

#include "ops/duration.h"
#include "ops/golden_suite.h"

namespace cellar::cli {

ServeOps::ServeOps(ServeOpsOptions opts, std::vector<server::ModelSpec> models, server::ServerMetrics& metrics)
    : opts_(std::move(opts)), models_(std::move(models)), metrics_(metrics) {
  if (!opts_.verify_every.empty()) {
    ops::IntegrityOptions io;
    io.interval = ops::parse_duration(opts_.verify_every);
    mismatch_ = &metrics_.registry.gauge("cellar_integrity_mismatch",
                                         "1 when the model file's SHA-256 no longer matches the one it was loaded "
                                         "with, else 0.",
                                         {"model"});
    verifier_ = std::make_unique<ops::IntegrityVerifier>(
        std::vector<ops::IntegrityTarget>{}, io, [this](const ops::IntegrityResult& r) {
          mismatch_->with({r.target.name}).set(r.ok ? 0 : 1);
          if (!r.ok) {
            std::fprintf(stderr, "cellar: integrity: model '%s' file %s %s (expected sha256 %s, got %s)\n",
                         r.target.name.c_str(), r.target.file.c_str(),
                         r.error.empty() ? "changed on disk" : ("is unreadable: " + r.error).c_str(),
                         r.target.expected_sha256.c_str(), r.actual.empty() ? "nothing" : r.actual.c_str());
          }
        });
  }
  if (!opts_.probe_suite.empty()) {
    // Parsed now so a bad suite or duration stops the server before it listens.
    ops::parse_duration(opts_.probe_every);
    ops::load_suite(opts_.probe_suite);
  }
}

ServeOps::~ServeOps() { stop(); }

void ServeOps::start(int port, bool tls) {
  if (!opts_.probe_suite.empty()) {
    ops::ProbeJobOptions po;
    po.url = std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port);
    if (const char* key = std::getenv("CELLAR_PROBE_KEY")) po.client.api_key = key;
    probe_ = std::make_unique<ops::SelfProbe>(ops::load_suite(opts_.probe_suite), po,
                                              ops::parse_duration(opts_.probe_every), [](const ops::ProbeJobReport& r) {
                                                for (const auto& p : r.problems) {
                                                  std::fprintf(stderr, "cellar: probe: %s\n", p.c_str());
                                                }
                                              });
    metrics_.registry.add_text_source([this] { return probe_->metrics().render(); });
    probe_->start();
  }
  if (verifier_) baseline_thread_ = std::thread([this] { hash_baselines(); });
}

// The hashes the models were loaded with, taken off the serving threads: a
// large file takes seconds to hash.
void ServeOps::hash_baselines() {
  std::vector<ops::IntegrityTarget> targets;
  for (const auto& m : models_) {
    try {
      std::string sha = ops::sha256_file(m.path, 0, 4 << 20, &stopping_);
      if (stopping_) return;
      targets.push_back({m.name, m.path, sha});
      mismatch_->with({m.name}).set(0);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cellar: integrity: cannot hash '%s': %s\n", m.path.c_str(), e.what());
    }
  }
  verifier_->set_targets(std::move(targets));
  verifier_->start();
}

void ServeOps::stop() {
  stopping_ = true;
  if (baseline_thread_.joinable()) baseline_thread_.join();
  if (verifier_) verifier_->stop();
  if (probe_) probe_->stop();
}

}  // namespace cellar::cli
