#pragma once
// The three estimates behind a plan: memory (what must be resident), speed
// (bandwidth-bound decode, compute-bound prefill) and cost (owning versus an
// API). Each is a pure function of its inputs so the tests can check them
// against hand arithmetic.
#include "plan/plan_model.h"

namespace cellar::plan {

// Activation buffer of one micro-batch of this many tokens.
constexpr int64_t kMicroBatch = 512;
// Runtime overhead: driver context, code, tokenizer, allocator slack.
constexpr uint64_t kRuntimeOverheadBytes = 512ull << 20;
constexpr double kRuntimeOverheadShare = 0.02;  // of the weights

MemoryEstimate estimate_memory(const ModelInput& model, const PlanOptions& opts);

// GPUs and accelerators split a model across units (tensor parallel over
// NVLink/PCIe/xGMI); SoCs, laptops, workstations and CPU servers count as one
// box each, since nothing fast links two of them.
bool can_split_across_units(const HardwareSpec& hw);

// Units of `hw` whose usable memory holds `total_bytes` (tensor-parallel split).
int64_t units_needed(const HardwareSpec& hw, uint64_t total_bytes);

SpeedEstimate estimate_speed(const ModelInput& model, const MemoryEstimate& mem,
                             const HardwareSpec& hw, int64_t units, const PlanOptions& opts);

// Owning `units` of `hw` (one replica) for the planned volume, against a
// blended cloud price per token.
CostEstimate estimate_cost(const HardwareSpec& hw, int64_t units, const SpeedEstimate& speed,
                           const PlanOptions& opts, double tokens_per_month,
                           double cloud_price_per_token);

// Monthly cost of owning at `tokens_per_month` (replicas added as needed).
double own_monthly_at(const CostEstimate& cost, double tokens_per_month);

// Where owning becomes cheaper: fixed / (cloud - power per token) when owning
// a fully loaded replica beats the cloud per token, otherwise nullopt.
std::optional<double> break_even_tokens_per_month(double fixed_monthly_per_replica,
                                                  double power_cost_per_token,
                                                  double monthly_capacity_tokens,
                                                  double cloud_price_per_token);

}  // namespace cellar::plan
