#pragma once
// Probe results as Prometheus gauges, for the server's /metrics and for
// `cellar probe --metrics-out` (node_exporter textfile collector).
#include <string>

#include "ops/probe_run.h"
#include "ops/prometheus_text.h"

namespace cellar::ops {

class ProbeMetrics {
 public:
  ProbeMetrics();

  // Replaces the suite's samples with this run's results (thread-safe).
  void update(const ProbeRun& run);
  void render(PrometheusText& out) const;
  std::string render() const;

 private:
  GaugeFamily passed_;
  GaugeFamily drift_;
  GaugeFamily latency_;
  GaugeFamily last_success_;
  GaugeFamily last_run_;
};

}  // namespace cellar::ops
