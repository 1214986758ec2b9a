#include "sampling/sampling_params.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace cellar {
namespace {
void check(bool ok, const std::string& msg) {
  if (!ok) throw std::invalid_argument(msg);
}
}  // namespace

void SamplingParams::validate(int32_t n_vocab) const {
  check(std::isfinite(temperature) && temperature >= 0 && temperature <= 2,
        "temperature must be between 0 and 2 (got " + std::to_string(temperature) + ")");
  check(std::isfinite(top_p) && top_p > 0 && top_p <= 1, "top_p must be in (0, 1] (got " + std::to_string(top_p) + ")");
  check(std::isfinite(min_p) && min_p >= 0 && min_p <= 1, "min_p must be in [0, 1] (got " + std::to_string(min_p) + ")");
  check(top_k >= 0, "top_k must be >= 0 (got " + std::to_string(top_k) + ")");
  check(std::isfinite(repeat_penalty) && repeat_penalty > 0 && repeat_penalty <= 10,
        "repeat_penalty must be in (0, 10] (got " + std::to_string(repeat_penalty) + ")");
  check(repeat_last_n >= -1, "repeat_last_n must be >= -1");
  check(std::isfinite(frequency_penalty) && frequency_penalty >= -2 && frequency_penalty <= 2,
        "frequency_penalty must be between -2 and 2 (got " + std::to_string(frequency_penalty) + ")");
  check(std::isfinite(presence_penalty) && presence_penalty >= -2 && presence_penalty <= 2,
        "presence_penalty must be between -2 and 2 (got " + std::to_string(presence_penalty) + ")");
  for (const auto& [id, bias] : logit_bias) {
    check(id >= 0 && id < n_vocab, "logit_bias token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                                       std::to_string(n_vocab - 1) + ")");
    check(std::isfinite(bias) && bias >= -100 && bias <= 100,
          "logit_bias values must be between -100 and 100 (token " + std::to_string(id) + ")");
  }
}

}  // namespace cellar
