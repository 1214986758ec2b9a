// Arbitrary bytes as a chat request body: nlohmann parsing without exceptions,
// then the walk a request handler does (typed field reads, every nested value
// visited with an explicit stack so deep nesting cannot overflow ours).
#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

void read_request_fields(const json& j) {
  if (!j.is_object()) return;
  if (auto m = j.find("model"); m != j.end() && m->is_string()) (void)m->get_ref<const std::string&>().size();
  if (auto n = j.find("max_tokens"); n != j.end() && n->is_number_integer()) (void)n->get<int64_t>();
  if (auto t = j.find("temperature"); t != j.end() && t->is_number()) (void)t->get<double>();
  auto msgs = j.find("messages");
  if (msgs == j.end() || !msgs->is_array()) return;
  for (const auto& m : *msgs) {
    if (!m.is_object()) continue;
    auto role = m.find("role");
    auto content = m.find("content");
    if (role != m.end() && role->is_string()) (void)role->get_ref<const std::string&>().size();
    if (content != m.end() && content->is_string()) (void)content->get_ref<const std::string&>().size();
  }
}

size_t walk(const json& root) {
  size_t visited = 0;
  std::vector<const json*> stack{&root};
  while (!stack.empty()) {
    const json* v = stack.back();
    stack.pop_back();
    ++visited;
    if (v->is_structured()) {
      for (const auto& child : *v) stack.push_back(&child);
    } else if (v->is_string()) {
      visited += v->get_ref<const std::string&>().size() > 0;
    }
  }
  return visited;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  json j = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  read_request_fields(j);
  volatile size_t n = walk(j);
  (void)n;
  (void)j.dump();  // serialising back must work for anything we parsed
  return 0;
}
