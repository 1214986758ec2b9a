#include "server/api/json_fields.h"

#include <cmath>

#include "server/api_error.h"

namespace cellar::server {
namespace {

std::string range_text(double lo, double hi) {
  auto fmt = [](double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  };
  return fmt(lo) + " and " + fmt(hi);
}

}  // namespace

Json parse_json_body(const std::string& body) {
  if (body.empty()) throw invalid_request("The request body is empty; send a JSON object.");
  try {
    Json j = Json::parse(body);
    if (!j.is_object()) throw invalid_request("The request body must be a JSON object.");
    return j;
  } catch (const Json::parse_error& e) {
    // The parser's message ends with the text it last read: keep request content out of replies and logs.
    std::string what = e.what();
    what = what.substr(0, what.find("; last read"));
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    throw invalid_request("The request body is not valid JSON (" + what + ").");
  }
}

const Json* JsonFields::get(const std::string& name) const {
  auto it = obj_.find(name);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<double> JsonFields::number(const std::string& name, double lo, double hi) const {
  const Json* v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_number()) throw invalid_request("'" + path(name) + "' must be a number.", path(name));
  double d = v->get<double>();
  if (!std::isfinite(d) || d < lo || d > hi) {
    throw invalid_request("'" + path(name) + "' must be between " + range_text(lo, hi) + ", got " +
                              v->dump() + ".", path(name));
  }
  return d;
}

std::optional<int64_t> JsonFields::integer(const std::string& name, int64_t lo, int64_t hi) const {
  const Json* v = get(name);
  if (!v) return std::nullopt;
  bool integral = v->is_number_integer() || (v->is_number_float() && std::isfinite(v->get<double>()) &&
                                               std::floor(v->get<double>()) == v->get<double>());
  if (!integral) throw invalid_request("'" + path(name) + "' must be an integer.", path(name));
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    throw invalid_request("'" + path(name) + "' is too large (at most " + std::to_string(hi) + ").", path(name));
  }
  auto out_of_range = [&] {
    return invalid_request("'" + path(name) + "' must be between " + std::to_string(lo) + " and " +
                               std::to_string(hi) + ", got " + v->dump() + ".", path(name));
  };
  if (v->is_number_float()) {
    double d = v->get<double>();
    // Beyond +-9.2e18 the double does not fit int64_t at all.
    if (std::fabs(d) >= 9.2e18 || d < static_cast<double>(lo) || d > static_cast<double>(hi)) throw out_of_range();
    return static_cast<int64_t>(d);
  }
  int64_t x = v->get<int64_t>();
  if (x < lo || x > hi) throw out_of_range();
  return x;
}

std::optional<bool> JsonFields::boolean(const std::string& name) const {
  const Json* v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) throw invalid_request("'" + path(name) + "' must be a boolean.", path(name));
  return v->get<bool>();
}

std::optional<std::string> JsonFields::string(const std::string& name, size_t max_bytes) const {
  const Json* v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw invalid_request("'" + path(name) + "' must be a string.", path(name));
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    throw invalid_request("'" + path(name) + "' is too long (at most " + std::to_string(max_bytes) + " bytes).",
                          path(name));
  }
  return s;
}

std::vector<std::string> JsonFields::string_or_list(const std::string& name, size_t max_items,
                                                    size_t max_bytes) const {
  const Json* v = get(name);
  if (!v) return {};
  std::vector<std::string> out;
  auto take = [&](const Json& item) {
    if (!item.is_string()) throw invalid_request("'" + path(name) + "' must be a string or an array of strings.",
                                                 path(name));
    const auto& s = item.get_ref<const std::string&>();
    if (s.empty() || s.size() > max_bytes) {
      throw invalid_request("Each '" + path(name) + "' entry must be 1 to " + std::to_string(max_bytes) + " bytes.",
                            path(name));
    }
    out.push_back(s);
  };
  if (v->is_array()) {
    if (v->size() > max_items) {
      throw invalid_request("'" + path(name) + "' has " + std::to_string(v->size()) + " entries; at most " +
                                std::to_string(max_items) + " are allowed.", path(name));
    }
    for (const auto& item : *v) take(item);
  } else {
    take(*v);
  }
  return out;
}

bool valid_model_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '-'))) return false;
  }
  return true;
}

std::string required_model(const Json& body) {
  auto it = body.find("model");
  if (it == body.end() || it->is_null()) throw invalid_request("'model' is required.", "model");
  if (!it->is_string()) throw invalid_request("'model' must be a string.", "model");
  const auto& name = it->get_ref<const std::string&>();
  if (!valid_model_name(name)) {
    throw invalid_request("'model' must match [A-Za-z0-9][A-Za-z0-9._:-]{0,63}.", "model");
  }
  return name;
}

}  // namespace cellar::server
