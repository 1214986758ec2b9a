#pragma once
// --calibrate: measure this machine with `cellar bench` and replace the
// default efficiencies (achieved / peak bandwidth for decode, achieved / peak
// FP16 for prefill) with the measured ones. The ratio is taken against the
// catalogue entry that describes this machine (--this-machine) and then
// applied to every hardware entry: "software runs at X% of peak here".
#include <string>

#include "plan/catalog.h"
#include "plan/plan_model.h"

namespace cellar::plan {

// The fields of `cellar bench --json` the planner uses.
struct BenchResult {
  double prefill_tokens_per_s = 0;
  double decode_tokens_per_s = 0;
  double model_bytes = 0;
  double decode_bandwidth_gb_per_s = 0;
};

// Throws std::invalid_argument naming the missing or bad field.
BenchResult parse_bench_json(const std::string& text);

// Runs `<this executable> bench -m <model_path> --json --read-probe-mib 0`
// (the planner compares with catalogue peaks, not a measured read, so the
// 1 GiB read probe is skipped) and returns its stdout; std::runtime_error when
// bench is missing or fails.
std::string run_bench(const std::string& model_path);

// Sets opts' efficiencies from a bench result measured on `machine`.
void calibrate_from_bench(const BenchResult& bench, const HardwareSpec& machine,
                          int64_t parameters, PlanOptions& opts);

// The CLI's entry: reads `bench_json_path` if given, otherwise runs bench on
// `model_arg` (which must be a .gguf file).
void apply_calibration(const Catalog& catalog, const ModelInput& model, const std::string& model_arg,
                       const std::string& bench_json_path, const std::string& this_machine,
                       PlanOptions& opts);

}  // namespace cellar::plan
