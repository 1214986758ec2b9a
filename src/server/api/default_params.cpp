#include "server/api/default_params.h"

#include <algorithm>
#include <climits>

namespace cellar::server {
namespace {

void apply_one(const std::string& key, const Json& v, engine::GenerationRequest& req,
               int& default_max_tokens) {
  SamplingParams& s = req.sampling;
  if (key == "temperature") s.temperature = v.get<float>();
  else if (key == "top_p") s.top_p = v.get<float>();
  else if (key == "min_p") s.min_p = v.get<float>();
  else if (key == "top_k") s.top_k = v.get<int>();
  else if (key == "repeat_penalty") s.repeat_penalty = v.get<float>();
  else if (key == "repeat_last_n") s.repeat_last_n = v.get<int>();
  else if (key == "presence_penalty") s.presence_penalty = v.get<float>();
  else if (key == "frequency_penalty") s.frequency_penalty = v.get<float>();
  else if (key == "seed") s.seed = static_cast<uint64_t>(v.get<int64_t>());
  else if (key == "max_tokens") default_max_tokens = static_cast<int>(std::min<int64_t>(v.get<int64_t>(), INT32_MAX));
  else if (key == "stop") req.stop = v.is_string() ? std::vector<std::string>{v.get<std::string>()}
                                                   : v.get<std::vector<std::string>>();
}

}  // namespace

void apply_default_params(const Json& defaults, const std::function<bool(const std::string&)>& given,
                          engine::GenerationRequest& req, int& default_max_tokens) {
  if (!defaults.is_object()) return;
  for (const auto& [key, value] : defaults.items()) {
    if (!given(key)) apply_one(key, value, req, default_max_tokens);
  }
}

}  // namespace cellar::server
