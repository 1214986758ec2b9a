#pragma once
// Python `str` semantics over UTF-8 bytes, for the Jinja interpreter: Python
// indexes, slices and cases strings by code point, so these helpers decode when
// a string is not pure ASCII. Invalid UTF-8 bytes round-trip unchanged (each is
// carried as a lone surrogate, like Python's "surrogateescape").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::jinja::text {

bool is_ascii(std::string_view s);
std::u32string decode(std::string_view s);
std::string encode(std::u32string_view s);
void append_code_point(std::string& out, char32_t cp);
// Number of code points (Python len()).
int64_t length(std::string_view s);

// Python's str.isspace() for one code point.
bool is_space(char32_t cp);

// str.strip/lstrip/rstrip; `chars` nullopt strips whitespace.
std::string strip(std::string_view s, const std::optional<std::string>& chars, bool left,
                  bool right);
// str.split(sep, maxsplit) / str.rsplit; sep nullopt splits on whitespace runs.
std::vector<std::string> split(std::string_view s, const std::optional<std::string>& sep,
                               int64_t maxsplit, bool from_right = false);
// str.splitlines() without keepends.
std::vector<std::string> splitlines(std::string_view s);
std::string replace(std::string_view s, std::string_view old, std::string_view repl,
                    int64_t count);

std::string upper(std::string_view s);
std::string lower(std::string_view s);
// Python str.title() (capitalise after every non-letter) and str.capitalize().
std::string py_title(std::string_view s);
std::string capitalize(std::string_view s);
// Jinja's `title` filter: capitalise words split on whitespace, '-', '(', '{', '[', '<'.
std::string jinja_title(std::string_view s);
bool is_alpha(char32_t cp);

// Python repr() of a str: single quotes unless the text holds ' but no ".
std::string repr(std::string_view s);
// Python repr() of a float: shortest round-trip digits, "1.0", "1e-05", "inf".
std::string float_repr(double v);

}  // namespace cellar::jinja::text
