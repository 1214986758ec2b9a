#pragma once
// What `cellar plan` asks and what it answers. The inputs carry every
// default the estimates use, so docs/planning.md and --help can point here.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gguf/ggml_type.h"
#include "plan/catalog.h"
#include "plan/model_shape.h"

namespace cellar::plan {

// The model being sized: from the catalogue (shape + recipe) or a GGUF file
// (shape and real tensor bytes from its header).
struct ModelInput {
  ModelShape shape;
  int64_t parameters = 0;
  uint64_t weights_bytes = 0;
  std::string quant;   // "Q4_K_M", or the file's dominant type for GGUF
  std::string origin;  // "catalogue" or the GGUF path
  std::string licence;
  std::string cloud_equivalent;
};

struct PlanOptions {
  int64_t ctx = 8192;  // context per user (tokens)
  int64_t users = 1;   // concurrent users, each with its own KV cache
  std::optional<double> tokens_per_day;  // default: users x requests x tokens
  double requests_per_user_per_day = 40;
  int64_t prompt_tokens = 512;  // typical request, for TTFT and the in/out split
  int64_t output_tokens = 256;
  double kwh_price = 0.20;  // USD per kWh
  double pue = 1.4;         // power usage effectiveness: cooling and losses
  double years = 3;         // amortisation period
  double maintenance_pct = 10;  // of purchase price, per year
  double busy_hours = 8;        // hours per day the tokens arrive in
  double idle_power_fraction = 0.3;  // share of TDP drawn while idle
  double decode_efficiency = 0.65;   // achieved / peak memory bandwidth
  double prefill_efficiency = 0.35;  // achieved / peak FP16 throughput
  bool efficiency_measured = false;  // set by --calibrate
  std::string efficiency_note;
  double min_tokens_per_s = 10;  // per user under full load, to count as usable
  GgmlType kv_type = GgmlType::F16;
  int max_units = 8;  // more units than this count as "does not fit"
  std::vector<std::string> hardware;  // empty: the whole catalogue
  std::string cloud;  // empty: the model's cloud_equivalent

  double tokens_per_day_value() const;
  double input_share() const;
  // CatalogError-free checks: throws std::invalid_argument naming the option.
  void validate() const;
};

struct MemoryEstimate {
  uint64_t weights_bytes = 0;
  uint64_t kv_cache_bytes = 0;  // all users
  uint64_t kv_cache_bytes_per_user = 0;
  uint64_t activations_bytes = 0;
  uint64_t overhead_bytes = 0;
  uint64_t total_bytes = 0;
};

struct SpeedEstimate {
  double decode_tokens_per_s_per_user = 0;  // one user alone, full context
  double decode_tokens_per_s_per_user_at_load = 0;  // all users decoding together
  double decode_tokens_per_s_aggregate = 0;
  double prefill_tokens_per_s = 0;
  double ttft_s = 0;  // prompt_tokens of prefill + one decode step
  double capacity_tokens_per_s = 0;  // prompt + output tokens, request mix
};

struct CostEstimate {
  double capex = 0;  // all units of one replica
  double amortised_monthly = 0;
  double maintenance_monthly = 0;
  double power_monthly = 0;
  double own_monthly = 0;  // at the planned volume
  int64_t replicas = 1;    // copies needed for the volume
  double utilisation = 0;  // of the replicas during busy hours
  double fixed_monthly_per_replica = 0;
  double power_cost_per_token = 0;
  double monthly_capacity_tokens = 0;  // one replica, busy hours only
  std::optional<double> break_even_tokens_per_month;
};

struct HardwareResult {
  HardwareSpec hw;
  bool fits = false;  // one unit holds it
  int64_t units_needed = 0;
  bool within_max_units = false;  // only such rows can be selected
  bool usable = false;  // within max_units and meets min_tokens_per_s
  SpeedEstimate speed;
  CostEstimate cost;
};

struct PlanResult {
  ModelInput model;
  PlanOptions options;
  MemoryEstimate memory;
  std::vector<HardwareResult> hardware;
  int selected = -1;  // index into hardware, -1 when nothing is usable
  CloudPrice cloud;
  double tokens_per_month = 0;
  double cloud_monthly = 0;
  double cloud_price_per_token = 0;  // blended by the in/out split
  std::vector<std::string> warnings;
  std::string recommendation;
};

constexpr double kDaysPerMonth = 365.25 / 12;
constexpr double kHoursPerMonth = 24 * kDaysPerMonth;

}  // namespace cellar::plan
