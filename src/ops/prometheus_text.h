#pragma once
// Prometheus text exposition format 0.0.4, written by hand so any part of
// Cellar (server /metrics, probe --metrics-out) can emit metrics without a
// client library. https://prometheus.io/docs/instrumenting/exposition_formats/
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace cellar::ops {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Escapes backslash, double quote and line feed as the format requires.
std::string escape_label_value(const std::string& value);
// Shortest exact-enough text for a sample value; NaN and ±Inf as Prometheus spells them.
std::string format_metric_value(double value);

class PrometheusText {
 public:
  // Starts a metric family; `type` is counter, gauge, histogram, summary or untyped.
  void family(const std::string& name, const std::string& type, const std::string& help);
  // One sample line; `name` may carry a suffix (_bucket, _sum, _count) of the family.
  void sample(const std::string& name, const Labels& labels, double value);
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

// A thread-safe family of gauges with fixed label names, e.g.
// cellar_integrity_mismatch{model}. Shared by probes and the server.
class GaugeFamily {
 public:
  GaugeFamily(std::string name, std::string help, std::vector<std::string> label_names);

  // Throws std::invalid_argument when the number of label values is wrong.
  void set(const std::vector<std::string>& label_values, double value);
  void erase(const std::vector<std::string>& label_values);
  void render(PrometheusText& out) const;

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, double> values_;
};

}  // namespace cellar::ops
