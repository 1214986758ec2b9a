#include "ops/self_probe.h"

#include <iostream>

namespace cellar::ops {

SelfProbe::SelfProbe(GoldenSuite suite, ProbeJobOptions options, std::chrono::milliseconds every,
                     Listener on_report)
    : job_(std::move(suite), std::move(options)), on_report_(std::move(on_report)) {
  scheduler_ = std::make_unique<ProbeScheduler>(every, [this] { run_once(); }, [](const std::string& what) {
    std::cerr << "cellar: probe: " << what << "\n";
  });
}

SelfProbe::~SelfProbe() { stop(); }

void SelfProbe::start() { scheduler_->start(); }

void SelfProbe::stop() { scheduler_->stop(); }

std::optional<ProbeJobReport> SelfProbe::last_report() const {
  std::lock_guard lock(mu_);
  return last_;
}

void SelfProbe::run_once() {
  ProbeJobReport report = job_.run_once();
  metrics_.update(report.run);
  if (on_report_) on_report_(report);
  std::lock_guard lock(mu_);
  last_ = std::move(report);
}

}  // namespace cellar::ops
