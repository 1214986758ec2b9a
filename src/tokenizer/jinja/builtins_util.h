#pragma once
// Argument helpers shared by the filter, test, method and global tables.
#include <optional>
#include <string>
#include <string_view>

#include "tokenizer/jinja/interpreter.h"
#include "tokenizer/jinja/value.h"

namespace cellar::jinja {

inline const Value* arg(const CallArgs& a, size_t i, std::string_view name) { return a.get(i, name); }

// Optional string argument: nullopt when absent or None.
std::optional<std::string> arg_opt_str(const CallArgs& a, size_t i, std::string_view name);
int64_t arg_int(const CallArgs& a, size_t i, std::string_view name, int64_t dflt);
bool arg_bool(const CallArgs& a, size_t i, std::string_view name, bool dflt);
std::string arg_str(const CallArgs& a, size_t i, std::string_view name, std::string dflt);
// A required argument; throws naming `fn` when missing.
const Value& arg_required(const CallArgs& a, size_t i, std::string_view name, std::string_view fn);

// Jinja's make_attrgetter: "a.b.0" walks items with getitem; Undefined parts
// become `dflt` when one is given.
Value get_attribute_path(Interpreter& in, const Value& item, const Value& attribute,
                         const Value* dflt = nullptr);

// Lowercases strings (Jinja's ignore_case) for case-insensitive sort/unique/min/max.
Value ignore_case(const Value& v);

// Python str.isX predicates over code points.
bool str_all(const std::string& s, bool (*pred)(char32_t));

}  // namespace cellar::jinja

#include <unordered_map>

namespace cellar::jinja {

using FilterTable = std::unordered_map<std::string_view, FilterFn>;
void register_text_filters(FilterTable& t);      // filters.cpp
void register_sequence_filters(FilterTable& t);  // filters_seq.cpp

}  // namespace cellar::jinja
