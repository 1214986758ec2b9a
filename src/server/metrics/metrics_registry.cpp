#include "server/metrics/metrics_registry.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace cellar::server::metrics {
namespace {

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string escape_label(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escape_help(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// `{a="x",b="y"}` plus an optional extra label (le for histogram buckets).
std::string label_set(const std::vector<std::string>& names, const LabelValues& values, const std::string& extra = {}) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += out.empty() ? "{" : ",";
    out += names[i] + "=\"" + escape_label(values[i]) + "\"";
  }
  if (!extra.empty()) out += (out.empty() ? "{" : ",") + extra;
  if (!out.empty()) out += "}";
  return out;
}

bool valid_name(const std::string& n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {
  assert(std::is_sorted(bounds_.begin(), bounds_.end()));
}

void Histogram::observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();  // first bound >= v
  std::lock_guard lock(mu_);
  counts_[i]++;
  sum_ += v;
}

Histogram::Snapshot Histogram::snapshot() const {
  std::lock_guard lock(mu_);
  Snapshot s{bounds_, std::vector<uint64_t>(counts_.size()), sum_};
  uint64_t acc = 0;
  for (size_t i = 0; i < counts_.size(); ++i) s.cumulative[i] = (acc += counts_[i]);
  return s;
}

Registry::Entry& Registry::add(const std::string& name, const std::string& help, MetricType type) {
  // Names are fixed in code: a bad or duplicate one is a programmer bug.
  if (!valid_name(name)) throw std::logic_error("invalid metric name " + name);
  std::lock_guard lock(mu_);
  for (const auto& e : entries_) {
    if (e->name == name) throw std::logic_error("metric registered twice: " + name);
  }
  entries_.push_back(std::make_unique<Entry>(Entry{name, help, type, nullptr, nullptr, nullptr}));
  return *entries_.back();
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  auto& e = add(name, help, MetricType::kCounter);
  e.counters = std::make_unique<Family<Counter>>(std::move(labels), [] { return std::make_unique<Counter>(); });
  return *e.counters;
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  auto& e = add(name, help, MetricType::kGauge);
  e.gauges = std::make_unique<Family<Gauge>>(std::move(labels), [] { return std::make_unique<Gauge>(); });
  return *e.gauges;
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> labels, std::vector<double> bounds) {
  auto& e = add(name, help, MetricType::kHistogram);
  e.histograms = std::make_unique<Family<Histogram>>(
      std::move(labels), [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); });
  return *e.histograms;
}

void Registry::add_collector(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(fn));
}

void Registry::add_text_source(std::function<std::string()> fn) {
  std::lock_guard lock(mu_);
  text_sources_.push_back(std::move(fn));
}

std::string Registry::render() const {
  std::vector<std::function<void()>> collectors;
  std::vector<std::function<std::string()>> sources;
  {
    std::lock_guard lock(mu_);
    collectors = collectors_;
    sources = text_sources_;
  }
  for (const auto& c : collectors) c();
  std::string out = render_families();
  for (const auto& s : sources) out += s();
  return out;
}

std::string Registry::render_families() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& e : entries_) {
    static const char* kTypeNames[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + e->name + " " + escape_help(e->help) + "\n";
    out += "# TYPE " + e->name + " " + kTypeNames[static_cast<int>(e->type)] + "\n";
    if (e->counters) {
      e->counters->for_each([&](const LabelValues& v, const Counter& c) {
        out += e->name + label_set(e->counters->label_names(), v) + " " + format_value(c.value()) + "\n";
      });
    } else if (e->gauges) {
      e->gauges->for_each([&](const LabelValues& v, const Gauge& g) {
        out += e->name + label_set(e->gauges->label_names(), v) + " " + format_value(g.value()) + "\n";
      });
    } else {
      const auto& names = e->histograms->label_names();
      e->histograms->for_each([&](const LabelValues& v, const Histogram& h) {
        auto s = h.snapshot();
        for (size_t i = 0; i <= s.bounds.size(); ++i) {
          std::string le = i < s.bounds.size() ? format_value(s.bounds[i]) : "+Inf";
          out += e->name + "_bucket" + label_set(names, v, "le=\"" + le + "\"") + " " +
                 std::to_string(s.cumulative[i]) + "\n";
        }
        out += e->name + "_sum" + label_set(names, v) + " " + format_value(s.sum) + "\n";
        out += e->name + "_count" + label_set(names, v) + " " + std::to_string(s.cumulative.back()) + "\n";
      });
    }
  }
  return out;
}

std::vector<double> latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
}

}  // namespace cellar::server::metrics
