#pragma once
// The server's own probe (`cellar serve --probe-suite F --probe-every 1h`):
// a ProbeJob run by a ProbeScheduler, its results kept as Prometheus gauges
// for /metrics. The server owns one of these and appends metrics().render()
// to its /metrics body.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "ops/probe_job.h"
#include "ops/probe_metrics.h"
#include "ops/probe_scheduler.h"

namespace cellar::ops {

class SelfProbe {
 public:
  using Listener = std::function<void(const ProbeJobReport&)>;

  // Throws like ProbeJob for unusable options. `on_report` (optional) sees each
  // run, e.g. to log failures; it runs on the probe thread.
  SelfProbe(GoldenSuite suite, ProbeJobOptions options, std::chrono::milliseconds every,
            Listener on_report = {});
  ~SelfProbe();

  void start();
  void stop();
  const ProbeMetrics& metrics() const { return metrics_; }
  std::optional<ProbeJobReport> last_report() const;

 private:
  void run_once();

  ProbeJob job_;
  ProbeMetrics metrics_;
  Listener on_report_;
  mutable std::mutex mu_;
  std::optional<ProbeJobReport> last_;
  std::unique_ptr<ProbeScheduler> scheduler_;
};

}  // namespace cellar::ops
