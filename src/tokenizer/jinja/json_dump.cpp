#include "tokenizer/jinja/json_dump.h"

#include <algorithm>
#include <cmath>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/text.h"

namespace cellar::jinja {

namespace {

constexpr int kMaxJsonDepth = 200;

void append_u_escape(std::string& out, unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04x", v);
  out += buf;
}

void dump_string(const std::string& s, bool ensure_ascii, std::string& out) {
  out.push_back('"');
  for (char32_t c : text::decode(s)) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          append_u_escape(out, c);
        } else if (ensure_ascii && c >= 0x7F) {
          if (c >= 0x10000) {
            char32_t v = c - 0x10000;
            append_u_escape(out, 0xD800 + (v >> 10));
            append_u_escape(out, 0xDC00 + (v & 0x3FF));
          } else {
            append_u_escape(out, c);
          }
        } else {
          text::append_code_point(out, c);
        }
    }
  }
  out.push_back('"');
}

std::string key_string(const Value& k) {
  switch (k.type()) {
    case Value::Type::kString: return k.str();
    case Value::Type::kBool: return k.as_bool() ? "true" : "false";
    case Value::Type::kNone: return "null";
    case Value::Type::kInt: return std::to_string(k.as_int());
    case Value::Type::kFloat: return text::float_repr(k.as_float());
    default: fail("keys must be str, int, float, bool or None, not " + k.type_name());
  }
}

class Dumper {
 public:
  Dumper(const JsonDumpOptions& o, std::string& out) : o_(o), out_(out) {}

  void dump(const Value& v, int depth) {
    if (depth > kMaxJsonDepth) fail("tojson: value nested too deeply");
    RecursionGuard guard;
    switch (v.type()) {
      case Value::Type::kNone: out_ += "null"; return;
      case Value::Type::kBool: out_ += v.as_bool() ? "true" : "false"; return;
      case Value::Type::kInt: out_ += std::to_string(v.as_int()); return;
      case Value::Type::kFloat: {
        double f = v.as_float();
        out_ += std::isnan(f) ? "NaN" : std::isinf(f) ? (f > 0 ? "Infinity" : "-Infinity") : text::float_repr(f);
        return;
      }
      case Value::Type::kString: dump_string(v.str(), o_.ensure_ascii, out_); return;
      case Value::Type::kList: dump_list(v.list().items, depth); return;
      case Value::Type::kDict:
        if (!v.dict().is_namespace) {
          dump_dict(v.dict(), depth);
          return;
        }
        [[fallthrough]];
      default:
        fail("Object of type " + v.type_name() + " is not JSON serializable");
    }
  }

 private:
  const JsonDumpOptions& o_;
  std::string& out_;

  void newline(int depth) {
    if (!o_.indent) return;
    out_.push_back('\n');
    for (int i = 0; i < depth; ++i) out_ += *o_.indent;
  }

  void dump_list(const std::vector<Value>& items, int depth) {
    if (items.empty()) {
      out_ += "[]";
      return;
    }
    out_.push_back('[');
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out_ += o_.item_separator;
      newline(depth + 1);
      dump(items[i], depth + 1);
    }
    newline(depth);
    out_.push_back(']');
  }

  void dump_dict(const Dict& d, int depth) {
    if (d.items.empty()) {
      out_ += "{}";
      return;
    }
    std::vector<std::pair<std::string, const Value*>> entries;
    for (const auto& [k, v] : d.items) entries.emplace_back(key_string(k), &v);
    if (o_.sort_keys) {
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    out_.push_back('{');
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i) out_ += o_.item_separator;
      newline(depth + 1);
      dump_string(entries[i].first, o_.ensure_ascii, out_);
      out_ += o_.key_separator;
      dump(*entries[i].second, depth + 1);
    }
    newline(depth);
    out_.push_back('}');
  }
};

}  // namespace

std::string json_dumps(const Value& v, const JsonDumpOptions& options) {
  std::string out;
  Dumper(options, out).dump(v, 0);
  return out;
}

}  // namespace cellar::jinja
