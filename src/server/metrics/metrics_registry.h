#pragma once
// A small thread-safe Prometheus metrics registry: counters, gauges and
// histograms in labelled families, rendered in the text exposition format
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cellar::server::metrics {

using LabelValues = std::vector<std::string>;  // in the order of the family's label names

class Counter {
 public:
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }  // v >= 0
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  void dec(double v = 1) { value_.fetch_sub(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);  // ascending upper bounds; +Inf is implicit
  void observe(double v);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // [bounds.size() + 1], last = count
    double sum = 0;
  };
  Snapshot snapshot() const;

 private:
  mutable std::mutex mu_;
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // [bounds.size() + 1] per bucket, not cumulative
  double sum_ = 0;
};

enum class MetricType { kCounter, kGauge, kHistogram };

// One metric name with a fixed set of label names; children per label values.
template <class T>
class Family {
 public:
  Family(std::vector<std::string> label_names, std::function<std::unique_ptr<T>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}
  // The child for these label values, created on first use (reference stays valid).
  T& with(const LabelValues& values);
  void remove(const LabelValues& values);
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Calls fn(values, child) for each child under the family's lock.
  void for_each(const std::function<void(const LabelValues&, const T&)>& fn) const;

 private:
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<T>()> make_;
  mutable std::mutex mu_;
  std::map<LabelValues, std::unique_ptr<T>> children_;
};

class Registry {
 public:
  // Names must match [a-zA-Z_:][a-zA-Z0-9_:]*; registering a name twice is a programmer bug.
  Family<Counter>& counter(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Histogram>& histogram(const std::string& name, const std::string& help, std::vector<std::string> labels,
                               std::vector<double> bounds);
  // Runs before each render, e.g. to sample scheduler queues into gauges.
  void add_collector(std::function<void()> fn);
  // Exposition text appended to each render, for metrics kept outside this
  // registry (the ops self-probe's gauges); it must use names of its own.
  void add_text_source(std::function<std::string()> fn);
  std::string render() const;

 private:
  struct Entry {
    std::string name;
    std::string help;
    MetricType type;
    std::unique_ptr<Family<Counter>> counters;
    std::unique_ptr<Family<Gauge>> gauges;
    std::unique_ptr<Family<Histogram>> histograms;
  };
  std::string render_families() const;
  Entry& add(const std::string& name, const std::string& help, MetricType type);
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::vector<std::function<void()>> collectors_;
  std::vector<std::function<std::string()>> text_sources_;
};

// Default latency buckets (seconds) shared by the request histograms.
std::vector<double> latency_buckets();

template <class T>
T& Family<T>::with(const LabelValues& values) {
  std::lock_guard lock(mu_);
  auto& slot = children_[values];
  if (!slot) slot = make_();
  return *slot;
}

template <class T>
void Family<T>::remove(const LabelValues& values) {
  std::lock_guard lock(mu_);
  children_.erase(values);
}

template <class T>
void Family<T>::for_each(const std::function<void(const LabelValues&, const T&)>& fn) const {
  std::lock_guard lock(mu_);
  for (const auto& [values, child] : children_) fn(values, *child);
}

}  // namespace cellar::server::metrics
